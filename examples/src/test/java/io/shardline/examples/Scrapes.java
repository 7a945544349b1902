package io.shardline.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scrapes a {@code /metrics} endpoint, reads values out of the text and runs promtool on it. Stateless. */
public final class Scrapes {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private Scrapes() {
    }

    /** The body of {@code GET /metrics} on 127.0.0.1:{@code port}, which must answer 200. */
    public static String scrape(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(PATIENCE).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /**
     * The sum of the samples of {@code name} whose labels contain {@code labelFilter} (e.g.
     * {@code cmd="set"}), over every other label; 0 when there are none.
     */
    public static double sum(String text, String name, String labelFilter) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)").matcher(text);
        double total = 0;
        while (m.find()) {
            if (m.group(1).contains(labelFilter)) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    /** Fails unless {@code promtool check metrics} accepts {@code text}; skips where promtool is missing. */
    public static void assertPromtoolAccepts(String text) throws Exception {
        File promtool = promtool();
        assumeTrue(promtool != null, "promtool not found on the PATH: install the Debian package prometheus");
        Process p = new ProcessBuilder(promtool.getPath(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, p.exitValue(), "promtool check metrics: " + said + "\non:\n" + text);
        assertTrue(said.isBlank(), "promtool found problems: " + said);
    }

    private static File promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "promtool");
            if (f.canExecute()) {
                return f;
            }
        }
        return null;
    }
}
