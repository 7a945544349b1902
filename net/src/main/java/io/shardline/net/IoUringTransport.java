package io.shardline.net;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.core.ring.BufferRing;
import io.shardline.core.ring.Ring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * The io_uring backend: the loop's {@link Ring} is its reactor. Owned by its loop; {@link #wakeup()}
 * from any thread.
 *
 * <p>Sockets are NIO channels (so binding, options, addresses and the hand-off of accepted channels
 * between loops stay those of the JDK), but their I/O goes through the ring: each connection has one
 * multishot receive into the loop's provided-buffer ring, so a busy connection costs no system call
 * per read, and writes are queued and sent together when the loop's pass ends, all of a pass's sends
 * in the one {@code io_uring_enter} of the next poll or park. Listeners and UDP sockets wait on a
 * multishot poll of the ring and then accept or receive through NIO.
 */
public final class IoUringTransport implements Transport {
    /** Provided receive buffers per loop, and their size: 2 MiB of ordinary (unpinned) memory. */
    static final int RECEIVE_BUFFERS = 128;
    static final int RECEIVE_BUFFER_SIZE = 16 * 1024;
    private static final int BUFFER_GROUP = 0;

    private final Ring ring;
    private final Set<Member> open = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Connections with bytes queued and no send in flight: sent when the pass ends. */
    private IoUringConnection[] dirty = new IoUringConnection[64];
    /** Scratch for a connection's gathering plain write; empty between writes. */
    private final java.nio.ByteBuffer[] gather = new java.nio.ByteBuffer[NioTransport.GATHER];
    private int dirtyCount;
    private Loop loop;
    private BufferRing receiveBuffers;
    private BufferPool chunks;
    private volatile int connections;
    private boolean closed;

    /**
     * A transport for one loop, with a ring of its own.
     *
     * @throws UncheckedIOException where no ring can be set up; check {@link #available()} first
     */
    public IoUringTransport() {
        String why = unavailableReason();
        if (why != null) {
            throw new UncheckedIOException(new IOException(why));
        }
        ring = new Ring();
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
        return NioInternals.unavailable();
    }

    /** A member of this transport that must be released when the loop closes. */
    interface Member {
        void closeForShutdown();
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
        try {
            receiveBuffers = ring.registerBuffers(BUFFER_GROUP, RECEIVE_BUFFERS, RECEIVE_BUFFER_SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        return connections;
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

    /** The loop's scratch array for one gathering write; the writer empties it again. */
    java.nio.ByteBuffer[] gatherArray() {
        return gather;
    }

    // ---------------------------------------------------------------- TCP

    @Override
    public Listener listen(InetSocketAddress address, ServerOptions options, Acceptor acceptor) {
        assertInLoop();
        try {
            ServerSocketChannel ch = ServerSocketChannel.open();
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (options.placement() == ServerOptions.Placement.REUSE_PORT) {
                    ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                ch.bind(address, options.backlog());
                IoUringListener l = new IoUringListener(this, ch, options, acceptor);
                open.add(l);
                l.start();
                return l;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Connection adopt(SocketChannel channel, ConnectionOptions options, ConnectionHandler handler) {
        assertInLoop();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            IoUringConnection c = new IoUringConnection(this, channel, options, handler);
            open.add(c);
            connections++;
            c.opened();
            return c;
        } catch (IOException e) {
            NioTransport.closeQuietly(channel);
            throw new UncheckedIOException("cannot adopt connection: " + e.getMessage(), e);
        }
    }

    @Override
    public Future<Connection> connect(InetSocketAddress address, Duration timeout, ConnectionOptions options,
                                      ConnectionHandler handler) {
        assertInLoop();
        Promise<Connection> p = new Promise<>(loop);
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            if (ch.connect(address)) {
                p.succeed(adopt(ch, options, handler));
                return p;
            }
        } catch (IOException | RuntimeException e) {
            // Anything connect throws (an unresolved address throws unchecked) must not leak the socket.
            if (ch != null) {
                NioTransport.closeQuietly(ch);
            }
            p.fail(e instanceof UncheckedIOException u ? u.getCause() : e);
            return p;
        }
        Connector connector = new Connector(ch, address, options, handler, p);
        open.add(connector);
        connector.start(timeout);
        return p;
    }

    /** A pending client connect: a one-shot poll for writability ends it. */
    private final class Connector implements Member {
        private final SocketChannel channel;
        private final InetSocketAddress address;
        private final ConnectionOptions options;
        private final ConnectionHandler handler;
        private final Promise<Connection> promise;
        private io.shardline.core.Timer timer;
        private long pollToken;
        private boolean done;

        Connector(SocketChannel channel, InetSocketAddress address, ConnectionOptions options,
                  ConnectionHandler handler, Promise<Connection> promise) {
            this.channel = channel;
            this.address = address;
            this.options = options;
            this.handler = handler;
            this.promise = promise;
        }

        void start(Duration timeout) {
            pollToken = ring.pollAdd(NioInternals.fd(channel), Ring.POLLOUT, false, (res, flags) -> ready(res));
            timer = loop.schedule(timeout, () -> fail(new SocketTimeoutException(
                    "connect to " + address + " timed out after " + timeout)));
            promise.onCancel(() -> fail(new CancellationException("connect cancelled")));
        }

        private void ready(int result) {
            if (done) {
                return; // failed already (timeout, cancel, shutdown): the cancelled poll ends here
            }
            try {
                if (result < 0) {
                    throw new IOException("connect to " + address + " failed: poll " + result);
                }
                if (!channel.finishConnect()) {
                    pollToken = ring.pollAdd(NioInternals.fd(channel), Ring.POLLOUT, false, (r, f) -> ready(r));
                    return;
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
                return;
            }
            finish();
            try {
                promise.trySucceed(adopt(channel, options, handler));
            } catch (RuntimeException e) {
                promise.tryFail(e instanceof UncheckedIOException u ? u.getCause() : e);
            }
        }

        void fail(Throwable cause) {
            if (done) {
                return;
            }
            finish();
            ring.cancel(pollToken);
            ring.submit(); // the poll lets go of the socket before the close below
            NioTransport.closeQuietly(channel);
            promise.tryFail(cause);
        }

        private void finish() {
            done = true;
            open.remove(this);
            if (timer != null) {
                timer.cancel();
            }
        }

        @Override
        public void closeForShutdown() {
            fail(new IOException("transport closed while connecting to " + address));
        }
    }

    // ---------------------------------------------------------------- UDP

    @Override
    public UdpSocket bindUdp(InetSocketAddress address, DatagramHandler handler) {
        assertInLoop();
        try {
            DatagramChannel ch = DatagramChannel.open();
            try {
                ch.configureBlocking(false);
                ch.bind(address);
                IoUringUdpSocket s = new IoUringUdpSocket(this, ch, handler);
                open.add(s);
                s.start();
                return s;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind UDP on " + address + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- shared with members

    void closed(Member m, boolean wasConnection) {
        open.remove(m);
        if (wasConnection) {
            connections--;
        }
    }

    private void closeAll() {
        closed = true;
        for (Member m : new ArrayList<>(open)) {
            try {
                m.closeForShutdown();
            } catch (RuntimeException e) {
                loop.execute(() -> {
                    throw e;
                });
            }
        }
        open.clear();
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
