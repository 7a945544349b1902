package io.shardline.net;

import static io.shardline.net.NetTestSupport.ANY_PORT;
import static io.shardline.net.NetTestSupport.PATIENCE;
import static io.shardline.net.NetTestSupport.READ_BUFFER;
import static io.shardline.net.NetTestSupport.connect;
import static io.shardline.net.NetTestSupport.connections;
import static io.shardline.net.NetTestSupport.crc;
import static io.shardline.net.NetTestSupport.drainPattern;
import static io.shardline.net.NetTestSupport.echoServer;
import static io.shardline.net.NetTestSupport.eventually;
import static io.shardline.net.NetTestSupport.failureOf;
import static io.shardline.net.NetTestSupport.get;
import static io.shardline.net.NetTestSupport.onLoop;
import static io.shardline.net.NetTestSupport.pattern;
import static io.shardline.net.NetTestSupport.patternChunk;
import static io.shardline.net.NetTestSupport.randomBytes;
import static io.shardline.net.NetTestSupport.readExactly;
import static io.shardline.net.NetTestSupport.runtime;
import static io.shardline.net.NetTestSupport.totalConnections;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Bridges;
import io.shardline.shard.ShardRuntime;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One connection at a time: partial reads and writes, backpressure, limits, half-close, close and abort. */
class ConnectionTest {
    private ShardRuntime rt;

    @BeforeEach
    void start() {
        rt = runtime(2);
    }

    @AfterEach
    void stop() {
        rt.close();
    }

    /** A server whose connections get handlers from {@code handlers}; each new handler is also queued for the test. */
    private <H extends ConnectionHandler> TcpServer server(ServerOptions options, Supplier<H> handlers, BlockingQueue<H> made) {
        return TcpServer.start(rt, ANY_PORT, options, () -> {
            H h = handlers.get();
            made.add(h);
            return h;
        });
    }

    private static <T> T take(BlockingQueue<T> q) throws InterruptedException {
        T t = q.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(t, "nothing arrived within " + PATIENCE);
        return t;
    }

    // ---------------------------------------------------------------- echo and client connect

    @Test
    void aPlainSocketClientGetsItsBytesEchoed() throws Exception {
        try (TcpServer server = echoServer(rt, ServerOptions.DEFAULT);
             Socket s = connect(server.port())) {
            byte[] payload = randomBytes(new Random(1), 300_000);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(payload);
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] back = s.getInputStream().readAllBytes(); // the echo handler closes after our half-close
            get(writer);
            assertArrayEquals(payload, back);
        }
        eventually("server connections closed", () -> totalConnections(rt) == 0);
    }

    /** Collects what a client connection receives. */
    static final class Collecting implements ConnectionHandler {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final int expect;
        final CompletableFuture<byte[]> all = new CompletableFuture<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();

        Collecting(int expect) {
            this.expect = expect;
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            received.writeBytes(b);
            if (received.size() >= expect) {
                all.complete(received.toByteArray());
            }
        }

        @Override
        public void onClosed(Connection c, Throwable cause) {
            closed.complete(cause);
        }
    }

    @Test
    void aTransportClientConnectsToAListeningPortAndGetsAnEcho() throws Exception {
        BlockingQueue<EchoHandler> made = new LinkedBlockingQueue<>();
        try (TcpServer server = server(ServerOptions.DEFAULT, EchoHandler::new, made)) {
            byte[] payload = randomBytes(new Random(2), 1_000_000);
            Collecting client = new Collecting(payload.length);
            Connection c = get(rt.submitAsync(1, () -> Net.transport().connect(server.address(), Duration.ofSeconds(10),
                    ConnectionOptions.DEFAULT, client)));
            assertEquals(server.address(), c.remoteAddress());
            assertTrue(onLoop(c, () -> c.loop() == rt.shard(1).loop() && c.isOpen()));
            take(made);
            assertTrue(onLoop(c, () -> c.write(ByteBuffer.wrap(payload))));
            assertArrayEquals(payload, get(client.all));
            get(rt.submitAsync(1, c::close));
            assertNull(get(client.closed), "a graceful close has no cause");
            assertFalse(onLoop(c, c::isOpen));
            assertFalse(onLoop(c, () -> c.write(ByteBuffer.wrap(new byte[1]))), "a closed connection takes no writes");
        }
        eventually("both ends closed", () -> totalConnections(rt) == 0);
    }

    // ---------------------------------------------------------------- partial reads and writes

    /** Answers each length-prefixed request with the CRC32 of its payload. */
    static final class CrcServer implements ConnectionHandler {
        private LengthFieldDecoder decoder;

        @Override
        public void onOpen(Connection c) {
            decoder = new LengthFieldDecoder(4, 1 << 20, frame -> {
                CRC32 crc = new CRC32();
                crc.update(frame);
                c.write(ByteBuffer.allocate(8).putLong(crc.getValue()).flip());
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
    }

    @Test
    void requestsArrivingInPiecesAreReassembled() throws Exception {
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT, CrcServer::new);
             Socket s = connect(server.port())) {
            OutputStream out = s.getOutputStream(); // unbuffered: every write below is its own segment
            DataInputStream in = new DataInputStream(s.getInputStream());
            Random rnd = new Random(3);
            for (int round = 0; round < 40; round++) {
                byte[] payload = randomBytes(rnd, round < 5 ? round : rnd.nextInt(round < 10 ? 300 : 200_000));
                byte[] msg = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
                if (round < 10) {
                    for (byte b : msg) {
                        out.write(b);
                    }
                } else {
                    for (int pos = 0; pos < msg.length; ) {
                        int k = Math.min(msg.length - pos, 1 + rnd.nextInt(round % 2 == 0 ? 7 : 100_000));
                        out.write(msg, pos, k);
                        pos += k;
                    }
                }
                assertEquals(crc(payload), in.readLong(), "round " + round);
            }
        }
    }

    /** Writes a known stream in many writes of awkward sizes in one go, then closes gracefully. */
    @Test
    void manySmallAndOddWritesToASlowPeerArriveInOrder() throws Exception {
        long total = 6L * 1024 * 1024;
        CompletableFuture<String> problems = new CompletableFuture<>();
        AtomicLong queuedAtEnd = new AtomicLong();
        ConnectionHandler writer = new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                Random rnd = new Random(4);
                long at = 0;
                while (at < total) {
                    int len = (int) Math.min(total - at, switch (rnd.nextInt(4)) {
                        case 0 -> 1 + rnd.nextInt(16);
                        case 1 -> 16 * 1024 - 1 + rnd.nextInt(3); // around a queue chunk
                        case 2 -> 1 + rnd.nextInt(40_000);
                        default -> 1 + rnd.nextInt(1000);
                    });
                    ByteBuffer chunk = patternChunk(at, len, rnd.nextBoolean());
                    if (rnd.nextInt(5) == 0) { // a view with a non-zero position
                        ByteBuffer wide = ByteBuffer.allocate(len + 10);
                        wide.position(7);
                        wide.put(chunk);
                        chunk = wide.flip().position(7);
                    }
                    if (!c.write(chunk) || chunk.hasRemaining()) {
                        problems.complete("write at " + at + " returned false or left " + chunk.remaining() + " bytes");
                        return;
                    }
                    at += len;
                }
                queuedAtEnd.set(c.queuedBytes());
                problems.complete("");
                c.close();
            }

            @Override
            public void onData(Connection c, ByteBuffer data) {
                data.position(data.limit());
            }
        };
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT.withConnection(
                ConnectionOptions.DEFAULT.withMaxQueuedBytes(64L * 1024 * 1024)), () -> writer);
             Socket s = connect(server.port(), 8 * 1024)) {
            assertEquals("", get(problems));
            assertTrue(queuedAtEnd.get() > 0, "the writes outran the socket, so most went through the queue");
            NetTestSupport.Drained d = drainPattern(s.getInputStream(), 777); // small, odd-sized reads
            assertNull(d.error());
            assertEquals(total, d.bytes());
            assertTrue(d.intact(), "first wrong byte at " + d.firstMismatch());
        }
    }

    // ---------------------------------------------------------------- watermarks, limits, slow readers

    @Test
    void writabilityTurnsFalseAboveTheHighWatermarkAndTrueBelowTheLow() throws Exception {
        int low = 16 * 1024;
        int high = 128 * 1024;
        ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        CompletableFuture<Void> unwritable = new CompletableFuture<>();
        CompletableFuture<Long> written = new CompletableFuture<>();
        ConnectionHandler producer = new ConnectionHandler() {
            long at;

            @Override
            public void onOpen(Connection c) {
                while (c.isWritable() && at < 256L * 1024 * 1024) {
                    c.write(patternChunk(at, 64 * 1024, true));
                    at += 64 * 1024;
                }
                if (c.isWritable()) {
                    events.add("never became unwritable");
                }
            }

            @Override
            public void onData(Connection c, ByteBuffer data) {
                data.position(data.limit());
            }

            @Override
            public void onWritabilityChanged(Connection c, boolean writable) {
                long q = c.queuedBytes();
                events.add(writable + (q > high ? " above high" : q <= low ? " at or below low" : " between"));
                if (!writable) {
                    unwritable.complete(null);
                } else {
                    written.complete(at);
                    c.close();
                }
            }
        };
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT.withConnection(
                ConnectionOptions.DEFAULT.withWatermarks(low, high)), () -> producer);
             Socket s = connect(server.port(), 8 * 1024)) {
            get(unwritable);
            NetTestSupport.Drained d = drainPattern(s.getInputStream(), 64 * 1024);
            assertNull(d.error());
            assertEquals(get(written), d.bytes());
            assertTrue(d.intact());
            assertEquals(List.of("false above high", "true at or below low"), List.copyOf(events));
        }
    }

    @Test
    void aPeerThatNeverReadsGetsTheConnectionClosedAtTheBufferLimit() throws Exception {
        long limit = 512 * 1024;
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        ConnectionHandler flood = new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                long maxQueued = 0;
                for (int i = 0; i < 4096; i++) { // up to 256 MiB: far more than any socket buffer
                    if (!c.write(patternChunk(0, 64 * 1024, false))) {
                        outcome.complete("refused after " + i + " writes, max queued " + maxQueued + ", open " + c.isOpen()
                                + ", queued now " + c.queuedBytes());
                        return;
                    }
                    maxQueued = Math.max(maxQueued, c.queuedBytes());
                    if (maxQueued > limit) {
                        outcome.complete("queued " + maxQueued + " over the limit");
                        return;
                    }
                }
                outcome.complete("never refused");
            }

            @Override
            public void onData(Connection c, ByteBuffer data) {
                data.position(data.limit());
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                closed.complete(cause);
            }
        };
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT.withConnection(
                ConnectionOptions.DEFAULT.withMaxQueuedBytes(limit)), () -> flood);
             Socket s = connect(server.port(), 8 * 1024)) {
            String result = get(outcome);
            assertTrue(result.startsWith("refused after") && result.endsWith("open false, queued now 0"), result);
            assertInstanceOf(BufferLimitExceededException.class, get(closed));
            eventually("the server dropped the connection", () -> totalConnections(rt) == 0);
            // The peer sees the end: what the kernel had taken, then EOF or a reset.
            NetTestSupport.Drained d = drainPattern(s.getInputStream(), 64 * 1024);
            assertTrue(d.bytes() < 4096L * 64 * 1024);
        }
    }

    /** Echoes, pausing reading while unwritable, and records the largest queue it ever saw. */
    static final class MeasuringEcho extends EchoHandler {
        final AtomicLong maxQueued = new AtomicLong();
        final AtomicLong maxWrite = new AtomicLong();
        final CompletableFuture<Connection> paused = new CompletableFuture<>();

        @Override
        public void onData(Connection c, ByteBuffer data) {
            maxWrite.accumulateAndGet(data.remaining(), Math::max);
            c.write(data);
            maxQueued.accumulateAndGet(c.queuedBytes(), Math::max);
        }

        @Override
        public void onWritabilityChanged(Connection c, boolean writable) {
            super.onWritabilityChanged(c, writable);
            if (!writable) {
                paused.complete(c);
            }
        }
    }

    @Test
    void aSlowReaderKeepsServerMemoryBoundedAndGetsEverythingIntact() throws Exception {
        int high = ConnectionOptions.DEFAULT.highWatermark();
        long bound = high + READ_BUFFER + READ_BUFFER; // high watermark + one read buffer + one write's size
        // More than every kernel buffer on the path can hold (4 MiB send and 32 MiB receive buffers at most),
        // so the writer cannot finish while the client reads nothing.
        long total = 64L * 1024 * 1024;
        BlockingQueue<MeasuringEcho> made = new LinkedBlockingQueue<>();
        try (TcpServer server = server(ServerOptions.DEFAULT, MeasuringEcho::new, made);
             Socket s = connect(server.port(), 8 * 1024)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    byte[] chunk = new byte[100_000];
                    for (long at = 0; at < total; at += chunk.length) {
                        int n = (int) Math.min(chunk.length, total - at);
                        for (int i = 0; i < n; i++) {
                            chunk[i] = pattern(at + i);
                        }
                        out.write(chunk, 0, n);
                    }
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            MeasuringEcho echo = take(made);
            Connection c = get(echo.paused); // the client has not read a byte yet
            assertFalse(onLoop(c, c::isWritable));
            long queuedWhilePaused = onLoop(c, c::queuedBytes);
            assertTrue(queuedWhilePaused <= bound, "queued " + queuedWhilePaused + " while paused, bound " + bound);
            assertFalse(writer.isDone(), "the server pushed back on the writer rather than buffering");
            assertTrue(echo.maxQueued.get() <= bound, "largest queue " + echo.maxQueued.get() + ", bound " + bound);

            NetTestSupport.Drained d = drainPattern(s.getInputStream(), 64 * 1024);
            get(writer);
            assertNull(d.error());
            assertEquals(total, d.bytes());
            assertTrue(d.intact(), "first wrong byte at " + d.firstMismatch());
            assertTrue(echo.maxQueued.get() <= high + READ_BUFFER + echo.maxWrite.get(),
                    "largest queue " + echo.maxQueued.get() + ", bound " + (high + READ_BUFFER + echo.maxWrite.get()));
        }
    }

    // ---------------------------------------------------------------- half-close

    @Test
    void clientHalfCloseReachesOnInputClosedAndTheServerCanStillAnswer() throws Exception {
        CompletableFuture<Integer> bytesBeforeEof = new CompletableFuture<>();
        ConnectionHandler h = new ConnectionHandler() {
            int seen;

            @Override
            public void onData(Connection c, ByteBuffer data) {
                seen += data.remaining();
                c.write(data);
            }

            @Override
            public void onInputClosed(Connection c) {
                bytesBeforeEof.complete(seen);
                c.write(ByteBuffer.wrap("bye".getBytes(US_ASCII)));
                c.close();
            }
        };
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT, () -> h);
             Socket s = connect(server.port())) {
            s.getOutputStream().write("hello".getBytes(US_ASCII));
            s.shutdownOutput();
            assertEquals(5, get(bytesBeforeEof), "every byte before the half-close was delivered first");
            assertEquals("hellobye", new String(s.getInputStream().readAllBytes(), US_ASCII));
        }
    }

    @Test
    void byDefaultAHalfCloseClosesTheConnection() throws Exception {
        BlockingQueue<NetTestSupport.Recorder> made = new LinkedBlockingQueue<>();
        try (TcpServer server = server(ServerOptions.DEFAULT, NetTestSupport.Recorder::new, made);
             Socket s = connect(server.port())) {
            s.shutdownOutput();
            NetTestSupport.Recorder r = take(made);
            get(r.inputClosed);
            assertNull(get(r.closed));
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void serverHalfCloseLetsTheClientReadEverythingThenEofAndKeepsReading() throws Exception {
        long total = 8L * 1024 * 1024; // more than the kernel buffers between us hold
        CompletableFuture<String> afterShutdown = new CompletableFuture<>();
        CompletableFuture<Long> queuedAtShutdown = new CompletableFuture<>();
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        ConnectionHandler h = new ConnectionHandler() {
            final ByteArrayOutputStream got = new ByteArrayOutputStream();

            @Override
            public void onOpen(Connection c) {
                for (long at = 0; at < total; at += 64 * 1024) {
                    c.write(patternChunk(at, 64 * 1024, false));
                }
                queuedAtShutdown.complete(c.queuedBytes());
                c.shutdownOutput();
                if (c.write(ByteBuffer.wrap(new byte[] {1}))) {
                    afterShutdown.complete("a write after shutdownOutput was accepted");
                }
            }

            @Override
            public void onData(Connection c, ByteBuffer data) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                got.writeBytes(b);
                if (got.size() == 4) {
                    afterShutdown.complete(got.toString(US_ASCII));
                    c.close();
                }
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                closed.complete(cause);
            }
        };
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT, () -> h);
             Socket s = connect(server.port(), 8 * 1024)) {
            assertTrue(get(queuedAtShutdown) > 0, "the shutdown waited behind queued bytes");
            NetTestSupport.Drained d = drainPattern(s.getInputStream(), 64 * 1024);
            assertNull(d.error());
            assertEquals(total, d.bytes(), "all data, then EOF");
            assertTrue(d.intact());
            s.getOutputStream().write("ping".getBytes(US_ASCII)); // the server still reads
            assertEquals("ping", get(afterShutdown));
            assertNull(get(closed));
        }
    }

    // ---------------------------------------------------------------- close versus abort, resets

    /** Writes 8 MiB of the pattern on open, notes what is still queued, then closes, aborts or stays open. */
    static final class BigWrite implements ConnectionHandler {
        enum Then { CLOSE, ABORT, NOTHING }

        static final long TOTAL = 8L * 1024 * 1024;
        final Then then;
        final CompletableFuture<Long> queuedAtEnd = new CompletableFuture<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();

        BigWrite(Then then) {
            this.then = then;
        }

        @Override
        public void onOpen(Connection c) {
            for (long at = 0; at < TOTAL; at += 64 * 1024) {
                c.write(patternChunk(at, 64 * 1024, true));
            }
            queuedAtEnd.complete(c.queuedBytes());
            switch (then) {
                case CLOSE -> c.close();
                case ABORT -> c.abort();
                case NOTHING -> { }
            }
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            data.position(data.limit());
        }

        @Override
        public void onClosed(Connection c, Throwable cause) {
            closed.complete(cause);
        }
    }

    @Test
    void aGracefulCloseFlushesQueuedBytesFirst() throws Exception {
        BigWrite h = new BigWrite(BigWrite.Then.CLOSE);
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT, () -> h);
             Socket s = connect(server.port(), 8 * 1024)) {
            // 8 MiB is more than the kernel buffers between us can hold (4 MiB send buffer at most).
            assertTrue(get(h.queuedAtEnd) > 0, "close was called with bytes still queued");
            assertFalse(h.closed.isDone(), "the connection stays open until the queue is written");
            NetTestSupport.Drained d = drainPattern(s.getInputStream(), 64 * 1024);
            assertNull(d.error());
            assertEquals(BigWrite.TOTAL, d.bytes());
            assertTrue(d.intact());
            assertNull(get(h.closed));
        }
        eventually("closed on the server", () -> totalConnections(rt) == 0);
    }

    @Test
    void anAbortDropsQueuedBytesAndResets() throws Exception {
        BigWrite h = new BigWrite(BigWrite.Then.ABORT);
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT, () -> h);
             Socket s = connect(server.port(), 8 * 1024)) {
            long dropped = get(h.queuedAtEnd);
            assertTrue(dropped > 0, "abort was called with bytes still queued");
            assertNull(get(h.closed), "abort is a close the handler asked for");
            eventually("closed on the server", () -> totalConnections(rt) == 0);
            NetTestSupport.Drained d = drainPattern(s.getInputStream(), 64 * 1024);
            assertTrue(d.bytes() <= BigWrite.TOTAL - dropped,
                    "read " + d.bytes() + " bytes, but " + dropped + " of " + BigWrite.TOTAL + " were dropped");
            assertTrue(d.intact(), "what did arrive is a prefix of the stream");
            assertInstanceOf(java.net.SocketException.class, d.error(), "an abort is a reset, not an orderly end of stream");
        }
    }

    @Test
    void aPeerResetInTheMiddleOfAWriteClosesOnlyThatConnection() throws Exception {
        BlockingQueue<BigWrite> made = new LinkedBlockingQueue<>();
        try (TcpServer server = server(ServerOptions.DEFAULT, () -> new BigWrite(BigWrite.Then.NOTHING), made);
             Socket bystander = connect(server.port(), 8 * 1024)) {
            BigWrite other = take(made);
            BigWrite h;
            try (Socket s = connect(server.port(), 8 * 1024)) {
                h = take(made);
                assertTrue(get(h.queuedAtEnd) > 0, "the server is in the middle of a write");
                assertEquals(64 * 1024, readExactly(s.getInputStream(), 64 * 1024).length);
                s.setSoLinger(true, 0); // close sends a reset
            }
            Throwable cause = get(h.closed);
            assertInstanceOf(IOException.class, cause, "the write or read failed with the peer's reset");
            eventually("the reset connection is gone", () -> totalConnections(rt) == 1);

            // The other connection, mid-write too, is untouched and streams on intact.
            assertFalse(other.closed.isDone());
            byte[] got = readExactly(bystander.getInputStream(), (int) BigWrite.TOTAL);
            for (int i = 0; i < got.length; i++) {
                if (got[i] != pattern(i)) {
                    throw new AssertionError("byte " + i + " is wrong");
                }
            }
        }
    }

    @Test
    void aConnectionWritingToAServerThatAbortsIsClosedWithAnError() throws Exception {
        CompletableFuture<Void> serverGotData = new CompletableFuture<>();
        ConnectionHandler aborter = new ConnectionHandler() {
            @Override
            public void onData(Connection c, ByteBuffer data) {
                serverGotData.complete(null);
                c.abort();
            }
        };
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT, () -> aborter)) {
            Collecting client = new Collecting(Integer.MAX_VALUE);
            Connection c = get(rt.submitAsync(0, () -> Net.transport().connect(server.address(), Duration.ofSeconds(10),
                    ConnectionOptions.DEFAULT.withMaxQueuedBytes(64L * 1024 * 1024), client)));
            // Keep writing from the client's loop until the server's reset ends the connection.
            get(rt.submitAsync(0, () -> {
                io.shardline.core.Promise<Void> done = new io.shardline.core.Promise<>(c.loop());
                Runnable[] pump = new Runnable[1];
                long[] at = {0};
                pump[0] = () -> {
                    for (int i = 0; i < 16 && c.isOpen(); i++) {
                        c.write(patternChunk(at[0], 16 * 1024, false));
                        at[0] += 16 * 1024;
                    }
                    if (c.isOpen() && at[0] < 32L * 1024 * 1024) { // under the queue limit: only the reset may end it
                        c.loop().execute(pump[0]);
                    } else {
                        done.trySucceed(null);
                    }
                };
                pump[0].run();
                return done;
            }));
            get(serverGotData);
            Throwable cause = get(client.closed);
            assertInstanceOf(IOException.class, cause);
            assertFalse(cause instanceof BufferLimitExceededException, "closed by the reset, not by the queue limit: " + cause);
            assertFalse(onLoop(c, c::isOpen));
            assertInstanceOf(IOException.class, failureOf(get(rt.submit(0, () -> Bridges.toCompletableFuture(c.closeFuture())))));
        }
    }
}
