package io.shardline.examples.router;

import static io.shardline.examples.router.RouterTests.config;
import static io.shardline.examples.router.RouterTests.eventually;
import static io.shardline.examples.router.RouterTests.unchecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many clients at once, and reloads while they run. */
class RouterLoadTest {
    private TestUpstream a;
    private TestUpstream b;

    @BeforeEach
    void upstreams() throws Exception {
        a = TestUpstream.start("a");
        b = TestUpstream.start("b");
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    @Test
    void aThousandConcurrentKeepAliveClients() throws Exception {
        int clients = 1000;
        int requests = 3;
        try (RouterServer r = RouterTests.router("--shards", "4", "--route", "/=" + a.address() + "," + b.address());
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch allConnected = new CountDownLatch(clients);
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                done.add(pool.submit(() -> {
                    try (RawClient c = new RawClient(r.port())) {
                        allConnected.countDown();
                        allConnected.await(); // every client holds its connection open at once
                        int ok = 0;
                        for (int k = 0; k < requests; k++) {
                            RawClient.Response resp = c.get("/");
                            if (resp.status() == 200 && (resp.text().equals("a") || resp.text().equals("b"))) {
                                ok++;
                            }
                        }
                        return ok;
                    }
                }));
            }
            int ok = 0;
            for (Future<Integer> f : done) {
                ok += f.get(120, TimeUnit.SECONDS);
            }
            assertEquals(clients * requests, ok);
            assertEquals(clients * requests, a.hits.get() + b.hits.get());
        }
    }

    @Test
    void reloadsUnderLoadFailNoRequest() throws Exception {
        try (TestUpstream c = TestUpstream.start("c");
             RouterServer r = RouterTests.router("--route", "/=" + a.address(), "--route", "/x=" + c.address());
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong served = new AtomicLong();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Future<?>> load = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                load.add(pool.submit(() -> unchecked(() -> {
                    try (RawClient cl = new RawClient(r.port())) {
                        while (!stop.get()) {
                            RawClient.Response resp = cl.get("/");
                            if (resp.status() != 200) {
                                failures.add(resp.status() + " " + resp.text());
                            }
                            served.incrementAndGet();
                        }
                    }
                    return null;
                })));
            }
            String[][] configs = {
                    {"--route", "/=" + b.address()},
                    {"--route", "/=" + a.address() + "," + b.address(), "--balance", "least-conn"},
                    {"--route", "/=" + a.address(), "--route", "/x=" + c.address()},
                    {"--route", "/=" + b.address() + "," + a.address(), "--balance", "hash:path"},
                    {"--route", "/=" + b.address()},
            };
            for (String[] cfg : configs) {
                long before = served.get();
                r.reload(config(cfg));
                eventually("requests go on after a reload", () -> served.get() > before + 50);
            }
            long bHits = b.hits.get();
            eventually("the last config is the one served", () -> b.hits.get() > bHits + 50);
            int aHits = a.hits.get();
            for (int i = 0; i < 20; i++) {
                try (RawClient cl = new RawClient(r.port())) {
                    assertEquals("b", cl.get("/").text());
                }
            }
            stop.set(true);
            for (Future<?> f : load) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertTrue(failures.isEmpty(), "failed during reloads: " + failures);
            assertTrue(a.hits.get() - aHits <= 16, "at most the requests in flight at the last reload went to a");
        }
    }
}
