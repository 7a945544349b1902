package io.shardline.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code wrk} (keep-alive, {@code --latency}) against a URL and reads its summary: requests/s,
 * p50 and p99, and the errors it counted. Stateless; any thread (each call runs one wrk process).
 */
final class Wrk {
    /** One run's numbers; latencies in microseconds. */
    record Result(double rps, double p50Micros, double p99Micros, long requests, long errors, long non2xx) {
        String describe() {
            return String.format(Locale.ROOT, "%s req/s, p50 %.0f us, p99 %.0f us%s", Report.rate(rps), p50Micros,
                    p99Micros, errors + non2xx > 0 ? ", " + errors + " socket errors, " + non2xx + " non-2xx" : "");
        }
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    private Wrk() {
    }

    /** {@code wrk -t threads -c connections -d seconds --latency url}, parsed. */
    static Result run(String wrk, String url, int threads, int connections, int seconds)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(wrk, "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--latency", url)).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("wrk did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("wrk exited with " + p.exitValue() + ": " + text);
        }
        return parse(text);
    }

    static Result parse(String text) throws IOException {
        Matcher rps = RPS.matcher(text);
        Matcher requests = REQUESTS.matcher(text);
        if (!rps.find() || !requests.find()) {
            throw new IOException("cannot read wrk's output: " + text);
        }
        long errors = 0;
        Matcher se = SOCKET_ERRORS.matcher(text);
        if (se.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(se.group(g));
            }
        }
        Matcher n2 = NON_2XX.matcher(text);
        long non2xx = n2.find() ? Long.parseLong(n2.group(1)) : 0;
        return new Result(Double.parseDouble(rps.group(1)), percentile(text, "50%"), percentile(text, "99%"),
                Long.parseLong(requests.group(1)), errors, non2xx);
    }

    /** A line of wrk's latency distribution ({@code "     99%    5.67ms"}) in microseconds. */
    private static double percentile(String text, String which) throws IOException {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(which) + "\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE)
                .matcher(text);
        if (!m.find()) {
            throw new IOException("no " + which + " latency in wrk's output: " + text);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v;
            case "ms" -> v * 1e3;
            default -> v * 1e6;
        };
    }
}
