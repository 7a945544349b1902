package io.shardline.net;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.core.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The NIO backend: one {@link Selector} per loop. Owned by its loop; {@link #wakeup()} from any thread.
 *
 * <p>As the loop's parker it blocks in {@code select(timeout)} when the loop is idle, so one wait
 * covers sockets, timers and wake-ups; the loop calls {@code wakeup()} only when it is parked. As a
 * poll source it runs {@code selectNow} once per iteration and dispatches ready keys through a
 * preallocated callback, so the steady path allocates no iterator. Reads land in one pooled direct
 * buffer per loop, lent to the handler for the duration of its callback.
 */
public final class NioTransport implements Transport {
    static final int READ_BUFFER_SIZE = 64 * 1024;
    /** The size of the pooled chunks that queued bytes are packed into. */
    static final int CHUNK_SIZE = 16 * 1024;
    /** System property: {@code off} keeps every socket call a plain NIO call (no io_uring batches). */
    public static final String IO_URING_PROPERTY = "shardline.net.iouring";
    private static final System.Logger LOG = System.getLogger("io.shardline.net");

    private final Selector selector;
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private final boolean wantBatches;
    /** The io_uring batches of this loop's socket calls, or null: off, or unavailable here. */
    private SocketBatch batch;
    private final Set<IoReady> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private Loop loop;
    private ByteBuffer readBuffer;
    private BufferPool chunks;
    private volatile int connections;
    private boolean dispatching;

    /**
     * A transport that batches socket calls through io_uring where the kernel allows it, unless the
     * system property {@value #IO_URING_PROPERTY} is {@code off}.
     */
    public NioTransport() {
        this(!"off".equals(System.getProperty(IO_URING_PROPERTY)));
    }

    /** A transport that batches socket calls through io_uring if {@code ioUring} and the kernel allows it. */
    public NioTransport(boolean ioUring) {
        this.wantBatches = ioUring;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
    }

    @Override
    public void attach(Loop loop) {
        loop.putService(Transport.class, this);
    }

    @Override
    public void bind(Thread loopThread) {
        loop = Loop.current();
        readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
        chunks = new BufferPool(CHUNK_SIZE, 256);
        if (wantBatches) {
            // A ring takes submissions from the thread that made it; a virtual thread changes carriers.
            String why = Thread.currentThread().isVirtual() ? "the loop runs on a virtual thread" : null;
            if (why == null) {
                try {
                    batch = SocketBatch.open(); // here: the ring belongs to the thread that creates it
                } catch (IOException | RuntimeException e) {
                    why = "io_uring is unavailable: " + e.getMessage();
                }
            }
            if (why != null) {
                String reason = why;
                LOG.log(System.Logger.Level.INFO, () -> loop + ": socket calls go one by one through NIO, " + reason);
            }
        }
        loop.onClose(this::closeAll);
    }

    /** Whether this transport's socket calls go through io_uring batches. Call on the loop. */
    public boolean batchesSocketCalls() {
        return batch() != null;
    }

    @Override
    public void park(long timeoutNanos) {
        if (!selector.isOpen()) {
            // Closed by the loop's close hook while the loop still waits for its virtual threads.
            LockSupport.parkNanos(this, timeoutNanos == Long.MAX_VALUE ? 1_000_000 : timeoutNanos);
            return;
        }
        SocketBatch b = batch();
        if (b != null && b.hasSends()) {
            b.runSends(); // never sleep on unsent bytes; the loop looks for work again
            return;
        }
        try {
            if (timeoutNanos == Long.MAX_VALUE) {
                selector.select();
            } else {
                // select(0) would mean forever: round a short wait up to 1 ms.
                selector.select(Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
            }
            // The next poll's selectNow finds the ready sockets again (epoll is level-triggered).
            selector.selectedKeys().clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public int poll() {
        SocketBatch b = batch();
        // Bytes that tasks and timers wrote since the last pass go out first.
        int work = b != null ? b.runSends() : 0;
        if (selector.keys().isEmpty()) {
            return work;
        }
        dispatching = true;
        try {
            work += selector.selectNow(dispatch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            dispatching = false;
        }
        if (b != null) {
            b.runReads();
            b.runSends();
        }
        return work;
    }

    /** The usable socket batch, or null. */
    SocketBatch batch() {
        SocketBatch b = batch;
        return b != null && b.usable() ? b : null;
    }

    /**
     * Makes a just-cancelled key take effect now: NIO closes a registered channel's socket only at the
     * next selection. Inside a dispatch that selection is moments away; outside one, do it here so a
     * closed listener refuses connections as soon as its close returns.
     */
    void flushCancelledKeys() {
        if (dispatching || !selector.isOpen()) {
            return;
        }
        try {
            selector.selectNow();
            selector.selectedKeys().clear(); // readiness is found again by the next poll (level-triggered)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void dispatch(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        Object a = key.attachment();
        if (a instanceof NioConnection c && key.readyOps() == SelectionKey.OP_READ && batch() != null) {
            batch.readLater(c); // received with the pass's other ready connections, in one call
        } else if (a instanceof IoReady r) {
            r.ready(key.readyOps());
        }
    }

    @Override
    public Loop loop() {
        return loop;
    }

    @Override
    public int connectionCount() {
        return connections;
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
                NioListener l = new NioListener(this, ch, options, acceptor);
                l.key = ch.register(selector, SelectionKey.OP_ACCEPT, l);
                open.add(l);
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
            return opened(channel, channel.register(selector, SelectionKey.OP_READ), options, handler);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot register connection: " + e.getMessage(), e);
        }
    }

    /** Turns a registered, connected channel into a connection; the key is reused as is. */
    private Connection opened(SocketChannel channel, SelectionKey key, ConnectionOptions options,
                              ConnectionHandler handler) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        NioConnection c = new NioConnection(this, channel, key, options, handler);
        key.interestOps(SelectionKey.OP_READ);
        key.attach(c);
        open.add(c);
        connections++;
        c.opened();
        return c;
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
                closeQuietly(ch);
            }
            p.fail(e instanceof UncheckedIOException u ? u.getCause() : e);
            return p;
        }
        Connector connector = new Connector(ch, address, options, handler, p);
        try {
            connector.key = ch.register(selector, SelectionKey.OP_CONNECT, connector);
        } catch (IOException e) {
            closeQuietly(ch);
            p.fail(e);
            return p;
        }
        open.add(connector);
        connector.timer = loop.schedule(timeout, () -> connector.fail(new SocketTimeoutException(
                "connect to " + address + " timed out after " + timeout)));
        p.onCancel(() -> connector.fail(new java.util.concurrent.CancellationException("connect cancelled")));
        return p;
    }

    /** A pending client connect. */
    private final class Connector implements IoReady {
        private final SocketChannel channel;
        private final InetSocketAddress address;
        private final ConnectionOptions options;
        private final ConnectionHandler handler;
        private final Promise<Connection> promise;
        SelectionKey key;
        Timer timer;

        Connector(SocketChannel channel, InetSocketAddress address, ConnectionOptions options,
                  ConnectionHandler handler, Promise<Connection> promise) {
            this.channel = channel;
            this.address = address;
            this.options = options;
            this.handler = handler;
            this.promise = promise;
        }

        @Override
        public void ready(int readyOps) {
            try {
                if (!channel.finishConnect()) {
                    return;
                }
            } catch (IOException e) {
                fail(e);
                return;
            }
            finish();
            try {
                promise.trySucceed(opened(channel, key, options, handler));
            } catch (IOException e) {
                key.cancel();
                closeQuietly(channel);
                promise.tryFail(e);
            }
        }

        void fail(Throwable cause) {
            if (promise.isDone() && !promise.isCancelled()) {
                return;
            }
            finish();
            key.cancel();
            closeQuietly(channel);
            promise.tryFail(cause);
        }

        private void finish() {
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
                NioUdpSocket s = new NioUdpSocket(this, ch, handler);
                s.key = ch.register(selector, SelectionKey.OP_READ, s);
                open.add(s);
                return s;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind UDP on " + address + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- shared with connections

    ByteBuffer readBuffer() {
        return readBuffer.clear();
    }

    BufferPool chunks() {
        return chunks;
    }

    void closed(IoReady r, boolean wasConnection) {
        open.remove(r);
        if (wasConnection) {
            connections--;
        }
    }

    private void closeAll() {
        SocketBatch b = batch();
        if (b != null) {
            b.runSends(); // bytes written before the close go out ahead of it, as plain writes would
        }
        for (IoReady r : new ArrayList<>(open)) {
            try {
                r.closeForShutdown();
            } catch (RuntimeException e) {
                loop.execute(() -> {
                    throw e;
                });
            }
        }
        open.clear();
        if (batch != null) {
            batch.close();
            batch = null;
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    void assertInLoop() {
        if (loop == null || !loop.inLoop()) {
            throw new IllegalStateException("network calls must run on the transport's loop ("
                    + loop + "), not on thread " + Thread.currentThread().getName());
        }
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is best effort here
        }
    }
}
