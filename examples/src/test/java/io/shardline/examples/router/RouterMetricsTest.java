package io.shardline.examples.router;

import static io.shardline.examples.Scrapes.assertPromtoolAccepts;
import static io.shardline.examples.Scrapes.scrape;
import static io.shardline.examples.Scrapes.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.net.metrics.MetricsServer;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The router's /metrics: requests by route, upstream and status and the latency histogram move with the traffic. */
class RouterMetricsTest {

    @Test
    void requestCountersAndTheLatencyHistogramMoveAndPromtoolAcceptsTheText() throws Exception {
        try (RawUpstream up = new RawUpstream("ok");
             RouterServer r = RouterTests.router("--shards", "2", "--route", "/api=" + up.address());
             MetricsServer metrics = MetricsServer.start(r.runtime(), new InetSocketAddress("127.0.0.1", 0),
                     List.of(new RouterMetrics(r)));
             RawClient c = new RawClient(r.port())) {
            for (int i = 0; i < 7; i++) {
                assertEquals("ok", c.get("/api/x").text());
            }
            assertEquals(404, c.get("/elsewhere").status());
            String text = scrape(metrics.port());
            assertEquals(7, sum(text, "shardline_router_requests_total", "status=\"200\""), text);
            assertEquals(7, sum(text, "shardline_router_request_duration_seconds_count", "route=\"/api\""), text);
            assertTrue(sum(text, "shardline_router_request_duration_seconds_sum", "route=\"/api\"") > 0, text);
            assertPromtoolAccepts(text);
        }
    }
}
