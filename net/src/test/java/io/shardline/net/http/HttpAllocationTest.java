package io.shardline.net.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shardline.core.Future;
import io.shardline.net.Net;
import io.shardline.shard.ShardRuntime;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * What a plaintext keep-alive exchange allocates on the shard thread: counted with the JVM's
 * per-thread allocation counter over many pipelined requests, so the bound is on bytes, not time.
 */
class HttpAllocationTest {
    /** Shared by every request: a response with a whole body and no per-request fields. */
    private static final HttpResponse PLAINTEXT = HttpResponse.ok("Hello, World!");
    private static final int REQUESTS = 20_000;
    private static final int BATCH = 100;

    @Test
    void aPlaintextKeepAliveExchangeAllocatesLittle() throws Exception {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
        Future<HttpResponse> ready = Future.succeeded(PLAINTEXT);
        try (ShardRuntime rt = Net.install(ShardRuntime.builder().shards(1)).start();
             HttpServer server = HttpServer.start(rt, HttpTestServers.ANY, HttpServerOptions.DEFAULT, req -> ready);
             RawHttp c = new RawHttp(server.port())) {
            long shardThread = rt.shard(0).loop().thread().threadId();
            String batch = "GET /plaintext HTTP/1.1\r\nHost: localhost\r\n\r\n".repeat(BATCH);
            run(c, batch, 2_000); // warm up: JIT, buffers, the Date line
            long before = threads.getThreadAllocatedBytes(shardThread);
            run(c, batch, REQUESTS);
            long perRequest = (threads.getThreadAllocatedBytes(shardThread) - before) / REQUESTS;
            System.out.println("allocated per plaintext request on the shard (" + Net.transportName() + "): "
                    + perRequest + " bytes");
            assertTrue(perRequest < 512, "allocated " + perRequest + " bytes per request");
        }
    }

    private static void run(RawHttp c, String batch, int requests) throws Exception {
        for (int i = 0; i < requests; i += BATCH) {
            c.send(batch);
            for (int k = 0; k < BATCH; k++) {
                assertEquals("Hello, World!", c.read().text());
            }
        }
    }
}
