package io.shardline.net.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.net.EchoHandler;
import io.shardline.net.Net;
import io.shardline.net.ServerOptions;
import io.shardline.net.TcpServer;
import io.shardline.shard.Shard;
import io.shardline.shard.ShardRuntime;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The exporter: the runtime's counters over HTTP, application samples taken on their shards, a stuck shard. */
class MetricsServerTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);
    private static final long PATIENCE_SECONDS = 30;

    /** An application collector that says whether it ran on the shard it reports. */
    private static final ShardMetrics ON_OWN_SHARD = shard -> {
        int own = Shard.current() == shard ? 1 : 0;
        return (out, id) -> out.gauge("test_sampled_on_own_shard", "1 if sampled on its shard", own, "shard", id);
    };

    @Test
    void runtimeCountersMoveAndEachShardIsLabelled() throws Exception {
        try (ShardRuntime rt = Net.install(ShardRuntime.builder().shards(3)).start();
             TcpServer echo = TcpServer.start(rt, ANY, ServerOptions.DEFAULT, EchoHandler::new);
             MetricsServer metrics = MetricsServer.start(rt, ANY, List.of(ON_OWN_SHARD))) {
            byte[] sent = new byte[1000];
            Arrays.fill(sent, (byte) 'x');
            try (Socket s = new Socket("127.0.0.1", echo.port())) {
                OutputStream out = s.getOutputStream();
                out.write(sent);
                out.flush();
                InputStream in = s.getInputStream();
                assertEquals(sent.length, in.readNBytes(sent.length).length);
            }
            List<Integer> replies = rt.submitAsync(0, () -> Shard.current().invokeOnAll(() -> 1)).get(
                    PATIENCE_SECONDS, TimeUnit.SECONDS);
            assertEquals(List.of(1, 1, 1), replies);

            HttpResponse<String> r = scrape(metrics.port(), null);
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    r.headers().toString());
            String text = r.body();
            assertTrue(sum(text, "shardline_net_read_bytes_total") >= sent.length, text);
            assertTrue(sum(text, "shardline_net_written_bytes_total") >= sent.length, text);
            assertTrue(sum(text, "shardline_connections_accepted_total") >= 2, "the echo client and the scraper: " + text);
            assertTrue(sum(text, "shardline_connections_open") >= 1, "the scraper's connection: " + text);
            for (int from = 0; from < 3; from++) {
                for (int to = 0; to < 3; to++) {
                    String pair = "{from=\"" + from + "\",to=\"" + to + "\"}";
                    boolean present = text.contains("shardline_mesh_messages_sent_total" + pair);
                    assertEquals(from != to, present, "pair " + pair);
                }
            }
            assertTrue(value(text, "shardline_mesh_messages_sent_total{from=\"0\",to=\"1\"}") >= 1, text);
            assertTrue(value(text, "shardline_mesh_messages_received_total{from=\"1\",to=\"0\"}") >= 1, "the reply");
            for (int s = 0; s < 3; s++) {
                String shard = "{shard=\"" + s + "\"}";
                assertTrue(value(text, "shardline_loop_tasks_run_total" + shard) > 0, text);
                assertTrue(value(text, "shardline_loop_polls_total" + shard) > 0, text);
                assertEquals(1, value(text, "test_sampled_on_own_shard" + shard), text);
                assertEquals(1, value(text, "shardline_metrics_shard_up" + shard), text);
                double utilization = value(text, "shardline_loop_utilization" + shard);
                assertTrue(utilization >= 0 && utilization <= 1, text);
                // Present for every shard; not asserted 0, since a loaded machine may really stall a loop.
                assertTrue(value(text, "shardline_loop_stall_duration_seconds_bucket{shard=\"" + s
                        + "\",le=\"+Inf\"}") >= 0, text);
            }

            // The counters are totals: a second scrape after more traffic reads more.
            double before = sum(text, "shardline_net_read_bytes_total");
            String again = scrape(metrics.port(), null).body();
            assertTrue(sum(again, "shardline_net_read_bytes_total") > before, "the first scrape's request was read");
        }
    }

    @Test
    void aStuckShardIsReportedDownAndTheScrapeStillAnswers() throws Exception {
        try (ShardRuntime rt = Net.install(ShardRuntime.builder().shards(2)).start()) {
            MetricsServer.Scrape scrape = new MetricsServer.Scrape(rt, List.of(ON_OWN_SHARD), Duration.ofMillis(200));
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Boolean> stuck = rt.submit(1, () -> {
                started.countDown();
                return release.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
            });
            assertTrue(started.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
            String text;
            try {
                text = collect(rt, scrape, null);
            } finally {
                release.countDown();
            }
            assertTrue(stuck.get(PATIENCE_SECONDS, TimeUnit.SECONDS));
            assertEquals(1, value(text, "shardline_metrics_shard_up{shard=\"0\"}"), text);
            assertEquals(0, value(text, "shardline_metrics_shard_up{shard=\"1\"}"), text);
            assertEquals(1, value(text, "test_sampled_on_own_shard{shard=\"0\"}"), text);
            assertTrue(!text.contains("test_sampled_on_own_shard{shard=\"1\"}"), "its application counters are left out");
            assertTrue(text.contains("shardline_loop_tasks_run_total{shard=\"1\"}"), "the runtime's counters are still read");

            // The stall ended with the release (it lasted past the scrape's 200 ms timeout): the watchdog
            // records its length when it next looks, and the shard answers again.
            // Its recorded length is the watchdog's view, from when it saw the task start to when it saw it
            // end, so it may fall a little short of the scrape's timeout: checked against the stall threshold.
            String sum = "shardline_loop_stall_duration_seconds_sum{shard=\"1\"}";
            String count = "shardline_loop_stall_duration_seconds_count{shard=\"1\"}";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
            String after = collect(rt, scrape, null);
            while (value(after, count) < 1 && System.nanoTime() < deadline) {
                after = collect(rt, scrape, null);
            }
            assertTrue(value(after, sum) >= 0.025, after);
            double recorded = value(after, count);
            assertTrue(recorded >= 1, after);
            assertTrue(value(after, "shardline_loop_stalls_total{shard=\"1\"}") >= recorded, "each recorded one was counted");
            assertEquals(1, value(after, "shardline_metrics_shard_up{shard=\"1\"}"), after);
        }
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        try (ShardRuntime rt = Net.install(ShardRuntime.builder().shards(1)).start();
             MetricsServer metrics = MetricsServer.start(rt, ANY, List.of())) {
            HttpResponse<String> r = scrape(metrics.port(), "application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
            assertTrue(r.body().endsWith("# EOF\n"), r.body());
            assertTrue(r.body().contains("shardline_loop_tasks_run_total{shard=\"0\"}"), r.body());

            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> missing = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metrics.port() + "/other")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
        }
    }

    @Test
    void theMetricsAddressIsHostColonPort() {
        assertEquals(new InetSocketAddress("127.0.0.1", 9100), MetricsServer.parseAddress("127.0.0.1:9100"));
        assertEquals(new InetSocketAddress("::1", 9100), MetricsServer.parseAddress("[::1]:9100"));
        for (String bad : List.of("9100", ":9100", "127.0.0.1:", "127.0.0.1:x", "127.0.0.1:70000", "[]:1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MetricsServer.parseAddress(bad), bad);
            assertTrue(e.getMessage().startsWith("--metrics"), e.getMessage());
        }
    }

    @Test
    void aFamilyKeepsOneType() {
        MetricFamilies f = new MetricFamilies().counter("x", "help", 1, "shard", "0");
        assertThrows(IllegalArgumentException.class, () -> f.gauge("x", "help", 1, "shard", "1"));
    }

    private static String collect(ShardRuntime rt, MetricsServer.Scrape scrape, String accept) throws Exception {
        MetricsServer.Exposition e = rt.submitAsync(0, () -> scrape.collect(accept)).get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        return new String(e.body(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> scrape(int port, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(PATIENCE_SECONDS));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the sample {@code series} (name and labels exactly as written); fails if absent. */
    static double value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        throw new AssertionError(series + " not in:\n" + text);
    }

    /** The sum of every sample of {@code name} over all its labels. */
    static double sum(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*\\} (\\S+)").matcher(text);
        double total = 0;
        boolean any = false;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
            any = true;
        }
        assertTrue(any, name + " not in:\n" + text);
        return total;
    }
}
