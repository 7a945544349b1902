package io.shardline.net;

import static io.shardline.net.NetTestSupport.ANY_PORT;
import static io.shardline.net.NetTestSupport.connect;
import static io.shardline.net.NetTestSupport.crc;
import static io.shardline.net.NetTestSupport.eventually;
import static io.shardline.net.NetTestSupport.get;
import static io.shardline.net.NetTestSupport.randomBytes;
import static io.shardline.net.NetTestSupport.readExactly;
import static io.shardline.net.NetTestSupport.runtime;
import static io.shardline.net.NetTestSupport.totalConnections;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Await;
import io.shardline.core.Loop;
import io.shardline.shard.ShardRuntime;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Blocking-style code in shard-confined virtual threads, against plain sockets and against itself. */
class BlockingConnectionTest {
    private ShardRuntime rt;

    @BeforeEach
    void start() {
        rt = runtime(2);
    }

    @AfterEach
    void stop() {
        rt.close();
    }

    /**
     * Per request: a 4-byte length and a payload; per reply: the payload's length, its CRC32 and the
     * payload reversed. Ends at a clean end of stream between requests.
     */
    static final Consumer<BlockingConnection> REVERSER = c -> {
        try {
            ByteBuffer header = ByteBuffer.allocate(4);
            while (true) {
                header.clear();
                try {
                    c.readFully(header);
                } catch (EOFException end) {
                    return;
                }
                int len = header.flip().getInt();
                ByteBuffer payload = ByteBuffer.allocate(len);
                c.readFully(payload);
                byte[] p = payload.array();
                ByteBuffer reply = ByteBuffer.allocate(12 + len);
                reply.putInt(len).putLong(crc(p));
                for (int i = len - 1; i >= 0; i--) {
                    reply.put(p[i]);
                }
                c.write(reply.flip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    };

    static byte[] reversed(byte[] p) {
        byte[] r = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            r[i] = p[p.length - 1 - i];
        }
        return r;
    }

    @Test
    void aBlockingServerAnswersAPlainSocketClient() throws Exception {
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT, () -> BlockingConnection.serving(REVERSER));
             Socket s = connect(server.port())) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            Random rnd = new Random(1);
            for (int i = 0; i < 30; i++) {
                // Some requests are bigger than the reader's 256 KiB buffer, so reading pauses and resumes.
                byte[] p = randomBytes(rnd, i == 0 ? 0 : rnd.nextInt(i % 5 == 0 ? 1_500_000 : 3000));
                out.writeInt(p.length);
                for (int pos = 0; pos < p.length; ) { // in uneven pieces
                    int k = Math.min(p.length - pos, 1 + rnd.nextInt(70_000));
                    out.write(p, pos, k);
                    pos += k;
                }
                assertEquals(p.length, in.readInt());
                assertEquals(crc(p), in.readLong());
                assertArrayEquals(reversed(p), readExactly(in, p.length));
            }
            s.shutdownOutput(); // the body sees EOF, returns, and the connection closes
            assertEquals(-1, in.read());
        }
        eventually("server side closed", () -> totalConnections(rt) == 0);
    }

    @Test
    void manyBlockingConnectionsAtOnce() throws Exception {
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT, () -> BlockingConnection.serving(REVERSER));
             java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16)) {
            java.util.List<CompletableFuture<Void>> runs = new java.util.ArrayList<>();
            for (int c = 0; c < 64; c++) {
                int seed = c;
                runs.add(CompletableFuture.runAsync(() -> {
                    try (Socket s = connect(server.port())) {
                        DataOutputStream out = new DataOutputStream(s.getOutputStream());
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        Random rnd = new Random(seed);
                        for (int i = 0; i < 20; i++) {
                            byte[] p = randomBytes(rnd, rnd.nextInt(20_000));
                            out.writeInt(p.length);
                            out.write(p);
                            assertEquals(p.length, in.readInt());
                            assertEquals(crc(p), in.readLong());
                            assertArrayEquals(reversed(p), readExactly(in, p.length));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, pool));
            }
            for (CompletableFuture<Void> r : runs) {
                get(r);
            }
        }
    }

    @Test
    void aBlockingClientInAVirtualThreadTalksToABlockingServer() throws Exception {
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT, () -> BlockingConnection.serving(REVERSER))) {
            byte[] p = randomBytes(new Random(2), 700_000);
            String result = get(rt.submitAsync(1, () -> Loop.current().spawnThread(() -> {
                BlockingConnection c = Await.await(BlockingConnection.connect(server.address(), Duration.ofSeconds(10)));
                ByteBuffer request = ByteBuffer.allocate(4 + p.length).putInt(p.length).put(p).flip();
                c.write(request);
                ByteBuffer head = ByteBuffer.allocate(12);
                c.readFully(head);
                head.flip();
                ByteBuffer body = ByteBuffer.allocate(head.getInt());
                long sum = head.getLong();
                c.readFully(body);
                c.shutdownOutput();
                int end = c.read(ByteBuffer.allocate(1)); // the server ends after our half-close
                c.close();
                boolean onShard = c.connection().loop() == rt.shard(1).loop();
                return (sum == crc(p)) + " " + java.util.Arrays.equals(body.array(), reversed(p)) + " " + end + " " + onShard;
            })));
            assertEquals("true true -1 true", result);
        }
        eventually("both ends closed", () -> totalConnections(rt) == 0);
    }

    @Test
    void readingAResetConnectionThrows() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT, () -> BlockingConnection.serving(c -> {
            try {
                c.readFully(ByteBuffer.allocate(100));
                failure.complete(null);
            } catch (IOException e) {
                failure.complete(e);
            }
        }))) {
            try (Socket s = connect(server.port())) {
                s.getOutputStream().write(new byte[10]);
                s.setSoLinger(true, 0);
            }
            Throwable t = get(failure);
            assertInstanceOf(IOException.class, t, "a reset mid-read is an error, not a short read");
            assertTrue(!(t instanceof EOFException) || t.getMessage().contains("90"), String.valueOf(t));
        }
    }
}
