package io.shardline.net;

import static io.shardline.net.NetTestSupport.ANY_PORT;
import static io.shardline.net.NetTestSupport.PATIENCE;
import static io.shardline.net.NetTestSupport.connect;
import static io.shardline.net.NetTestSupport.eventually;
import static io.shardline.net.NetTestSupport.get;
import static io.shardline.net.NetTestSupport.randomBytes;
import static io.shardline.net.NetTestSupport.readExactly;
import static io.shardline.net.NetTestSupport.runtime;
import static io.shardline.net.NetTestSupport.totalConnections;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.shard.ShardRuntime;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bad peers on one shard: one that sends garbage, one that stops reading, ones that disconnect
 * mid-frame. Each gets only its own connection closed while the same shard serves every other one.
 */
class IsolationTest {
    private static final int MAX_FRAME = 64 * 1024;
    private static final long MAX_QUEUED = 256 * 1024;

    /** Echoes length-prefixed frames; a bad frame throws out of onData, which must end only this connection. */
    static final class FramedEcho implements ConnectionHandler {
        final ConcurrentHashMap<Integer, CompletableFuture<Throwable>> closedByPort;
        private LengthFieldDecoder decoder;

        FramedEcho(ConcurrentHashMap<Integer, CompletableFuture<Throwable>> closedByPort) {
            this.closedByPort = closedByPort;
        }

        @Override
        public void onOpen(Connection c) {
            decoder = new LengthFieldDecoder(4, MAX_FRAME, frame -> {
                ByteBuffer out = ByteBuffer.allocate(4 + frame.remaining());
                out.putInt(frame.remaining()).put(frame).flip();
                c.write(out); // no pause while unwritable: a peer that stops reading meets the queue limit
            });
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            try {
                decoder.decode(data);
            } catch (FrameTooLongException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void onClosed(Connection c, Throwable cause) {
            int port = ((InetSocketAddress) c.remoteAddress()).getPort();
            closedByPort.computeIfAbsent(port, p -> new CompletableFuture<>()).complete(cause);
        }
    }

    private static CompletableFuture<Throwable> closedFor(ConcurrentHashMap<Integer, CompletableFuture<Throwable>> m, Socket s) {
        return m.computeIfAbsent(s.getLocalPort(), p -> new CompletableFuture<>());
    }

    /** A well-behaved client: request/response rounds, each answer checked byte for byte. */
    private static void rounds(Socket s, Random rnd, int count) throws IOException {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        DataInputStream in = new DataInputStream(s.getInputStream());
        for (int i = 0; i < count; i++) {
            byte[] payload = randomBytes(rnd, rnd.nextInt(16 * 1024));
            out.writeInt(payload.length);
            out.write(payload);
            assertEquals(payload.length, in.readInt());
            assertArrayEquals(payload, readExactly(in, payload.length));
        }
    }

    /** Reads until the connection ends; true for EOF or a reset. */
    private static boolean ends(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        try {
            while (in.read(buf) >= 0) {
                // discard
            }
            return true;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void badPeersLoseOnlyTheirOwnConnections() throws Exception {
        ConcurrentHashMap<Integer, CompletableFuture<Throwable>> closed = new ConcurrentHashMap<>();
        ServerOptions options = ServerOptions.DEFAULT.withConnection(ConnectionOptions.DEFAULT.withMaxQueuedBytes(MAX_QUEUED));
        // One shard: the bad peers and the good ones share it.
        try (ShardRuntime rt = runtime(1);
             TcpServer server = TcpServer.start(rt, ANY_PORT, options, () -> new FramedEcho(closed));
             ExecutorService clients = Executors.newCachedThreadPool()) {
            int goodCount = 6;
            List<Socket> good = new ArrayList<>();
            for (int i = 0; i < goodCount; i++) {
                good.add(connect(server.port()));
            }
            CountDownLatch badDone = new CountDownLatch(1);
            List<CompletableFuture<Void>> goodRuns = new ArrayList<>();
            for (int i = 0; i < goodCount; i++) {
                Socket s = good.get(i);
                Random rnd = new Random(i);
                goodRuns.add(CompletableFuture.runAsync(() -> {
                    try {
                        rounds(s, rnd, 100); // alongside the bad peers
                        if (!badDone.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                            throw new AssertionError("bad peers never finished");
                        }
                        rounds(s, rnd, 100); // and after they are gone, on the same connections
                    } catch (IOException | InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }, clients));
            }

            try (Socket garbage = connect(server.port());
                 Socket deaf = connect(server.port(), 8 * 1024);
                 Socket quitter = connect(server.port());
                 Socket resetter = connect(server.port())) {
                // Garbage: a hostile length, then junk.
                OutputStream g = garbage.getOutputStream();
                g.write(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4, 5});
                assertTrue(ends(garbage.getInputStream()));
                Throwable garbageCause = get(closedFor(closed, garbage));
                assertInstanceOf(UncheckedIOException.class, garbageCause);
                assertInstanceOf(FrameTooLongException.class, garbageCause.getCause());

                // Stops reading: keeps sending requests and never reads a reply, until the server gives up on it.
                CompletableFuture<String> deafRun = CompletableFuture.supplyAsync(() -> {
                    try {
                        DataOutputStream out = new DataOutputStream(deaf.getOutputStream());
                        byte[] payload = new byte[16 * 1024];
                        for (int i = 0; i < 20_000; i++) { // 320 MiB: far past every buffer on the way
                            out.writeInt(payload.length);
                            out.write(payload);
                        }
                        return "the server never closed a peer that does not read";
                    } catch (IOException e) {
                        return "";
                    }
                }, clients);
                assertInstanceOf(BufferLimitExceededException.class, get(closedFor(closed, deaf)));
                assertEquals("", get(deafRun));

                // Disconnects mid-frame: an orderly close, and a reset.
                DataOutputStream q = new DataOutputStream(quitter.getOutputStream());
                q.writeInt(1000);
                q.write(new byte[10]);
                quitter.shutdownOutput();
                assertNull(get(closedFor(closed, quitter)), "an EOF mid-frame ends the connection in order");
                DataOutputStream r = new DataOutputStream(resetter.getOutputStream());
                r.writeInt(1000);
                r.write(new byte[10]);
                resetter.setSoLinger(true, 0);
                resetter.close();
                assertInstanceOf(IOException.class, get(closedFor(closed, resetter)));
            }
            badDone.countDown();
            for (CompletableFuture<Void> run : goodRuns) {
                get(run);
            }
            assertEquals(goodCount, totalConnections(rt), "every good connection is still open");
            for (Socket s : good) {
                assertTrue(closedFor(closed, s).getNow(null) == null && !closedFor(closed, s).isDone());
                s.close();
            }
            eventually("all closed", () -> totalConnections(rt) == 0);
        }
    }

    @Test
    void aHandlerThatThrowsClosesOnlyItsConnection() throws Exception {
        CompletableFuture<Throwable> victim = new CompletableFuture<>();
        ConnectionHandler fragile = new EchoHandler() {
            @Override
            public void onData(Connection c, ByteBuffer data) {
                if (data.get(data.position()) == '!') {
                    throw new IllegalStateException("handler bug");
                }
                super.onData(c, data);
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                if (cause != null) {
                    victim.complete(cause);
                }
            }
        };
        try (ShardRuntime rt = runtime(1);
             TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT, () -> fragile);
             Socket fine = connect(server.port());
             Socket bad = connect(server.port())) {
            bad.getOutputStream().write('!');
            assertInstanceOf(IllegalStateException.class, get(victim));
            assertTrue(ends(bad.getInputStream()));
            fine.getOutputStream().write('a');
            assertEquals('a', fine.getInputStream().read());
            assertEquals(1, totalConnections(rt));
        }
    }
}
