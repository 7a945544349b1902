package io.shardline.net;

import static io.shardline.net.NetTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only the io_uring transport does: sends wait for the end of the pass, receives land in the
 * loop's provided buffers, a loop on a virtual thread still gets a ring. Transport-specific: skipped
 * where io_uring cannot run.
 */
class IoUringTransportTest {
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void needsIoUring() {
        Assumptions.assumeTrue(IoUringTransport.available(), IoUringTransport::unavailableReason);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private <C extends AutoCloseable> C closedAfter(C c) {
        opened.add(c);
        return c;
    }

    private Loop handDriven() {
        Loop loop = closedAfter(new Loop(LoopConfig.builder().name("uring").parker(IoUringTransport::new).build()));
        loop.runOnce(); // binds the loop, its transport and its ring to this thread
        return loop;
    }

    private record Pair(SocketChannel client, SocketChannel server) {
    }

    private Pair pair(ServerSocketChannel ss) throws IOException {
        SocketChannel client = closedAfter(SocketChannel.open(ss.getLocalAddress()));
        return new Pair(client, closedAfter(ss.accept()));
    }

    private ServerSocketChannel listening() throws IOException {
        return closedAfter(ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)));
    }

    @Test
    void thePassSendsEveryConnectionsWritesTogetherWhenItEnds() throws Exception {
        Loop loop = handDriven();
        ServerSocketChannel ss = listening();
        Pair a = pair(ss);
        Pair b = pair(ss);
        Connection ca = Transport.of(loop).adopt(a.server(), ConnectionOptions.DEFAULT, (c, d) -> d.position(d.limit()));
        Connection cb = Transport.of(loop).adopt(b.server(), ConnectionOptions.DEFAULT, (c, d) -> d.position(d.limit()));
        assertTrue(ca.write(ByteBuffer.wrap("to a".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(cb.write(ByteBuffer.wrap("to b".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(4, ca.queuedBytes(), "queued until the pass ends");
        assertEquals(4, cb.queuedBytes());
        a.client().configureBlocking(false);
        assertEquals(0, a.client().read(ByteBuffer.allocate(16)), "nothing sent mid-pass");
        a.client().configureBlocking(true);
        loop.runOnce(); // its poll submits both sends in one enter
        assertEquals(0, ca.queuedBytes());
        assertEquals(0, cb.queuedBytes());
        assertEquals("to a", read(a.client(), 4));
        assertEquals("to b", read(b.client(), 4));
    }

    @Test
    void oneSendTakesEveryChunkAPassQueued() throws Exception {
        Loop loop = handDriven();
        ServerSocketChannel ss = listening();
        SocketChannel client = SocketChannel.open();
        closedAfter(client);
        client.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        client.connect(ss.getLocalAddress());
        SocketChannel server = closedAfter(ss.accept());
        server.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 << 20); // room for all of it at once
        int chunks = 8;
        Connection c = Transport.of(loop).adopt(server,
                ConnectionOptions.DEFAULT.withWatermarks(1 << 20, 2 << 20), (conn, d) -> d.position(d.limit()));
        byte[] sent = new byte[chunks * 16 * 1024];
        new Random(3).nextBytes(sent);
        for (int i = 0; i < chunks; i++) {
            assertTrue(c.write(ByteBuffer.wrap(sent, i * 16 * 1024, 16 * 1024)));
        }
        assertEquals(sent.length, c.queuedBytes(), "queued until the pass ends");
        long deadline = System.nanoTime() + NetTestSupport.PATIENCE.toNanos();
        while (c.queuedBytes() == sent.length && System.nanoTime() < deadline) {
            loop.runOnce();
        }
        assertEquals(0, c.queuedBytes(), "the pass's first send took all " + chunks + " chunks");
        ByteBuffer got = ByteBuffer.allocate(sent.length);
        while (got.hasRemaining()) {
            client.read(got);
        }
        assertArrayEquals(sent, got.array());
    }

    @Test
    void receivesLandInTheLoopsProvidedBuffersInOrder() throws Exception {
        Loop loop = handDriven();
        ServerSocketChannel ss = listening();
        Pair p = pair(ss);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        List<Integer> sizes = new ArrayList<>();
        Transport.of(loop).adopt(p.server(), ConnectionOptions.DEFAULT, (c, data) -> {
            sizes.add(data.remaining());
            byte[] b = new byte[data.remaining()];
            data.get(b);
            got.writeBytes(b);
        });
        byte[] sent = new byte[5 * IoUringTransport.RECEIVE_BUFFER_SIZE + 123];
        new Random(11).nextBytes(sent);
        ByteBuffer out = ByteBuffer.wrap(sent);
        while (out.hasRemaining()) {
            p.client().write(out);
        }
        long deadline = System.nanoTime() + NetTestSupport.PATIENCE.toNanos();
        while (got.size() < sent.length && System.nanoTime() < deadline) {
            loop.runOnce();
        }
        assertArrayEquals(sent, got.toByteArray());
        assertTrue(sizes.stream().allMatch(n -> n <= IoUringTransport.RECEIVE_BUFFER_SIZE),
                "each arrival is one provided buffer: " + sizes);
    }

    @Test
    void aReceiveThatRunsTheProvidedBuffersOutStartsAgainAndLosesNothing() throws Exception {
        // Two provided buffers and many more bytes waiting: the multishot receive fills both, ends with
        // ENOBUFS, and must start again once they are back, with nothing lost or reordered.
        Loop loop = closedAfter(new Loop(LoopConfig.builder().name("uring-enobufs")
                .parker(() -> new IoUringTransport(ringOf(), 2)).build()));
        loop.runOnce();
        Pair p = pair(listening());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int[] receives = new int[1];
        Transport.of(loop).adopt(p.server(), ConnectionOptions.DEFAULT, (c, data) -> {
            receives[0]++;
            byte[] b = new byte[data.remaining()];
            data.get(b);
            got.writeBytes(b);
        });
        loop.runOnce(); // the receive is armed, with nothing yet to receive
        byte[] sent = new byte[12 * IoUringTransport.RECEIVE_BUFFER_SIZE + 77];
        new Random(5).nextBytes(sent);
        ByteBuffer out = ByteBuffer.wrap(sent);
        while (out.hasRemaining()) {
            p.client().write(out);
        }
        long deadline = System.nanoTime() + NetTestSupport.PATIENCE.toNanos();
        while (got.size() < sent.length && System.nanoTime() < deadline) {
            loop.runOnce();
        }
        assertArrayEquals(sent, got.toByteArray());
        assertTrue(receives[0] > 2, "more arrivals than buffers: " + receives[0]);
    }

    private static io.shardline.core.ring.Ring ringOf() {
        try {
            return io.shardline.core.ring.Ring.open(io.shardline.core.ring.Ring.DEFAULT_ENTRIES);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anEchoRoundTripAllocatesNothingOnTheLoopOnceWarm() throws Exception {
        // The receive, the handler's write, the pass's send and their completions, on a hand-driven loop
        // whose thread is this one; the client's non-blocking calls on direct buffers allocate nothing.
        Loop loop = handDriven();
        Pair p = pair(listening());
        Transport.of(loop).adopt(p.server(), ConnectionOptions.DEFAULT, new EchoHandler());
        p.client().configureBlocking(false);
        ByteBuffer out = ByteBuffer.allocateDirect(64);
        ByteBuffer in = ByteBuffer.allocateDirect(64);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int warm = 30_000;
        int measured = 10_000;
        long perTrip = Long.MAX_VALUE;
        // The best of three windows after the warm-up: a compiler that lags under load leaves
        // interpreter allocations in one window, a per-operation allocation shows in all of them.
        for (int i = 0, window = 0; window < 3 && perTrip >= 16; i++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            int trips = i == 0 ? warm : measured;
            for (int t = 0; t < trips; t++) {
                out.clear();
                while (out.hasRemaining()) {
                    p.client().write(out);
                }
                in.clear();
                while (in.hasRemaining()) {
                    loop.runOnce();
                    p.client().read(in);
                }
            }
            if (i > 0) {
                window++;
                perTrip = Math.min(perTrip, (threads.getCurrentThreadAllocatedBytes() - before) / measured);
            }
        }
        // Below the smallest object: one allocation per receive, send or submission would show.
        assertTrue(perTrip < 16, "bytes allocated per echo round trip once warm: " + perTrip);
    }

    @Test
    void aLoopOnAVirtualThreadEchoesThroughItsRing() throws Exception {
        Loop loop = closedAfter(Loop.start(LoopConfig.builder().name("uring-virtual")
                .threadFactory(Thread.ofVirtual().factory()).parker(IoUringTransport::new).build()));
        Listener l = get(loop.call(() -> Transport.of(loop).listen(NetTestSupport.ANY_PORT, ServerOptions.DEFAULT,
                ch -> {
                    Transport.of(loop).adopt(ch, ConnectionOptions.DEFAULT, new EchoHandler());
                    return true;
                })));
        try (Socket s = new Socket()) {
            s.connect(l.localAddress(), (int) NetTestSupport.PATIENCE.toMillis());
            s.setSoTimeout((int) NetTestSupport.PATIENCE.toMillis());
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertEquals("ping", new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aListenerAcceptsThroughTheRingsMultishotAcceptAndNioRefusesWhatItAccepts() throws Exception {
        Loop loop = closedAfter(Loop.start(LoopConfig.builder().name("uring-accept").parker(IoUringTransport::new).build()));
        Loop nio = closedAfter(Loop.start(LoopConfig.builder().name("nio").parker(NioTransport::new).build()));
        List<Boolean> bare = new ArrayList<>();
        AtomicReference<AcceptedSocket> third = new AtomicReference<>();
        Listener l = get(loop.call(() -> Transport.of(loop).listen(NetTestSupport.ANY_PORT, ServerOptions.DEFAULT,
                s -> {
                    bare.add(s.channel() == null);
                    if (bare.size() == 3) {
                        third.set(s); // handed on to the NIO loop below
                    } else {
                        Transport.of(loop).adopt(s, ConnectionOptions.DEFAULT, new EchoHandler());
                    }
                    return true;
                })));
        for (int i = 0; i < 2; i++) {
            try (Socket s = new Socket()) {
                s.connect(l.localAddress(), (int) NetTestSupport.PATIENCE.toMillis());
                s.setSoTimeout((int) NetTestSupport.PATIENCE.toMillis());
                s.getOutputStream().write(("ping" + i).getBytes(StandardCharsets.US_ASCII));
                assertEquals("ping" + i, new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
            }
        }
        try (Socket s = new Socket()) {
            s.connect(l.localAddress(), (int) NetTestSupport.PATIENCE.toMillis());
            s.setSoTimeout((int) NetTestSupport.PATIENCE.toMillis());
            NetTestSupport.eventually("the third connection is accepted", () -> third.get() != null);
            Throwable refusal = NetTestSupport.failureOf(
                    nio.call(() -> Transport.of(nio).adopt(third.get(), ConnectionOptions.DEFAULT, new EchoHandler())));
            assertTrue(refusal instanceof IllegalArgumentException, String.valueOf(refusal));
            assertEquals(-1, s.getInputStream().read(), "the socket NIO refused was closed");
        }
        assertEquals(List.of(true, true, true), get(loop.call(() -> List.copyOf(bare))), "descriptors from the ring");
    }

    @Test
    void aConnectionResetBeforeItIsAdoptedIsStillAdoptedAndReportsItsEnd() throws Exception {
        Loop loop = closedAfter(Loop.start(LoopConfig.builder().name("uring-reset").parker(IoUringTransport::new).build()));
        AtomicReference<AcceptedSocket> accepted = new AtomicReference<>();
        Listener l = get(loop.call(() -> Transport.of(loop).listen(NetTestSupport.ANY_PORT, ServerOptions.DEFAULT,
                s -> {
                    accepted.set(s); // adopted below, after the peer has reset it
                    return true;
                })));
        try (Socket s = new Socket()) {
            s.connect(l.localAddress(), (int) NetTestSupport.PATIENCE.toMillis());
            s.getOutputStream().write(new byte[10]);
            s.setSoLinger(true, 0);
        }
        NetTestSupport.eventually("accepted", () -> accepted.get() != null);
        java.util.concurrent.CompletableFuture<String> end = new java.util.concurrent.CompletableFuture<>();
        Connection c = get(loop.call(() -> Transport.of(loop).adopt(accepted.get(), ConnectionOptions.DEFAULT,
                new ConnectionHandler() {
                    @Override
                    public void onData(Connection conn, ByteBuffer data) {
                        data.position(data.limit());
                    }

                    @Override
                    public void onClosed(Connection conn, Throwable cause) {
                        end.complete(String.valueOf(cause));
                    }
                })));
        assertTrue(get(end).contains("reset") || get(end).contains("closing"), get(end));
        assertTrue(!get(loop.call(c::isOpen)));
    }

    private static String read(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                break;
            }
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
    }
}
