package io.shardline.net;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * A TCP connection on the NIO backend. Owned by its loop; not thread-safe.
 *
 * <p>The NIO calls and the selector interest only: what waits to be written is an
 * {@link OutboundBuffer}, the timeouts are {@link ConnectionTimeouts}, where the connection is in its
 * life is one {@link ConnectionState}, and the close's callbacks are {@link ConnectionEnds}: the pieces
 * every transport shares. A write to an empty queue goes to the socket at once; what the socket does
 * not take is queued and written, several chunks per gathering write, when the selector says there
 * is room. Reading stops after 16 full
 * buffers in one pass so one busy peer cannot starve the loop's other connections.
 */
final class NioConnection implements Connection, IoReady {
    private static final int READS_PER_PASS = 16;

    private final NioTransport transport;
    private final Loop loop;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final ConnectionHandler handler;
    private final OutboundBuffer out;
    private final ConnectionTimeouts timeouts;
    private final Promise<Void> closeFuture;
    private final SocketAddress remote;
    private final SocketAddress local;
    private ConnectionState state = ConnectionState.OPEN;
    /** Flow control, not lifecycle: the handler asked for no input for now. */
    private boolean readingPaused;

    NioConnection(NioTransport transport, SocketChannel channel, SelectionKey key, ConnectionOptions options,
                  ConnectionHandler handler) throws IOException {
        this.transport = transport;
        this.loop = transport.loop();
        this.channel = channel;
        this.key = key;
        this.handler = handler;
        this.closeFuture = new Promise<>(loop);
        this.remote = channel.getRemoteAddress();
        this.local = channel.getLocalAddress();
        this.out = new OutboundBuffer(transport.chunks(), options, remote, this::writabilityChanged);
        this.timeouts = new ConnectionTimeouts(loop, options, remote, this::fail);
    }

    void opened() {
        timeouts.start();
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            fail(t);
        }
    }

    @Override
    public void ready(int readyOps) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            flush();
        }
        if (state.isOpen() && (readyOps & SelectionKey.OP_READ) != 0) {
            read();
        }
    }

    private void read() {
        ByteBuffer buf = transport.readBuffer();
        for (int i = 0; i < READS_PER_PASS && !readingPaused && state.readsInput(); i++) {
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                fail(e);
                return;
            }
            if (n < 0) {
                inputEnded();
                return;
            }
            if (n == 0) {
                return;
            }
            transport.counters().read(n);
            if (!deliver(buf.flip())) {
                return;
            }
            if (n < buf.capacity()) {
                return;
            }
            buf = transport.readBuffer();
        }
    }

    /** Hands bytes that arrived to the handler; false if it threw, which failed the connection. */
    private boolean deliver(ByteBuffer data) {
        timeouts.read();
        try {
            handler.onData(this, data);
            return true;
        } catch (Throwable t) {
            fail(t);
            return false;
        }
    }

    private void inputEnded() {
        state = state.inputEnded();
        updateInterest();
        try {
            handler.onInputClosed(this);
        } catch (Throwable t) {
            fail(t);
        }
    }

    @Override
    public boolean write(ByteBuffer data) {
        assert loop.inLoop() : "connection written from thread " + Thread.currentThread().getName() + ", owned by " + loop;
        if (!state.acceptsWrites()) {
            return false;
        }
        if (!data.hasRemaining()) {
            return true;
        }
        timeouts.wrote();
        if (out.isEmpty()) {
            try {
                transport.counters().wrote(channel.write(data));
            } catch (IOException e) {
                fail(e);
                return false;
            }
            if (!data.hasRemaining()) {
                return true;
            }
        }
        try {
            out.add(data);
        } catch (BufferLimitExceededException e) {
            fail(e);
            return false;
        }
        updateInterest();
        return true;
    }

    private void flush() {
        if (writeQueue()) {
            drained();
        }
    }

    /** Writes queued bytes until the socket is full or the queue empty; false if the connection closed meanwhile. */
    private boolean writeQueue() {
        ByteBuffer[] bufs = transport.gatherArray();
        while (!out.isEmpty()) {
            int count = out.gather(bufs, Long.MAX_VALUE);
            long n;
            boolean full;
            try {
                n = count == 1 ? channel.write(bufs[0]) : channel.write(bufs, 0, count);
                full = bufs[count - 1].hasRemaining(); // a gathering write fills the buffers in order
            } catch (IOException e) {
                fail(e);
                return false;
            } finally {
                Arrays.fill(bufs, 0, count, null); // the scratch array must not keep chunks alive
            }
            if (n > 0) {
                transport.counters().wrote(n);
                timeouts.wrote(); // a draining queue is not idle
                out.consumed(n); // may call the handler, which may close
                if (!state.isOpen()) {
                    return false;
                }
            }
            if (full) {
                break;
            }
        }
        return true;
    }

    /** After writing: close or shut down once the queue is empty, and watch for room while it is not. */
    private void drained() {
        if (out.isEmpty()) {
            if (state.closesWhenDrained()) {
                finishClose(null);
                return;
            }
            if (state.shutsOutputWhenDrained()) {
                shutdownNow();
            }
        }
        updateInterest();
    }

    private void writabilityChanged(boolean writable) {
        Throwable t = ConnectionEnds.writabilityChanged(this, handler, state, writable);
        if (t != null) {
            fail(t);
        }
    }

    private void updateInterest() {
        if (!key.isValid()) {
            return;
        }
        int ops = 0;
        if (!readingPaused && state.readsInput()) {
            ops |= SelectionKey.OP_READ;
        }
        if (!out.isEmpty()) {
            ops |= SelectionKey.OP_WRITE;
        }
        key.interestOps(ops);
    }

    @Override
    public boolean isWritable() {
        return out.isWritable();
    }

    @Override
    public long queuedBytes() {
        return out.queuedBytes();
    }

    @Override
    public void pauseReading() {
        readingPaused = true;
        updateInterest();
    }

    @Override
    public void resumeReading() {
        readingPaused = false;
        updateInterest();
    }

    @Override
    public void shutdownOutput() {
        if (!state.acceptsWrites()) {
            return; // closed, closing, or already shutting down
        }
        state = state.outputShutdownRequested();
        if (out.isEmpty()) {
            shutdownNow();
        }
    }

    private void shutdownNow() {
        state = state.outputShut();
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public Future<Void> close() {
        if (state.isOpen() && !state.closesWhenDrained()) {
            state = state.closeRequested();
            if (out.isEmpty()) {
                finishClose(null);
            } else {
                updateInterest();
            }
        }
        return closeFuture;
    }

    @Override
    public void abort() {
        if (!state.isOpen()) {
            return;
        }
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends a reset
        } catch (IOException ignored) {
            // the close below still happens
        }
        finishClose(null);
    }

    /** Ends the connection because of {@code cause}; only this connection is affected. */
    void fail(Throwable cause) {
        if (!state.isOpen()) {
            return;
        }
        ConnectionEnds.logFailure(remote, loop, cause);
        finishClose(cause);
    }

    private void finishClose(Throwable cause) {
        if (!state.isOpen()) {
            return;
        }
        state = state.closed();
        key.cancel();
        NioTransport.closeQuietly(channel);
        out.clear();
        timeouts.stop();
        transport.closed(this, true);
        ConnectionEnds.closed(this, handler, cause, closeFuture, remote);
    }

    @Override
    public void closeForShutdown() {
        fail(new IOException("connection closed: " + loop + " is closing"));
    }

    @Override
    public Loop loop() {
        return loop;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public boolean isOpen() {
        return state.isOpen();
    }

    @Override
    public Future<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public String toString() {
        return "Connection[" + local + " <-> " + remote + (state.isOpen() ? "" : ", closed") + "]";
    }
}
