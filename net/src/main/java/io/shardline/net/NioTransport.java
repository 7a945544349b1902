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
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
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
    /** Chunks offered to one gathering write (256 KiB); a socket that takes them all is offered the next. */
    static final int GATHER = 16;

    private final Selector selector;
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    /** Scratch for a connection's gathering write; empty between writes. */
    private final ByteBuffer[] gather = new ByteBuffer[GATHER];
    private final OpenMembers open = new OpenMembers();
    private final NetCounters counters = new NetCounters();
    private Loop loop;
    private ByteBuffer readBuffer;
    private BufferPool chunks;
    private boolean dispatching;

    /** A transport for one loop; it binds to the loop's thread when the loop starts. */
    public NioTransport() {
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
        loop.onClose(this::closeAll);
    }

    @Override
    public void park(long timeoutNanos) {
        if (!selector.isOpen()) {
            // Closed by the loop's close hook while the loop still waits for its virtual threads.
            LockSupport.parkNanos(this, timeoutNanos == Long.MAX_VALUE ? 1_000_000 : timeoutNanos);
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
        if (selector.keys().isEmpty()) {
            return 0;
        }
        dispatching = true;
        try {
            return selector.selectNow(dispatch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            dispatching = false;
        }
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
        if (key.attachment() instanceof IoReady r) {
            r.ready(key.readyOps());
        }
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

    // ---------------------------------------------------------------- TCP

    @Override
    public Listener listen(InetSocketAddress address, ServerOptions options, Acceptor acceptor) {
        assertInLoop();
        return ChannelSetup.listen(address, options, ch -> {
            NioListener l = new NioListener(this, ch, options, acceptor);
            l.key = ch.register(selector, SelectionKey.OP_ACCEPT, l);
            open.add(l);
            return l;
        });
    }

    @Override
    public Connection adopt(AcceptedSocket socket, ConnectionOptions options, ConnectionHandler handler) {
        SocketChannel channel = socket.channel();
        if (channel == null) {
            socket.close();
            throw new IllegalArgumentException("the NIO transport adopts NIO channels, not " + socket
                    + " (accepted by io_uring): give every loop of a runtime the same transport");
        }
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
        open.addConnection(c);
        counters.opened();
        c.opened();
        return c;
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
            open.closed(this, false);
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
        return ChannelSetup.bindUdp(address, ch -> {
            NioUdpSocket s = new NioUdpSocket(this, ch, handler);
            s.key = ch.register(selector, SelectionKey.OP_READ, s);
            open.add(s);
            return s;
        });
    }

    // ---------------------------------------------------------------- shared with connections

    ByteBuffer readBuffer() {
        return readBuffer.clear();
    }

    BufferPool chunks() {
        return chunks;
    }

    /** The loop's scratch array for one gathering write; the writer empties it again. */
    ByteBuffer[] gatherArray() {
        return gather;
    }

    void closed(IoReady r, boolean wasConnection) {
        open.closed(r, wasConnection);
    }

    private void closeAll() {
        open.closeAll(loop);
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
