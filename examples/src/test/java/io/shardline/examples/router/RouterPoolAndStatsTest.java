package io.shardline.examples.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Keep-alive pools per shard, their bound, the per-shard counters, and reloading by signal. */
class RouterPoolAndStatsTest {

    @Test
    void upstreamConnectionsAreKeptAliveAndReused() throws Exception {
        try (RawUpstream up = new RawUpstream("ok");
             RouterServer r = RouterTests.router("--shards", "1", "--route", "/=" + up.address());
             RawClient c = new RawClient(r.port())) {
            for (int i = 0; i < 10; i++) {
                assertEquals("ok", c.get("/").text());
            }
            assertEquals(1, up.accepts.get(), "ten requests, one upstream connection");
            assertEquals(List.of(1), r.idleConnections(up.address()));
        }
    }

    @Test
    void idleConnectionsAreBoundedPerShard() throws Exception {
        try (TestUpstream up = TestUpstream.start("u");
             RouterServer r = RouterTests.router("--shards", "1", "--max-idle", "2", "--route", "/=" + up.address())) {
            List<RawClient> clients = new ArrayList<>();
            List<Thread> slow = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                RawClient c = new RawClient(r.port());
                clients.add(c);
                slow.add(Thread.ofVirtual().start(() -> RouterTests.unchecked(() -> c.get("/slow"))));
            }
            for (int i = 0; i < 5; i++) {
                assertTrue(up.slowArrived.poll(30, TimeUnit.SECONDS) != null, "five upstream connections at once");
            }
            up.release();
            for (Thread t : slow) {
                t.join();
            }
            RouterTests.eventually("finished exchanges return their connections", () ->
                    RouterTests.unchecked(() -> r.idleConnections(up.address())).get(0) == 2);
            for (RawClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void countersByRouteUpstreamAndStatusAndALatencyHistogram() throws Exception {
        try (TestUpstream up = TestUpstream.start("u");
             RouterServer r = RouterTests.router("--shards", "2", "--route", "/api=" + up.address() + "," + RouterTests.deadAddress());
             RawClient c = new RawClient(r.port())) {
            int ok = 0;
            for (int i = 0; i < 6; i++) {
                if (c.get("/api/x").status() == 200) {
                    ok++;
                }
            }
            assertEquals(6, ok, "GETs retried past the dead upstream");
            assertEquals(404, c.get("/other").status());
            List<RouterStats.Snapshot> all = r.stats().get(30, TimeUnit.SECONDS);
            assertEquals(2, all.size(), "one snapshot per shard");
            long served = 0;
            long unrouted = 0;
            long latencyCount = 0;
            for (RouterStats.Snapshot s : all) {
                for (RouterStats.RequestCount rc : s.requests()) {
                    if (rc.route().equals("/api") && rc.upstream().equals(up.address()) && rc.status() == 200) {
                        served += rc.count();
                    }
                    if (rc.route().equals(RouterStats.NO_UPSTREAM) && rc.status() == 404) {
                        unrouted += rc.count();
                    }
                }
                for (RouterStats.LatencyHistogram h : s.latencies()) {
                    if (h.route().equals("/api")) {
                        latencyCount += h.count();
                        for (int i = 1; i < h.cumulative().length; i++) {
                            assertTrue(h.cumulative()[i] >= h.cumulative()[i - 1], "cumulative buckets");
                        }
                    }
                }
            }
            assertEquals(6, served);
            assertEquals(1, unrouted);
            assertEquals(6, latencyCount);
        }
    }

    @Test
    void aReloadThatMovesTheListenerIsRefusedAndTheRunningConfigKept() throws Exception {
        try (TestUpstream up = TestUpstream.start("u");
             RouterServer r = RouterTests.router("--route", "/=" + up.address())) {
            RouterConfig before = r.config();
            assertThrows(IllegalArgumentException.class, () -> r.reload(RouterTests.config("--shards", "3", "--route", "/=" + up.address())));
            assertEquals(before, r.config());
            try (RawClient c = new RawClient(r.port())) {
                assertEquals("u", c.get("/").text());
            }
        }
    }

    @Test
    void sighupRunsTheReload() throws Exception {
        CountDownLatch hup = new CountDownLatch(1);
        if (!Reload.onHangup(hup::countDown)) {
            return; // no SIGHUP on this platform; sending one would stop the JVM
        }
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
        assertEquals(0, kill.waitFor());
        assertTrue(hup.await(30, TimeUnit.SECONDS), "the handler ran");
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
