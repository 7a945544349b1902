package io.shardline.net;

import static io.shardline.net.NetTestSupport.connect;
import static io.shardline.net.NetTestSupport.get;
import static io.shardline.net.NetTestSupport.runtime;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import io.shardline.shard.ShardRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which transports batch their socket calls through io_uring, and the paths only batches have: bytes
 * written outside a handler (by a task, with the loop otherwise idle) still go out before it sleeps.
 * The rest of the net suite runs twice, batched and with plain NIO calls (see the module's pom).
 */
class SocketBatchTest {
    private ShardRuntime rt;

    @BeforeEach
    void setUp() {
        rt = runtime(1);
    }

    @AfterEach
    void tearDown() {
        rt.close();
    }

    @Test
    void theDefaultTransportBatchesWhereIoUringWorksUnlessTurnedOff() {
        boolean wanted = !"off".equals(System.getProperty(NioTransport.IO_URING_PROPERTY));
        boolean works = ioUringWorksHere();
        Loop loop = rt.shard(0).loop();
        boolean batches = get(loop.call(() -> ((NioTransport) Transport.of(loop)).batchesSocketCalls()));
        assertEquals(wanted && works, batches);
    }

    @Test
    void aTransportBuiltWithoutIoUringMakesPlainCalls() {
        try (Loop loop = new Loop(LoopConfig.builder().name("plain").parker(() -> new NioTransport(false)).build())) {
            loop.start();
            assertFalse(get(loop.call(() -> ((NioTransport) Transport.of(loop)).batchesSocketCalls())));
        }
    }

    @Test
    void bytesATaskWritesGoOutThoughTheLoopHasNothingElseToDo() throws Exception {
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        try (TcpServer server = TcpServer.start(rt, NetTestSupport.ANY_PORT, ServerOptions.DEFAULT,
                () -> new ConnectionHandler() {
                    @Override
                    public void onOpen(Connection c) {
                        opened.complete(c);
                    }

                    @Override
                    public void onData(Connection c, ByteBuffer data) {
                        data.position(data.limit());
                    }
                });
             Socket client = connect(server.port())) {
            Connection c = get(opened);
            InputStream in = client.getInputStream();
            for (int i = 0; i < 20; i++) {
                byte[] message = ("message " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                // From a task: no read, and so no send batch of a pass, comes with it.
                get(c.loop().call(() -> c.write(ByteBuffer.wrap(message))));
                assertArrayEquals(message, in.readNBytes(message.length));
            }
        }
    }

    private static boolean ioUringWorksHere() {
        if (NioInternals.unavailable() != null) {
            return false;
        }
        try (IoUring ring = IoUring.open(2)) {
            return ring.capacity() >= 2;
        } catch (IOException e) {
            return false;
        }
    }
}
