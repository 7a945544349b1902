package io.shardline.net;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.core.ring.BufferRing;
import io.shardline.core.ring.Ring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;

/**
 * The io_uring backend: the loop's {@link Ring} is its reactor. Owned by its loop; {@link #wakeup()}
 * from any thread.
 *
 * <p>Listening and UDP sockets are NIO channels (binding and options stay the JDK's); a listener
 * accepts through one multishot accept on the ring, so each connection arrives as a completion with
 * its descriptor and no accept call, and goes to its loop as an {@link AcceptedSocket}. Each
 * connection keeps one multishot receive into the loop's provided-buffer ring, so a busy connection
 * costs no system call per read, and its writes are queued and sent together when the loop's pass
 * ends, all of a pass's sends in the one {@code io_uring_enter} of the next poll or park. UDP sockets
 * wait on a multishot poll and then receive through NIO, which gives each datagram its sender.
 */
public final class IoUringTransport implements Transport {
    /** Provided receive buffers per loop, and their size: 2 MiB of ordinary (unpinned) memory. */
    static final int RECEIVE_BUFFERS = 128;
    static final int RECEIVE_BUFFER_SIZE = 16 * 1024;
    private static final int BUFFER_GROUP = 0;

    private final Ring ring;
    private final OpenMembers open = new OpenMembers();
    private final NetCounters counters = new NetCounters();
    /** Connections with bytes queued and no send in flight: sent when the pass ends. */
    private IoUringConnection[] dirty = new IoUringConnection[64];
    private final MemorySegment errno = Arena.ofAuto().allocate(Linker.Option.captureStateLayout());
    /** Scratch for a plain send of a heap buffer's bytes. */
    private ByteBuffer scratch = ByteBuffer.allocateDirect(NioTransport.CHUNK_SIZE);
    private int dirtyCount;
    private Loop loop;
    private final BufferRing receiveBuffers;
    private BufferPool chunks;
    private boolean closed;

    /**
     * A transport for one loop, with a ring of its own.
     *
     * @throws UncheckedIOException where no ring can be set up; check {@link #available()} first
     */
    public IoUringTransport() {
        this(newRing());
    }

    private static Ring newRing() {
        String why = unavailableReason();
        if (why != null) {
            throw new UncheckedIOException(new IOException(why));
        }
        return new Ring();
    }

    /**
     * A transport on {@code ring}, set up (not yet used) on the thread that builds the loop; its receive
     * buffers are registered now, so a lack of locked memory shows here, where the caller can still fall
     * back, and not as the loop starts. Closes {@code ring} if it throws.
     *
     * @throws UncheckedIOException where the receive buffers cannot be registered
     */
    IoUringTransport(Ring ring) {
        this(ring, RECEIVE_BUFFERS);
    }

    /** With {@code receiveBuffers} provided buffers (a power of two): fewer let a test run them out. */
    IoUringTransport(Ring ring, int receiveBuffers) {
        this.ring = ring;
        try {
            this.receiveBuffers = ring.registerBuffers(BUFFER_GROUP, receiveBuffers, RECEIVE_BUFFER_SIZE);
        } catch (IOException | RuntimeException e) {
            ring.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** Whether this JVM and kernel can run the transport: a ring, and the channels' descriptors. */
    public static boolean available() {
        return unavailableReason() == null;
    }

    /** Why the transport cannot run here, or null when it can. */
    public static String unavailableReason() {
        if (!Ring.available()) {
            return "io_uring unavailable: " + Ring.unavailableReason();
        }
        if (SocketFds.INSTANCE == null) {
            return "the FFM API's native access is refused (--enable-native-access=ALL-UNNAMED)";
        }
        if (NioInternals.unavailable() != null) {
            return NioInternals.unavailable();
        }
        return Probe.UNAVAILABLE;
    }

    /** Whether the kernel has what the transport uses beyond a ring: provided-buffer rings (Linux 5.19). */
    private static final class Probe {
        static final String UNAVAILABLE = probe();

        private static String probe() {
            try (Ring r = Ring.open(4)) {
                r.registerBuffers(BUFFER_GROUP, 1, 64);
                return null;
            } catch (IOException | RuntimeException e) {
                return "io_uring lacks provided-buffer rings (Linux 5.19; multishot receive needs 6.0): " + e.getMessage();
            }
        }
    }

    @Override
    public void attach(Loop loop) {
        this.loop = loop;
        ring.attach(loop); // the ring is a service of the loop too, for files
        loop.putService(Transport.class, this);
    }

    @Override
    public void bind(Thread loopThread) {
        ring.bind(loopThread);
        ring.beforeEnter(this::flushSends);
        chunks = new BufferPool(NioTransport.CHUNK_SIZE, 256);
        loop.onClose(this::closeAll);
    }

    @Override
    public void park(long timeoutNanos) {
        ring.park(timeoutNanos); // prepares the pass's sends, submits them and sleeps in one system call
    }

    @Override
    public void wakeup() {
        ring.wakeup();
    }

    @Override
    public int poll() {
        return ring.poll(); // dispatches completions, then sends what the pass queued (flushSends)
    }

    /** Called by the loop last, after the close hooks: the ring cancels and drains what is in flight. */
    @Override
    public void close() {
        ring.close();
    }

    /**
     * Prepares one send for each connection that queued bytes this pass; the ring runs it right before
     * it enters the kernel, after dispatching what had completed, so the sends complete (they never
     * wait) before any handler runs again.
     */
    private void flushSends() {
        for (int i = 0; i < dirtyCount; i++) {
            IoUringConnection c = dirty[i];
            dirty[i] = null;
            c.sendQueued();
        }
        dirtyCount = 0;
    }

    /** {@code c} queued bytes with no send in flight: it sends when this pass ends. */
    void sendLater(IoUringConnection c) {
        if (dirtyCount == dirty.length) {
            dirty = Arrays.copyOf(dirty, dirtyCount * 2);
        }
        dirty[dirtyCount++] = c;
    }

    @Override
    public Loop loop() {
        return loop;
    }

    @Override
    public int connectionCount() {
        return open.connections();
    }

    @Override
    public NetStats stats() {
        return counters.snapshot(open.connections());
    }

    NetCounters counters() {
        return counters;
    }

    Ring ring() {
        return ring;
    }

    BufferRing receiveBuffers() {
        return receiveBuffers;
    }

    BufferPool chunks() {
        return chunks;
    }

    /** Where this loop's plain socket calls capture errno. */
    MemorySegment errno() {
        return errno;
    }

    /** {@code data}'s remaining bytes in the loop's direct scratch buffer (a plain send needs native memory). */
    ByteBuffer directCopy(ByteBuffer data) {
        if (scratch.capacity() < data.remaining()) {
            scratch = ByteBuffer.allocateDirect(Math.max(data.remaining(), scratch.capacity() * 2));
        }
        scratch.clear();
        scratch.put(data.duplicate()).flip();
        return scratch;
    }

    // ---------------------------------------------------------------- TCP

    @Override
    public Listener listen(InetSocketAddress address, ServerOptions options, Acceptor acceptor) {
        assertInLoop();
        return ChannelSetup.listen(address, options, ch -> {
            IoUringListener l = new IoUringListener(this, ch, options, acceptor);
            open.add(l);
            l.start();
            return l;
        });
    }

    @Override
    public Connection adopt(AcceptedSocket socket, ConnectionOptions options, ConnectionHandler handler) {
        assertInLoop();
        SocketChannel channel = socket.channel();
        try {
            int fd;
            if (channel != null) {
                channel.configureBlocking(false);
                fd = NioInternals.fd(channel);
            } else {
                fd = socket.descriptor(); // accepted non-blocking by the ring
            }
            SocketFds.INSTANCE.noDelay(fd);
            IoUringConnection c = new IoUringConnection(this, channel, fd, options, handler);
            open.addConnection(c);
            counters.opened();
            c.opened();
            return c;
        } catch (IOException e) {
            socket.close();
            throw new UncheckedIOException("cannot adopt connection: " + e.getMessage(), e);
        }
    }

    @Override
    public Future<Connection> connect(InetSocketAddress address, Duration timeout, ConnectionOptions options,
                                      ConnectionHandler handler) {
        assertInLoop();
        Promise<Connection> p = new Promise<>(loop);
        SocketChannel ch = ChannelSetup.connect(address, p, c -> adopt(c, options, handler));
        if (ch == null) {
            return p; // connected at once, or failed
        }
        IoUringConnector connector = new IoUringConnector(this, ch, address, options, handler, p);
        open.add(connector);
        connector.start(timeout);
        return p;
    }

    // ---------------------------------------------------------------- UDP

    @Override
    public UdpSocket bindUdp(InetSocketAddress address, DatagramHandler handler) {
        assertInLoop();
        return ChannelSetup.bindUdp(address, ch -> {
            IoUringUdpSocket s = new IoUringUdpSocket(this, ch, handler);
            open.add(s);
            s.start();
            return s;
        });
    }

    // ---------------------------------------------------------------- shared with members

    void closed(OpenMembers.Member m, boolean wasConnection) {
        open.closed(m, wasConnection);
    }

    private void closeAll() {
        closed = true;
        open.closeAll(loop);
        flushSends();
        ring.submit();
    }

    boolean isClosed() {
        return closed;
    }

    void assertInLoop() {
        if (loop == null || !loop.inLoop()) {
            throw new IllegalStateException("network calls must run on the transport's loop ("
                    + loop + "), not on thread " + Thread.currentThread().getName());
        }
        if (closed) {
            throw new IllegalStateException("the transport of " + loop + " is closed");
        }
    }
}
