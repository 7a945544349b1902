package io.shardline.net;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.core.ring.BufferRing;
import io.shardline.core.ring.Completion;
import io.shardline.core.ring.Ring;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * A TCP connection on the io_uring backend. Owned by its loop; not thread-safe.
 *
 * <p>The ring's operations and their bookkeeping only; the queue, the timeouts, the lifecycle and the
 * close's callbacks are the {@link OutboundBuffer}, {@link ConnectionTimeouts}, {@link ConnectionState}
 * and {@link ConnectionEnds} NIO uses too.
 * One multishot receive stays armed while the handler wants input; each arrival is lent to the handler
 * as a view of the provided buffer it landed in, which goes back to the ring once the callback returns.
 * A write is queued and sent when the loop's pass ends, never waiting in the kernel: a full socket
 * completes it short or with {@code -EAGAIN}, and a poll then waits for room. One send is in flight at
 * a time, so bytes go out in order, and none is between passes, so a burst past the high watermark can
 * go to the socket at once and only a full socket makes the connection unwritable. Pausing cancels the receive; what had already arrived is held and delivered, in order,
 * on resume. The socket is closed only once no operation of the ring still refers to it.
 *
 * <p>Over 400 lines: receiving, sending and closing each track ring operations in flight against the
 * one lifecycle state, and split apart each would need all of the others' fields.
 */
final class IoUringConnection implements Connection, OpenMembers.Member {
    private static final int MSG_NOSIGNAL = 0x4000;
    /** Sends never wait in the kernel: a full socket completes with -EAGAIN and a poll waits for room. */
    private static final int MSG_DONTWAIT = 0x40;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Chunks one send may gather: up to 256 KiB of 16 KiB chunks in one system call's worth. */
    private static final int MAX_GATHER = 16;
    /** {@code struct msghdr} on x86-64 and aarch64: 56 bytes, the iovecs follow it. */
    private static final int MSGHDR_SIZE = 56;
    private static final int IOVEC_SIZE = 16;

    private final IoUringTransport transport;
    private final Loop loop;
    private final Ring ring;
    private final BufferRing buffers;
    private final SocketChannel channel;
    private final int fd;
    private final ConnectionHandler handler;
    private final OutboundBuffer out;
    private final ConnectionTimeouts timeouts;
    private final int highWatermark;
    private final Promise<Void> closeFuture;
    private final SocketAddress remote;
    private final SocketAddress local;
    private final Completion onReceive = this::received;
    private final Completion onSent = this::sent;
    private final Completion onRoom = this::room;
    private final ByteBuffer[] head = new ByteBuffer[1];
    private final ByteBuffer[] gathered = new ByteBuffer[MAX_GATHER];
    /** The msghdr and iovecs of a gathering send; made by the first one, read by the kernel until it completes. */
    private MemorySegment message;
    private ConnectionState state = ConnectionState.OPEN;
    /** Flow control, not lifecycle: the handler asked for no input for now. */
    private boolean readingPaused;
    private long receiveToken;
    private long sendToken;
    private long roomToken;
    private int sendLength;
    private boolean receiving;
    /** A send is prepared or in the kernel; it completes within the pass that submits it. */
    private boolean sending;
    /** The socket was full: a poll waits for room before the next send. */
    private boolean awaitingRoom;
    private boolean sendQueued;
    /** A write-through drains the queue by plain calls: writes the handler makes meanwhile only append. */
    private boolean writingThrough;
    /** The queue turned writable during a write-through (which only drains it, so never unwritable). */
    private boolean writableHeld;
    /** Input that arrived after a pause, delivered on resume; null until a pause needs it. */
    private ArrayDeque<ByteBuffer> held;
    private boolean heldEnd;
    private boolean released;

    /** A connection on {@code fd}, the descriptor of {@code channel} or, with no channel, one of its own. */
    IoUringConnection(IoUringTransport transport, SocketChannel channel, int fd, ConnectionOptions options,
                      ConnectionHandler handler) throws IOException {
        this.transport = transport;
        this.loop = transport.loop();
        this.ring = transport.ring();
        this.buffers = transport.receiveBuffers();
        this.channel = channel;
        this.fd = fd;
        this.handler = handler;
        this.closeFuture = new Promise<>(loop);
        this.remote = address(fd, true);
        this.local = address(fd, false);
        this.out = new OutboundBuffer(transport.chunks(), options, remote, this::writabilityChanged);
        this.timeouts = new ConnectionTimeouts(loop, options, remote, this::fail);
        this.highWatermark = options.highWatermark();
    }

    /**
     * The peer's or the own address; null if the socket has none any more (a peer that reset it before
     * it was adopted: the receive then reports the reset, as it would on a connection that had lived).
     */
    private static SocketAddress address(int fd, boolean peer) {
        try {
            return peer ? SocketFds.INSTANCE.peer(fd) : SocketFds.INSTANCE.local(fd);
        } catch (IOException e) {
            return null;
        }
    }

    void opened() {
        timeouts.start();
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            fail(t);
        }
        updateReading();
    }

    // ---------------------------------------------------------------- receiving

    /** Arms the receive while input is wanted, cancels it while it is not. */
    private void updateReading() {
        boolean want = !readingPaused && state.readsInput() && !released;
        if (want && !receiving && (held == null || held.isEmpty()) && !heldEnd) {
            receiveToken = ring.recvMultishot(fd, buffers, 0, onReceive);
            receiving = true;
        } else if (!want && receiving) {
            ring.cancel(receiveToken); // arrivals before the cancel still complete, and are held
        }
    }

    private void received(int result, int flags) {
        if ((flags & Ring.F_MORE) == 0) {
            receiving = false;
        }
        if (result > 0) {
            transport.counters().read(result);
            int id = BufferRing.bufferId(flags);
            try {
                arrived(buffers.buffer(id, result));
            } finally {
                buffers.recycle(id);
            }
        } else if (result == 0) {
            if (readingPaused || (held != null && !held.isEmpty())) {
                heldEnd = state.readsInput();
            } else if (state.readsInput()) {
                inputEnded();
            }
        } else if (result != -Ring.ECANCELED && result != -Ring.ENOBUFS && state.readsInput()) {
            fail(new IOException(Ring.describe(-result)));
        }
        if (!receiving) {
            if (released || !state.isOpen()) {
                release();
            } else {
                updateReading(); // a multishot receive that ended (no buffer free, a cancel) starts again
            }
        }
    }

    private void arrived(ByteBuffer data) {
        if (!state.readsInput()) {
            return; // closing or closed: a straggler from before the cancel
        }
        if (readingPaused || (held != null && !held.isEmpty())) {
            if (held == null) {
                held = new ArrayDeque<>();
            }
            held.add(ByteBuffer.allocate(data.remaining()).put(data).flip()); // the view goes back to the ring
            return;
        }
        deliver(data);
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

    private void deliverHeld() {
        while (held != null && !held.isEmpty() && !readingPaused && state.readsInput()) {
            if (!deliver(held.poll())) {
                return;
            }
        }
        if (heldEnd && (held == null || held.isEmpty()) && !readingPaused && state.readsInput()) {
            heldEnd = false;
            inputEnded();
        }
    }

    private void inputEnded() {
        state = state.inputEnded();
        try {
            handler.onInputClosed(this);
        } catch (Throwable t) {
            fail(t);
        }
    }

    // ---------------------------------------------------------------- sending

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
        if (!sending && !awaitingRoom && !writingThrough && out.queuedBytes() + data.remaining() > highWatermark) {
            // A burst past the high watermark goes to the socket now, so only a full socket makes the
            // connection unwritable; with no send in flight a plain call keeps the bytes in order.
            if (!writeThrough(data)) {
                return false;
            }
            if (!data.hasRemaining()) {
                deliverHeldWritability();
                return true;
            }
        }
        try {
            out.add(data);
        } catch (BufferLimitExceededException e) {
            fail(e);
            return false;
        }
        queueSend();
        deliverHeldWritability();
        return true;
    }

    private void queueSend() {
        if (!sending && !sendQueued && !awaitingRoom) {
            sendQueued = true;
            transport.sendLater(this); // with the pass's other sends, in one system call
        }
    }

    /** Writes the queue, then {@code data}, as far as the socket takes them; false if that closed the connection. */
    private boolean writeThrough(ByteBuffer data) {
        // Draining the queue may turn the connection writable, and what the handler writes then must
        // follow data: so the handler hears of it only once data is sent or queued (see writabilityChanged).
        writingThrough = true;
        try {
            while (!out.isEmpty()) {
                out.gather(head, Long.MAX_VALUE);
                ByteBuffer b = head[0];
                head[0] = null;
                int length = b.remaining();
                long n = SocketFds.INSTANCE.send(fd, NioInternals.address(b) + b.position(), length, transport.errno());
                transport.counters().wrote(n);
                if (n > 0) {
                    out.consumed(n); // calls no handler: a writability change waits (writabilityChanged)
                }
                if (n < length) {
                    return true; // the socket is full: data waits behind the queue
                }
            }
            if (data.hasRemaining()) {
                ByteBuffer d = data.isDirect() ? data : transport.directCopy(data);
                // A segment's view (a provided receive buffer) has no DirectBuffer address: ask the segment.
                long n = SocketFds.INSTANCE.send(fd, MemorySegment.ofBuffer(d).address(), d.remaining(),
                        transport.errno());
                transport.counters().wrote(n);
                data.position(data.position() + (int) n);
            }
            return true;
        } catch (IOException e) { // a send that failed, or data past the queue's limit
            fail(e);
            return false;
        } finally {
            writingThrough = false;
        }
    }

    /** Tells the handler of a writability change a write-through held back, once its data is in order. */
    private void deliverHeldWritability() {
        if (writableHeld) {
            writableHeld = false;
            if (state.isOpen() && out.isWritable()) {
                writabilityChanged(true);
            }
        }
    }

    /** Called by the transport as the pass ends: one send of the queue's head. */
    void sendQueued() {
        sendQueued = false;
        if (sending || awaitingRoom || released || !state.isOpen() || out.isEmpty()) {
            return;
        }
        int n = out.gather(gathered, Long.MAX_VALUE);
        if (n == 1) {
            ByteBuffer b = gathered[0];
            gathered[0] = null;
            sendLength = b.remaining();
            sendToken = ring.send(fd, NioInternals.address(b) + b.position(), b.remaining(),
                    MSG_DONTWAIT | MSG_NOSIGNAL, onSent);
        } else {
            // Several chunks queued: one gathering send takes them all, not one chunk per pass.
            if (message == null) {
                message = Arena.ofAuto().allocate(MSGHDR_SIZE + (long) IOVEC_SIZE * MAX_GATHER, 8);
                message.set(ValueLayout.JAVA_LONG, 16, message.address() + MSGHDR_SIZE); // msg_iov
            }
            long total = 0;
            for (int i = 0; i < n; i++) {
                ByteBuffer b = gathered[i];
                gathered[i] = null;
                long iov = MSGHDR_SIZE + (long) IOVEC_SIZE * i;
                message.set(ValueLayout.JAVA_LONG, iov, NioInternals.address(b) + b.position());
                message.set(ValueLayout.JAVA_LONG, iov + 8, b.remaining());
                total += b.remaining();
            }
            message.set(ValueLayout.JAVA_LONG, 24, n); // msg_iovlen; no name, no control, no flags
            sendLength = (int) total;
            sendToken = ring.sendmsg(fd, message.address(), MSG_DONTWAIT | MSG_NOSIGNAL, onSent);
        }
        sending = true;
    }

    private void sent(int result, int flags) {
        sending = false;
        if (released || !state.isOpen()) {
            release();
            return;
        }
        if (result == -Ring.EAGAIN) {
            awaitRoom();
            return;
        }
        if (result < 0) {
            fail(new IOException(Ring.describe(-result)));
            return;
        }
        transport.counters().wrote(result);
        timeouts.wrote(); // a draining queue is not idle
        out.consumed(result); // may call the handler, which may close
        if (!state.isOpen()) {
            release();
            return;
        }
        if (!out.isEmpty()) {
            if (result < sendLength) {
                awaitRoom(); // a short send: the socket is full
            } else {
                queueSend(); // the next pass sends the rest
            }
            return;
        }
        if (state.closesWhenDrained()) {
            finishClose(null);
        } else if (state.shutsOutputWhenDrained()) {
            shutdownNow();
        }
    }

    private void awaitRoom() {
        awaitingRoom = true; // the socket is full: only now may the queue grow past the watermark
        roomToken = ring.pollAdd(fd, Ring.POLLOUT, false, onRoom);
    }

    private void room(int result, int flags) {
        awaitingRoom = false;
        if (released || !state.isOpen()) {
            release();
        } else if (result < 0 && result != -Ring.ECANCELED) {
            fail(new IOException(Ring.describe(-result)));
        } else {
            queueSend();
        }
    }

    private void writabilityChanged(boolean writable) {
        if (writingThrough) {
            assert writable : "a write-through only drains the queue";
            writableHeld = true; // told after the write-through's data, which must come first
            return;
        }
        Throwable t = ConnectionEnds.writabilityChanged(this, handler, state, writable);
        if (t != null) {
            fail(t);
        }
    }

    @Override
    public boolean isWritable() {
        return out.isWritable();
    }

    @Override
    public long queuedBytes() {
        return out.queuedBytes();
    }

    // ---------------------------------------------------------------- flow control and closing

    @Override
    public void pauseReading() {
        readingPaused = true;
        updateReading();
    }

    @Override
    public void resumeReading() {
        readingPaused = false;
        deliverHeld();
        updateReading();
    }

    @Override
    public void shutdownOutput() {
        if (!state.acceptsWrites()) {
            return; // closed, closing, or already shutting down
        }
        state = state.outputShutdownRequested();
        if (out.isEmpty() && !sending && !awaitingRoom) {
            shutdownNow();
        }
    }

    private void shutdownNow() {
        state = state.outputShut();
        try {
            SocketFds.INSTANCE.shutdownOutput(fd);
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public Future<Void> close() {
        if (state.isOpen() && !state.closesWhenDrained()) {
            state = state.closeRequested();
            updateReading();
            if (out.isEmpty() && !sending && !awaitingRoom) {
                finishClose(null);
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
            SocketFds.INSTANCE.lingerZero(fd); // close sends a reset
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
        timeouts.stop();
        transport.closed(this, true);
        if (receiving) {
            ring.cancel(receiveToken);
        }
        if (sending) {
            ring.cancel(sendToken);
        }
        if (awaitingRoom) {
            ring.cancel(roomToken); // the wait for room in a full socket ends now
        }
        release();
        ConnectionEnds.closed(this, handler, cause, closeFuture, remote);
    }

    /** Closes the socket and frees the queue once no ring operation refers to them any more. */
    private void release() {
        if (released) {
            return;
        }
        if (receiving || sending || awaitingRoom) {
            ring.submit(); // the cancels now, so the socket closes as soon as their completions are in
            return;
        }
        released = true;
        out.clear();
        held = null;
        if (channel != null) {
            NioTransport.closeQuietly(channel); // the channel owns the descriptor
        } else {
            SocketFds.INSTANCE.close(fd);
        }
    }

    @Override
    public void closeForShutdown() {
        if (!sending && !awaitingRoom && !out.isEmpty() && state.isOpen()) {
            writeThrough(EMPTY); // the loop is closing: what this pass queued goes out through plain calls
        }
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
