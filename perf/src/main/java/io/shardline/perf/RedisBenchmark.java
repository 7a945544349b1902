package io.shardline.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code kv} suite's driver: one run of Redis's own load generator, {@code redis-benchmark}, against a
 * server on 127.0.0.1, read back from its {@code --csv} output. Stateless, any thread.
 *
 * <p>redis-benchmark stops at the first error reply ("Error from server: ..." on stderr, exit 1), so
 * a command a server does not support comes back as a {@link Result} with the error, not as an
 * exception; so does a run that hangs past its time limit (it is killed).
 */
final class RedisBenchmark {
    static final String COMMAND = "redis-benchmark";
    /** Clients, as the issue asks. */
    static final int CLIENTS = 50;

    private RedisBenchmark() {
    }

    /**
     * One row of the CSV: the test's name as redis-benchmark prints it ("SET", "LRANGE_100 (first 100
     * elements)", or a custom command's text), requests/s and the latencies in ms.
     */
    record Row(String test, double rps, double avgMs, double p50Ms, double p99Ms, double maxMs) {
    }

    /** What one run measured: the row of the asked-for test, or {@code error} (and NaN figures). */
    record Result(String server, double rps, double p50Ms, double p99Ms, String error) {
        static Result failed(String server, String error) {
            return new Result(server, Double.NaN, Double.NaN, Double.NaN, error);
        }

        boolean ok() {
            return error == null;
        }
    }

    /**
     * Runs {@code redis-benchmark -h 127.0.0.1 -p port -c 50 -n requests --csv <workload>} and returns
     * the row whose test name starts with {@code test} (redis-benchmark's lrange tests also print the
     * LPUSH that fills their list first). Killed after {@code limitSeconds}.
     */
    static Result run(String server, int port, List<String> workload, String test, long requests, long limitSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(COMMAND, "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-c", Integer.toString(CLIENTS), "-n", Long.toString(requests), "--csv"));
        command.addAll(workload);
        Path stderr = Files.createTempFile("redis-benchmark", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            byte[] out;
            try {
                // The CSV is a few lines: it fits the pipe, so reading after the exit cannot block the child.
                if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    return Result.failed(server, "redis-benchmark did not finish within " + limitSeconds + " s");
                }
                out = p.getInputStream().readAllBytes();
            } finally {
                p.destroyForcibly();
            }
            String csv = new String(out, StandardCharsets.UTF_8);
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            String serverError = serverError(err);
            if (serverError != null) {
                return Result.failed(server, serverError);
            }
            for (Row row : parseCsv(csv)) {
                if (row.test().startsWith(test)) {
                    return new Result(server, row.rps(), row.p50Ms(), row.p99Ms(), null);
                }
            }
            String why = err.isBlank() ? "no " + test + " row in its output" : firstLine(err);
            return Result.failed(server, "redis-benchmark exited with " + p.exitValue() + ": " + why);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    /**
     * The rows of redis-benchmark's {@code --csv} output: a header line
     * ({@code "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"}),
     * then one quoted line per test; columns are found by the header's names, lines that do not parse
     * are skipped.
     */
    static List<Row> parseCsv(String csv) {
        List<Row> rows = new ArrayList<>();
        List<String> header = null;
        for (String line : csv.lines().toList()) {
            List<String> cells = cells(line);
            if (cells.isEmpty()) {
                continue;
            }
            if (cells.contains("test") && cells.contains("rps")) {
                header = cells;
                continue;
            }
            if (header == null) {
                continue;
            }
            try {
                rows.add(new Row(cells.get(header.indexOf("test")), number(cells, header, "rps"),
                        number(cells, header, "avg_latency_ms"), number(cells, header, "p50_latency_ms"),
                        number(cells, header, "p99_latency_ms"), number(cells, header, "max_latency_ms")));
            } catch (RuntimeException notARow) {
                // a line of something else (a warning) between the rows
            }
        }
        return rows;
    }

    /** The error reply redis-benchmark stopped at ("Error from server: ERR ..."), or null. */
    static String serverError(String stderr) {
        for (String line : stderr.lines().toList()) {
            int at = line.indexOf("Error from server: ");
            if (at >= 0) {
                return line.substring(at + "Error from server: ".length()).strip();
            }
        }
        return null;
    }

    /** {@code COMMAND}'s first line of {@code --version}, or null if it does not run. */
    static String version() {
        try {
            Process p = new ProcessBuilder(COMMAND, "--version").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? firstLine(text) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static double number(List<String> cells, List<String> header, String column) {
        int i = header.indexOf(column);
        return i < 0 ? Double.NaN : Double.parseDouble(cells.get(i));
    }

    /** A CSV line's cells, each without its quotes ("" inside quotes is one quote). */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            any = true;
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else if (!Character.isWhitespace(c)) {
                cell.append(c);
            }
        }
        if (any) {
            cells.add(cell.toString());
        }
        return cells;
    }

    private static String firstLine(String text) {
        String s = text.strip();
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
