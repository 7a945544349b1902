package io.shardline.examples.router;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 100 MB through the proxy each way. The router's connections cap what they queue (16 MiB, past which
 * a connection is closed), so a transfer only completes if the proxy stops reading one side while the
 * other is slow: memory bounded by the caps, never by the body. The upload echoes back while it is
 * still arriving, so the test also sees that the gap between what was sent and what came back stays
 * within those caps; and it samples what the router itself holds (bytes its shards read and have not
 * written yet), bounded by a shard's receive buffers held across a pause (io_uring: 128 of 16 KiB), the
 * codec's 64 KiB hold and the queues' watermarks: a few MiB at most, never the body.
 */
class RouterStreamingTest {
    private static final long MB = 1 << 20;

    /**
     * The echo answers while it reads, and stops reading while its writes block: this stalled both ways
     * about 1 run in 5 while the router's upstream connection stopped reading responses whenever its
     * request queue was full (see HttpClientFlowControlTest for the same step by step).
     */
    @Test
    void a100MegabyteUploadStreamsThroughAndBack() throws Exception {
        long size = 100 * MB;
        try (TestUpstream up = TestUpstream.start("up");
             RouterServer r = RouterTests.router("--route", "/=" + up.address());
             RawClient c = new RawClient(r.port())) {
            RouterHeld held = new RouterHeld(r);
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = c.out();
                    out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n").getBytes(ISO_8859_1));
                    byte[] buf = new byte[64 * 1024];
                    for (long at = 0; at < size; ) {
                        int n = (int) Math.min(buf.length, size - at);
                        for (int i = 0; i < n; i++) {
                            buf[i] = TestUpstream.pattern(at + i);
                        }
                        out.write(buf, 0, n);
                        at += n;
                        sent.set(at);
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, run -> Thread.ofVirtual().start(run));
            assertEquals("HTTP/1.1 200 OK", c.line());
            String te = null;
            String line;
            while (!(line = c.line()).isEmpty()) {
                if (line.regionMatches(true, 0, "transfer-encoding:", 0, 18)) {
                    te = line.substring(18).trim();
                }
            }
            assertEquals("chunked", te);
            long got = 0;
            long maxGap = 0;
            InputStream in = c.in();
            byte[] buf = new byte[64 * 1024];
            while (true) {
                int n = Integer.parseInt(c.line().trim(), 16);
                if (n == 0) {
                    break;
                }
                for (int left = n; left > 0; ) {
                    int k = in.read(buf, 0, Math.min(left, buf.length));
                    for (int i = 0; i < k; i++) {
                        if (buf[i] != TestUpstream.pattern(got + i)) {
                            throw new AssertionError("byte " + (got + i) + " differs");
                        }
                    }
                    got += k;
                    left -= k;
                }
                maxGap = Math.max(maxGap, sent.get() - got);
                held.sample();
                c.line();
            }
            c.line();
            assertEquals(size, got);
            upload.get(60, TimeUnit.SECONDS);
            assertTrue(maxGap < 64 * MB, "sent ran " + maxGap / MB + " MiB ahead of what came back");
            System.out.println("router held at most " + held.max() / 1024 + " KiB of the echoed upload");
            assertTrue(held.max() < 8 * MB, "the router held " + held.max() / 1024 + " KiB at once");
        }
    }

    @Test
    void a100MegabyteDownloadStreamsThrough() throws Exception {
        try (TestUpstream up = TestUpstream.start("up");
             RouterServer r = RouterTests.router("--route", "/=" + up.address());
             RawClient c = new RawClient(r.port())) {
            RawClient.Response head = c.getHead("/big/100");
            assertEquals(200, head.status());
            long length = Long.parseLong(head.header("content-length"));
            assertEquals(100 * MB, length, "a known length goes through as Content-Length");
            InputStream in = c.in();
            byte[] buf = new byte[64 * 1024];
            long got = 0;
            RouterHeld held = new RouterHeld(r);
            while (got < length) {
                int k = in.read(buf, 0, (int) Math.min(buf.length, length - got));
                assertTrue(k > 0);
                for (int i = 0; i < k; i++) {
                    if (buf[i] != TestUpstream.pattern(got + i)) {
                        throw new AssertionError("byte " + (got + i) + " differs");
                    }
                }
                got += k;
                held.sample();
            }
            assertTrue(held.max() < 8 * MB, "the router held " + held.max() / 1024 + " KiB at once");
            assertEquals("up", c.get("/").text(), "the connection is reusable after the big body");
        }
    }
}
