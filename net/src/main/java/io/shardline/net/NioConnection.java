package io.shardline.net;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.core.Timer;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A TCP connection on the NIO backend. Owned by its loop; not thread-safe.
 *
 * <p>Queued bytes are packed into pooled 16 KiB chunks (a chunk's {@code [position, limit)} is what
 * is still to be written, and the last chunk takes appends), so many small writes to a slow peer cost
 * their size, not a chunk each. Reading stops after 16 full buffers in one pass so one busy peer
 * cannot starve the loop's other connections.
 */
final class NioConnection implements Connection, IoReady {
    private static final System.Logger LOG = System.getLogger("io.shardline.net");
    private static final int READS_PER_PASS = 16;

    private final NioTransport transport;
    private final Loop loop;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final ConnectionOptions options;
    private final ConnectionHandler handler;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private final Promise<Void> closeFuture;
    private final SocketAddress remote;
    private final SocketAddress local;
    private long queued;
    private boolean writable = true;
    private boolean readingPaused;
    private boolean inputClosed;
    private boolean shutdownRequested;
    private boolean outputShut;
    private boolean closing;
    private boolean closed;
    private Timer timeoutTimer;
    private long lastReadNanos;
    private long lastActivityNanos;
    /** Whether any timeout is set: without one, reads and writes skip the clock. */
    private final boolean timed;
    /** The socket's descriptor for io_uring batches; -1 where the transport makes plain NIO calls. */
    private final int fd;
    /** Whether this connection waits in the transport's next send batch. */
    private boolean sendQueued;
    /** Input a batch received after a handler paused this connection: delivered when reading resumes. */
    private ByteBuffer held;
    /** Whether {@link #held} stands for the end of input rather than bytes. */
    private boolean heldEnd;

    NioConnection(NioTransport transport, SocketChannel channel, SelectionKey key, ConnectionOptions options,
                  ConnectionHandler handler) throws IOException {
        this.transport = transport;
        this.loop = transport.loop();
        this.channel = channel;
        this.key = key;
        this.options = options;
        this.handler = handler;
        this.closeFuture = new Promise<>(loop);
        this.remote = channel.getRemoteAddress();
        this.local = channel.getLocalAddress();
        this.timed = !options.idleTimeout().isZero() || !options.readTimeout().isZero();
        this.fd = transport.batch() != null ? NioInternals.fd(channel) : -1;
    }

    void opened() {
        long now = loop.clock().nanoTime();
        lastReadNanos = now;
        lastActivityNanos = now;
        if (timed) {
            timeoutTimer = loop.timer(this::checkTimeouts);
            timeoutTimer.schedule(shortestTimeout());
        }
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
        if (!closed && (readyOps & SelectionKey.OP_READ) != 0) {
            read();
        }
    }

    private void read() {
        ByteBuffer buf = transport.readBuffer();
        for (int i = 0; i < READS_PER_PASS && !readingPaused && !closed && !inputClosed && held == null; i++) {
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
        if (timed) {
            lastReadNanos = lastActivityNanos = loop.clock().nanoTime();
        }
        try {
            handler.onData(this, data);
            return true;
        } catch (Throwable t) {
            fail(t);
            return false;
        }
    }

    private void inputEnded() {
        inputClosed = true;
        updateInterest();
        try {
            handler.onInputClosed(this);
        } catch (Throwable t) {
            fail(t);
        }
    }

    // ---------------------------------------------------------------- io_uring batches (SocketBatch)

    int fd() {
        return fd;
    }

    boolean canReceive() {
        // A cancelled key means the channel was closed (perhaps by whoever handed it over): its fd
        // number may already belong to another socket.
        return !closed && !readingPaused && !inputClosed && held == null && key.isValid();
    }

    /** The result of this connection's receive in a batch: {@code res} bytes in {@code slot}, or -errno. */
    void received(int res, ByteBuffer slot) {
        if (closed) {
            return;
        }
        if (readingPaused && res >= 0) {
            hold(res, slot); // paused by a handler earlier in this batch, after the bytes were read
            return;
        }
        if (res > 0) {
            if (!deliver(slot.clear().limit(res))) {
                return;
            }
            if (res == slot.capacity()) {
                read(); // the slot was full: more may be waiting
            }
        } else if (res == 0) {
            inputEnded();
        } else if (res != -IoUring.EAGAIN && res != -IoUring.ECANCELED) {
            fail(new IOException(IoUring.strerror(-res)));
        }
    }

    /**
     * Keeps what a batch received for a connection its handler has paused meanwhile, and delivers it
     * once reading resumes: {@code res} bytes (at most a chunk), or the end of input for 0.
     */
    private void hold(int res, ByteBuffer slot) {
        ByteBuffer chunk = transport.chunks().acquire();
        slot.clear().limit(res);
        chunk.put(slot).flip();
        held = chunk;
        heldEnd = res == 0;
    }

    /** Delivers input held while paused, as a task of its own so that resumeReading() never re-enters a handler. */
    private void deliverHeld() {
        ByteBuffer h = held;
        if (h == null || closed || readingPaused) {
            return;
        }
        held = null;
        if (heldEnd) {
            inputEnded();
        } else {
            deliver(h);
        }
        transport.chunks().release(h);
        updateInterest();
    }

    /** Puts the head of the queue in a send batch under {@code tag}; false if there is nothing to send. */
    boolean prepareSend(IoUring ring, int tag) {
        sendQueued = false;
        if (closed || !key.isValid()) {
            return false; // a cancelled key: the channel is closed and its fd number may be reused
        }
        if (queue.isEmpty()) {
            return false; // a burst write emptied it: the batch calls sentNothing() once it has run
        }
        ByteBuffer head = queue.peekFirst();
        ring.prepare(IoUring.OP_SEND, fd, NioInternals.address(head) + head.position(), head.remaining(), tag);
        return true;
    }

    /** A listed queue that a burst write emptied: what a drained queue does (close, shutdown, writability). */
    void sentNothing() {
        if (!closed) {
            drained();
        }
    }

    /** The transport stopped batching: write the queue with plain NIO calls. */
    void flushWithoutBatch() {
        sendQueued = false;
        flush();
    }

    /** The result of this connection's send in a batch: {@code res} bytes of the queue's head, or -errno. */
    void sent(int res) {
        if (closed) {
            return;
        }
        if (res == -IoUring.EAGAIN || res == -IoUring.ECANCELED) {
            updateInterest(); // no room: wait until the socket is writable
            return;
        }
        if (res < 0) {
            fail(new IOException(IoUring.strerror(-res)));
            return;
        }
        ByteBuffer head = queue.peekFirst();
        head.position(head.position() + res);
        queued -= res;
        if (res > 0 && timed) {
            lastActivityNanos = loop.clock().nanoTime();
        }
        if (head.hasRemaining()) {
            updateInterest(); // the socket took part of it: it is full
            return;
        }
        queue.pollFirst();
        transport.chunks().release(head);
        flush(); // any further chunks, then what a drained queue does (close, shutdown, writability)
    }

    @Override
    public boolean write(ByteBuffer data) {
        assert loop.inLoop() : "connection written from thread " + Thread.currentThread().getName() + ", owned by " + loop;
        if (closed || closing || shutdownRequested) {
            return false;
        }
        if (!data.hasRemaining()) {
            return true;
        }
        if (timed) {
            lastActivityNanos = loop.clock().nanoTime();
        }
        if (sendQueued && queued + data.remaining() > options.highWatermark()) {
            // A burst: write what waits for the batch now, so writability turns off only for a full
            // socket. No callbacks here (the caller is mid-write): the batch's turn for this
            // connection reports what changed.
            if (!writeQueue()) {
                return false;
            }
        }
        if (queue.isEmpty()) {
            SocketBatch batch = transport.batch();
            int n = data.remaining();
            if (batch != null && n <= SocketBatch.maxBatchedWrite() && n <= options.highWatermark()
                    && n <= options.maxQueuedBytes()) {
                // Goes out with the pass's other replies in one system call (SocketBatch).
                append(data);
                queued += n;
                if (!sendQueued) { // a flush above may have emptied the queue of a listed connection
                    sendQueued = true;
                    batch.sendLater(this);
                }
                return true;
            }
            try {
                channel.write(data);
            } catch (IOException e) {
                fail(e);
                return false;
            }
            if (!data.hasRemaining()) {
                return true;
            }
        }
        int rest = data.remaining();
        if (queued + rest > options.maxQueuedBytes()) {
            fail(new BufferLimitExceededException("connection to " + remote + ": " + (queued + rest)
                    + " bytes would be queued, over the limit of " + options.maxQueuedBytes()));
            return false;
        }
        append(data);
        queued += rest;
        if (!sendQueued) {
            updateInterest(); // else the send batch registers for writability if it must
        }
        if (writable && queued > options.highWatermark()) {
            writable = false;
            notifyWritability(false);
        }
        return true;
    }

    private void append(ByteBuffer data) {
        ByteBuffer last = queue.peekLast();
        while (data.hasRemaining()) {
            if (last == null || last.limit() == last.capacity()) {
                last = transport.chunks().acquire();
                last.limit(0);
                queue.addLast(last);
            }
            int end = last.limit();
            int k = Math.min(last.capacity() - end, data.remaining());
            last.limit(end + k);
            last.put(end, data, data.position(), k);
            data.position(data.position() + k);
        }
    }

    private void flush() {
        if (writeQueue()) {
            drained();
        }
    }

    /** Writes queued chunks until the socket is full or the queue empty; false if that failed the connection. */
    private boolean writeQueue() {
        while (!queue.isEmpty()) {
            ByteBuffer head = queue.peekFirst();
            int n;
            try {
                n = channel.write(head);
            } catch (IOException e) {
                fail(e);
                return false;
            }
            queued -= n;
            if (n > 0 && timed) {
                lastActivityNanos = loop.clock().nanoTime(); // a draining queue is not idle
            }
            if (head.hasRemaining()) {
                break;
            }
            queue.pollFirst();
            transport.chunks().release(head);
        }
        return true;
    }

    /** After writing: close or shut down once the queue is empty, watch for room, report writability. */
    private void drained() {
        if (queue.isEmpty()) {
            if (closing) {
                finishClose(null);
                return;
            }
            if (shutdownRequested && !outputShut) {
                shutdownNow();
            }
        }
        updateInterest();
        if (!writable && queued <= options.lowWatermark()) {
            writable = true;
            notifyWritability(true);
        }
    }

    private void notifyWritability(boolean value) {
        try {
            handler.onWritabilityChanged(this, value);
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void updateInterest() {
        if (!key.isValid()) {
            return;
        }
        int ops = 0;
        if (!readingPaused && !inputClosed && !closing && held == null) {
            ops |= SelectionKey.OP_READ;
        }
        if (!queue.isEmpty() && !sendQueued) { // a listed queue goes out with the batch
            ops |= SelectionKey.OP_WRITE;
        }
        key.interestOps(ops);
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public long queuedBytes() {
        return queued;
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
        if (held != null) {
            loop.execute(this::deliverHeld);
        }
    }

    @Override
    public void shutdownOutput() {
        if (closed || shutdownRequested) {
            return;
        }
        shutdownRequested = true;
        if (queue.isEmpty()) {
            shutdownNow();
        }
    }

    private void shutdownNow() {
        outputShut = true;
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public Future<Void> close() {
        if (!closed && !closing) {
            closing = true;
            if (queue.isEmpty()) {
                finishClose(null);
            } else {
                updateInterest();
            }
        }
        return closeFuture;
    }

    @Override
    public void abort() {
        if (closed) {
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
        if (closed) {
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "connection " + remote + " on " + loop + " closed: " + cause);
        finishClose(cause);
    }

    private void finishClose(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        key.cancel();
        NioTransport.closeQuietly(channel);
        ByteBuffer b;
        while ((b = queue.pollFirst()) != null) {
            transport.chunks().release(b);
        }
        if (held != null) {
            transport.chunks().release(held);
            held = null;
        }
        queued = 0;
        if (timeoutTimer != null) {
            timeoutTimer.cancel();
        }
        transport.closed(this, true);
        try {
            handler.onClosed(this, cause);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.DEBUG, () -> "onClosed of " + remote + " threw " + t);
        }
        if (cause == null) {
            closeFuture.trySucceed(null);
        } else {
            closeFuture.tryFail(cause);
        }
    }

    @Override
    public void closeForShutdown() {
        fail(new IOException("connection closed: " + loop + " is closing"));
    }

    private void checkTimeouts() {
        if (closed) {
            return;
        }
        long now = loop.clock().nanoTime();
        long read = options.readTimeout().toNanos();
        long idle = options.idleTimeout().toNanos();
        if (read > 0 && now - lastReadNanos >= read) {
            fail(new ConnectionTimeoutException("no data from " + remote + " for " + options.readTimeout()));
            return;
        }
        if (idle > 0 && now - lastActivityNanos >= idle) {
            fail(new ConnectionTimeoutException("connection to " + remote + " idle for " + options.idleTimeout()));
            return;
        }
        // Re-armed lazily here rather than on every read: activity only moves the deadline forward.
        long next = Long.MAX_VALUE;
        if (read > 0) {
            next = Math.min(next, lastReadNanos + read - now);
        }
        if (idle > 0) {
            next = Math.min(next, lastActivityNanos + idle - now);
        }
        timeoutTimer.scheduleNanos(Math.max(next, 1), 0);
    }

    private Duration shortestTimeout() {
        Duration idle = options.idleTimeout();
        Duration read = options.readTimeout();
        if (idle.isZero()) {
            return read;
        }
        if (read.isZero()) {
            return idle;
        }
        return idle.compareTo(read) < 0 ? idle : read;
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
        return !closed;
    }

    @Override
    public Future<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public String toString() {
        return "Connection[" + local + " <-> " + remote + (closed ? ", closed" : "") + "]";
    }
}
