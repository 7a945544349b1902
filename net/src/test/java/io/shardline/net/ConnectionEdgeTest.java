package io.shardline.net;

import static io.shardline.net.NetTestSupport.connect;
import static io.shardline.net.NetTestSupport.get;
import static io.shardline.net.NetTestSupport.runtime;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import io.shardline.shard.ShardRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection's edges that a transport which defers its socket calls to the end of a loop pass can
 * get wrong, on the transport the loop has: bytes written outside a handler (by a task or a timer,
 * with the loop otherwise idle or closing) still go out, a close or half-close sends what was written
 * first, a handler pausing another connection in the same pass holds that one's input back, a
 * burst of writes keeps its order, and a closing connection reports no writability changes. Most run on a loop the test drives itself, one pass at a time.
 */
class ConnectionEdgeTest {
    private ShardRuntime rt;
    /** What a test on a loop it drives itself opened; closed after it, loop last. */
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        rt = runtime(1);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        rt.close();
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
                // From a task: no read, and so no handler's pass, comes with it.
                get(c.loop().call(() -> c.write(ByteBuffer.wrap(message))));
                assertArrayEquals(message, in.readNBytes(message.length));
            }
        }
    }

    // ---------------------------------------------------------------- on a loop driven by the test thread

    @Test
    void bytesWrittenJustBeforeTheLoopClosesReachThePeer() throws Exception {
        Loop loop = handDriven();
        ServerSocketChannel ss = listening();
        Pair p = pair(ss);
        Connection c = Transport.of(loop).adopt(p.server(), ConnectionOptions.DEFAULT, discard());
        assertTrue(c.write(ByteBuffer.wrap("bye\n".getBytes(StandardCharsets.US_ASCII))));
        loop.close();
        assertEquals("bye\n", new String(p.client().getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
    }

    @Test
    void bytesATimerWritesBeforeRequestingTheCloseReachThePeer() throws Exception {
        Loop loop = closedAfter(new Loop(LoopConfig.builder().name("own").parker(NetTestSupport.transport()).build()).start());
        ServerSocketChannel ss = listening();
        Pair p = pair(ss);
        Connection c = get(loop.call(() -> Transport.of(loop).adopt(p.server(), ConnectionOptions.DEFAULT, discard())));
        loop.execute(() -> loop.schedule(Duration.ofMillis(1), () -> {
            c.write(ByteBuffer.wrap("bye\n".getBytes(StandardCharsets.US_ASCII)));
            loop.requestClose(); // timers fire after the pass's sends
        }));
        assertEquals("bye\n", new String(p.client().getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
    }

    @Test
    void aConnectionPausedByAnotherHandlerInTheSamePassGetsItsBytesOnlyAfterResuming() throws Exception {
        Loop loop = handDriven();
        ServerSocketChannel ss = listening();
        Pair pa = pair(ss);
        Pair pb = pair(ss);
        List<String> log = new ArrayList<>();
        Connection[] conns = new Connection[2];
        ConnectionHandler h = new ConnectionHandler() {
            @Override
            public void onData(Connection c, ByteBuffer data) {
                log.add((c == conns[0] ? "A:" : "B:") + StandardCharsets.US_ASCII.decode(data));
                (c == conns[0] ? conns[1] : conns[0]).pauseReading();
            }
        };
        conns[0] = Transport.of(loop).adopt(pa.server(), ConnectionOptions.DEFAULT, h);
        conns[1] = Transport.of(loop).adopt(pb.server(), ConnectionOptions.DEFAULT, h);
        pa.client().getOutputStream().write('a');
        pb.client().getOutputStream().write('b');
        awaitReadable(pa.server(), pb.server());
        loop.runOnce();
        assertEquals(1, log.size(), "one handler ran, and paused the other: " + log);
        Connection paused = log.get(0).startsWith("A") ? conns[1] : conns[0];
        paused.resumeReading();
        for (int i = 0; i < 3 && log.size() < 2; i++) {
            loop.runOnce();
        }
        assertEquals(2, log.size(), "resuming delivers what was held: " + log);
    }

    @Test
    void aChannelClosedBehindTheConnectionsBackSendsNothingToTheSocketThatReusesItsNumber() throws Exception {
        Loop loop = handDriven();
        ServerSocketChannel ss = listening();
        Pair px = pair(ss);
        Connection x = Transport.of(loop).adopt(px.server(), ConnectionOptions.DEFAULT, discard());
        px.server().close(); // the adopter still held the channel, and closed it
        loop.runOnce(); // the selector drops the key and the fd number is free again
        Pair py = pair(ss);
        x.write(ByteBuffer.wrap("secret".getBytes(StandardCharsets.US_ASCII)));
        loop.runOnce();
        py.client().getOutputStream().write('!'); // something to read, so the check below cannot hang
        ByteBuffer rb = ByteBuffer.allocate(64);
        py.server().read(rb);
        assertEquals("!", new String(rb.array(), 0, rb.position(), StandardCharsets.US_ASCII),
                "only the new peer's own byte, none of the closed connection's");
    }

    @Test
    void closeAndShutdownRightAfterAWriteSendItFirst() throws Exception {
        Loop loop = handDriven();
        ServerSocketChannel ss = listening();
        Pair p1 = pair(ss);
        Pair p2 = pair(ss);
        Connection c1 = Transport.of(loop).adopt(p1.server(), ConnectionOptions.DEFAULT, discard());
        Connection c2 = Transport.of(loop).adopt(p2.server(), ConnectionOptions.DEFAULT, discard());
        c1.write(ByteBuffer.wrap("one".getBytes(StandardCharsets.US_ASCII)));
        c1.close();
        c2.write(ByteBuffer.wrap("two".getBytes(StandardCharsets.US_ASCII)));
        c2.shutdownOutput();
        for (int i = 0; i < 3; i++) {
            loop.runOnce();
        }
        assertEquals("one", new String(p1.client().getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
        assertEquals("two", new String(p2.client().getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
        assertFalse(c1.isOpen());
    }

    @Test
    void aMessageThatFillsAReadBufferExactlyIsFollowedByTheRestInOrder() throws Exception {
        Loop loop = handDriven();
        ServerSocketChannel ss = listening();
        Pair p = pair(ss);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Transport.of(loop).adopt(p.server(), ConnectionOptions.DEFAULT, new ConnectionHandler() {
            @Override
            public void onData(Connection c, ByteBuffer data) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                got.writeBytes(b);
            }
        });
        byte[] sent = new byte[NetTestSupport.READ_BUFFER + 1000];
        new Random(7).nextBytes(sent);
        p.client().getOutputStream().write(sent, 0, NetTestSupport.READ_BUFFER);
        p.client().getOutputStream().write(sent, NetTestSupport.READ_BUFFER, 1000);
        for (int i = 0; i < 100 && got.size() < sent.length; i++) {
            awaitReadable(p.server());
            loop.runOnce();
        }
        assertArrayEquals(sent, got.toByteArray());
    }

    @Test
    void aBurstPastTheHighWatermarkGoesOutInOrderAndTurnsUnwritableOnlyForAFullSocket() throws Exception {
        Loop loop = handDriven();
        ServerSocketChannel ss = listening();
        Pair p = pair(ss);
        List<String> events = new ArrayList<>();
        Connection c = Transport.of(loop).adopt(p.server(), ConnectionOptions.DEFAULT.withWatermarks(32, 64),
                dropsInputRecording(events));
        byte[] all = new byte[10 + 100 + 10];
        new Random(3).nextBytes(all);
        assertTrue(c.write(ByteBuffer.wrap(all, 0, 10)));    // small: may wait for the pass's sends
        assertTrue(c.write(ByteBuffer.wrap(all, 10, 100)));  // past the high watermark, which the socket takes
        assertTrue(c.write(ByteBuffer.wrap(all, 110, 10)));  // small again
        assertEquals(List.of(), events, "the socket took everything: never unwritable");
        loop.runOnce();
        assertArrayEquals(all, p.client().getInputStream().readNBytes(all.length));
        assertEquals(List.of(), events);
        assertEquals(0, c.queuedBytes());
    }

    @Test
    void afterCloseTheHandlerHearsNoMoreAboutWritabilityOnlyThatItClosed() throws Exception {
        Loop loop = handDriven();
        ServerSocketChannel ss = listening();
        Pair p = pair(ss);
        List<String> events = new ArrayList<>();
        Connection c = Transport.of(loop).adopt(p.server(), ConnectionOptions.DEFAULT.withWatermarks(1024, 4096),
                dropsInputRecording(events));
        long written = 0;
        for (int i = 0; i < 1000 && c.isWritable(); i++) { // the peer reads nothing yet: the socket fills up
            assertTrue(c.write(NetTestSupport.patternChunk(written, 64 * 1024, false)));
            written += 64 * 1024;
        }
        assertEquals(List.of("writable=false"), events);
        c.close();
        assertFalse(c.write(ByteBuffer.wrap(new byte[] {1})), "closing: no more writes");
        InputStream in = p.client().getInputStream();
        CompletableFuture<NetTestSupport.Drained> reader = CompletableFuture.supplyAsync(
                () -> NetTestSupport.drainPattern(in, 64 * 1024), Thread::startVirtualThread);
        long deadline = System.nanoTime() + NetTestSupport.PATIENCE.toNanos();
        while (c.isOpen()) { // the queue drains below the low watermark on its way to empty
            assertTrue(System.nanoTime() < deadline, "the close did not finish in " + NetTestSupport.PATIENCE);
            loop.runOnce();
        }
        NetTestSupport.Drained d = get(reader);
        assertTrue(d.intact() && d.error() == null, String.valueOf(d));
        assertEquals(written, d.bytes(), "a graceful close sends everything first");
        assertEquals(List.of("writable=false", "closed, cause null"), events);
    }

    private record Pair(Socket client, SocketChannel server) {
    }

    /** Drops its input; records each writability change ("writable=false") and the close ("closed, cause null"). */
    private static ConnectionHandler dropsInputRecording(List<String> events) {
        return new ConnectionHandler() {
            @Override
            public void onData(Connection conn, ByteBuffer data) {
                data.position(data.limit());
            }

            @Override
            public void onWritabilityChanged(Connection conn, boolean writable) {
                events.add("writable=" + writable);
            }

            @Override
            public void onClosed(Connection conn, Throwable cause) {
                events.add("closed, cause " + cause);
            }
        };
    }

    /** {@code c}, closed after the test (before what was opened earlier). */
    private <C extends AutoCloseable> C closedAfter(C c) {
        opened.add(c);
        return c;
    }

    private Loop handDriven() {
        Loop loop = closedAfter(new Loop(LoopConfig.builder().name("hand-driven").parker(NetTestSupport.transport()).build()));
        loop.runOnce(); // binds the loop, and its transport, to this thread
        return loop;
    }

    private ServerSocketChannel listening() throws IOException {
        return closedAfter(ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)));
    }

    /** A connected client socket and the server's channel for it, both closed after the test. */
    private Pair pair(ServerSocketChannel ss) throws IOException {
        Socket client = closedAfter(new Socket());
        client.connect(ss.getLocalAddress());
        client.setSoTimeout((int) NetTestSupport.PATIENCE.toMillis()); // hang guard only
        return new Pair(client, closedAfter(ss.accept()));
    }

    private static ConnectionHandler discard() {
        return (c, data) -> data.position(data.limit());
    }

    /** Waits until each (non-blocking) channel has bytes to read, on a selector of the test's own. */
    private static void awaitReadable(SocketChannel... channels) throws IOException {
        try (Selector probe = Selector.open()) {
            for (SocketChannel ch : channels) {
                ch.register(probe, SelectionKey.OP_READ);
            }
            long deadline = System.nanoTime() + NetTestSupport.PATIENCE.toNanos();
            while (probe.select(100) < channels.length || probe.selectedKeys().size() < channels.length) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("channels not readable in " + NetTestSupport.PATIENCE);
                }
            }
        }
    }
}
