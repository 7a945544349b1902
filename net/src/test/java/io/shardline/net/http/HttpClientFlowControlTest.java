package io.shardline.net.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import io.shardline.core.ManualClock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client connection's flow control, on a loop the test drives by hand over a
 * {@link ScriptedConnection}: every step is the test's, so an interleaving that took 1 run in 5 on real
 * sockets (a proxied echo that stalled both ways) happens every time.
 */
class HttpClientFlowControlTest {
    private Loop loop;
    private HttpClientConnection client;
    private ScriptedConnection socket;

    @BeforeEach
    void open() {
        loop = new Loop(LoopConfig.builder().name("client-flow").clock(new ManualClock())
                // A hand-driven loop looks stalled between runOnce calls; keep the watchdog quiet.
                .stallThreshold(Duration.ofHours(1)).stallListener(r -> { }).build());
        loop.runOnce(); // binds the loop to this thread
        client = new HttpClientConnection(new InetSocketAddress("127.0.0.1", 9), HttpClientOptions.DEFAULT);
        socket = new ScriptedConnection(loop, client);
    }

    @AfterEach
    void close() {
        loop.close();
    }

    /**
     * An echoing upstream stops reading the request once its own writes block; so while the request body
     * cannot be written (the write queue over its high watermark) the response must still be read, or
     * neither side ever moves again.
     */
    @Test
    void aResponseIsReadWhileTheRequestBodyCannotBeWritten() {
        StringBuilder parts = new StringBuilder("part1");
        BodySink[] sink = new BodySink[1];
        Future<ClientResponse> f = client.send(ClientRequest.of("POST", "/echo").body(10, s -> {
            sink[0] = s;
            s.write(bytes("part1"));
        }));
        assertTrue(socket.takeWritten().endsWith("\r\n\r\npart1"), "the head and the first part went out");

        socket.writable(false); // the upstream stopped reading: the queue is over its high watermark
        boolean[] resumed = {false};
        sink[0].whenWritable(() -> resumed[0] = true);
        drain();
        assertFalse(resumed[0], "the producer waits while the connection is not writable");

        socket.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\npart1\r\n");
        drain();
        assertFalse(socket.readingPaused(), "the response is read while the request cannot be written");
        assertEquals(0, socket.heldInputs());
        assertTrue(f.isSucceeded(), "the response head arrived while the request body waited");
        StringBuilder echoed = new StringBuilder();
        boolean[] ended = {false};
        f.getNow().body().read(new BodyReader() {
            @Override
            public void onData(ByteBuffer part) {
                echoed.append(StandardCharsets.ISO_8859_1.decode(part));
            }

            @Override
            public void onEnd(HttpHeaders trailers) {
                ended[0] = true;
            }
        });
        drain();
        assertEquals("part1", echoed.toString(), "the echoed part reached the reader before the queue drained");

        socket.writable(true); // the upstream, having written its echo, reads again
        runUntil(() -> resumed[0]);
        sink[0].write(bytes("part2"));
        sink[0].end();
        parts.append("part2");
        assertEquals("part2", socket.takeWritten());
        socket.feed("5\r\npart2\r\n0\r\n\r\n");
        drain();
        assertEquals(parts.toString(), echoed.toString());
        assertTrue(ended[0]);
        assertEquals(0, client.pending(), "the exchange is done");
        assertTrue(client.isReusable());
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void drain() {
        for (int i = 0; i < 1000 && loop.runOnce() > 0; i++) {
            // keep iterating while there is work
        }
    }

    private void runUntil(BooleanSupplier done) {
        for (int i = 0; i < 100_000; i++) {
            if (done.getAsBoolean()) {
                return;
            }
            loop.runOnce();
        }
        fail("condition not reached after 100,000 loop iterations");
    }
}
