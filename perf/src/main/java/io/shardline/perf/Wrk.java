package io.shardline.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code wrk} (keep-alive, {@code --latency}) against a URL and reads its report: requests/s,
 * the latency percentiles of its distribution, and its socket errors and non-2xx/3xx responses.
 * Stateless but for the script file it was given; used from the suite's thread.
 *
 * <p>Pipelining is a Lua script ({@link #PIPELINE_SCRIPT}) that formats {@code depth} requests into
 * one string and sends it as one request batch; wrk then times the batch's last response, which is
 * what its latency lines show for a pipelined run (and its upper percentiles may come out as 0,
 * read as unknown).
 */
final class Wrk {
    static final String COMMAND = "wrk";
    static final String PACKAGE = "wrk";
    /** wrk's pipelining script: {@code wrk -s pipeline.lua <url> -- <depth>}. */
    static final String PIPELINE_SCRIPT = """
            -- Sends <depth> requests in one write (wrk -s pipeline.lua <url> -- <depth>).
            init = function(args)
              local depth = tonumber(args[1]) or 1
              local r = {}
              for i = 1, depth do
                r[i] = wrk.format()
              end
              req = table.concat(r)
            end

            request = function()
              return req
            end
            """;
    /** The headers TechEmpower's wrk runs send. */
    static final List<String> HEADERS = List.of(
            "Host: localhost",
            "Accept: text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7",
            "Connection: keep-alive");

    private static final Pattern RPS = Pattern.compile("^Requests/sec:\\s+([0-9.]+)", Pattern.MULTILINE);
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|75|90|99)%\\s+([0-9.]+)(us|ms|s|m)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern TOTAL = Pattern.compile("^\\s+(\\d+) requests in ([0-9.]+)(us|ms|s|m)", Pattern.MULTILINE);
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    /** How a run is driven: threads, connections, seconds, and the pipelining depth (1: none). */
    record Load(int threads, int connections, int seconds, int depth) {
        String describe() {
            return String.format(Locale.ROOT, "wrk -t%d -c%d -d%ds --latency%s", threads, connections, seconds,
                    depth > 1 ? " -s pipeline.lua -- " + depth : "");
        }
    }

    /** What a run measured; percentiles in µs, NaN where wrk printed none or 0. {@code error} is null for a good run. */
    record Result(double rps, long requests, double p50, double p75, double p90, double p99, long socketErrors,
                  long non2xx, String error) {
        boolean ok() {
            return error == null;
        }

        static Result failed(String error) {
            return new Result(Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, error);
        }

        double p50Micros() {
            return p50;
        }

        double p99Micros() {
            return p99;
        }

        long errors() {
            return socketErrors;
        }

        String describe() {
            return String.format(Locale.ROOT, "%s req/s, p50 %.0f us, p99 %.0f us%s", Report.rate(rps), p50, p99,
                    socketErrors + non2xx > 0 ? ", " + socketErrors + " socket errors, " + non2xx + " non-2xx" : "");
        }
    }

    private final Path script;

    /** A runner whose pipelined runs use a copy of {@link #PIPELINE_SCRIPT} written into {@code dir}. */
    Wrk(Path dir) throws IOException {
        this.script = Files.writeString(dir.resolve("pipeline.lua"), PIPELINE_SCRIPT, StandardCharsets.UTF_8);
    }

    /** A runner for runs without pipelining. */
    private Wrk() {
        this.script = null;
    }

    /**
     * {@code wrk -t threads -c connections -d seconds --latency url} (wrk found on the PATH, as
     * {@code wrk} names it), parsed; an IOException when wrk fails.
     */
    static Result run(String wrk, String url, int threads, int connections, int seconds)
            throws IOException, InterruptedException {
        Result r = new Wrk().run(url, new Load(threads, connections, seconds, 1));
        if (!r.ok()) {
            throw new IOException(r.error());
        }
        return r;
    }

    /** Runs wrk with {@code load} against {@code url} and reads its report. */
    Result run(String url, Load load) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(COMMAND, "-t" + load.threads(), "-c" + load.connections(),
                "-d" + load.seconds() + "s", "--latency", "--timeout", "5s"));
        for (String h : HEADERS) {
            command.add("-H");
            command.add(h);
        }
        if (load.depth() > 1) {
            command.add("-s");
            command.add(script.toString());
        }
        command.add(url);
        if (load.depth() > 1) {
            command.add("--");
            command.add(Integer.toString(load.depth()));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(load.seconds() + 60L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return Result.failed("wrk did not end");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            return Result.failed("wrk exited with " + p.exitValue() + ": " + text.strip().replace('\n', ' '));
        }
        return parse(text);
    }

    /** Reads wrk's report (as printed with {@code --latency}). */
    static Result parse(String text) {
        Matcher rps = RPS.matcher(text);
        if (!rps.find()) {
            return Result.failed("no Requests/sec in wrk's output: " + text.strip().replace('\n', ' '));
        }
        double[] pct = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        Matcher m = PERCENTILE.matcher(text);
        while (m.find()) {
            int slot = switch (m.group(1)) {
                case "50" -> 0;
                case "75" -> 1;
                case "90" -> 2;
                default -> 3;
            };
            double v = micros(Double.parseDouble(m.group(2)), m.group(3));
            // wrk 4.1 prints 0.00us for a percentile past its last recorded sample (seen in pipelined runs).
            pct[slot] = v > 0 ? v : Double.NaN;
        }
        Matcher total = TOTAL.matcher(text);
        long requests = total.find() ? Long.parseLong(total.group(1)) : 0;
        long socketErrors = 0;
        Matcher se = SOCKET_ERRORS.matcher(text);
        if (se.find()) {
            for (int g = 1; g <= 4; g++) {
                socketErrors += Long.parseLong(se.group(g));
            }
        }
        Matcher n = NON_2XX.matcher(text);
        long non2xx = n.find() ? Long.parseLong(n.group(1)) : 0;
        String error = requests == 0 ? "no responses" : null;
        return new Result(Double.parseDouble(rps.group(1)), requests, pct[0], pct[1], pct[2], pct[3], socketErrors,
                non2xx, error);
    }

    private static double micros(double v, String unit) {
        return switch (unit) {
            case "us" -> v;
            case "ms" -> v * 1e3;
            case "s" -> v * 1e6;
            default -> v * 60e6; // "m": minutes
        };
    }
}
