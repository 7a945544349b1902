package io.shardline.net;

import java.nio.ByteBuffer;

/**
 * The bytes a connection has written and its socket has not yet taken; owned by the connection's
 * loop, not thread-safe.
 *
 * <p>Transport-neutral, as Netty's {@code ChannelOutboundBuffer}: it never touches a socket. A sender
 * asks for the next bytes with {@link #gather} (direct buffers, so their native memory can go to a
 * {@code writev} or an io_uring send as they are) and reports what the socket took with
 * {@link #consumed}. Bytes are packed into pooled chunks (the last chunk takes appends), so many small
 * writes to a slow peer cost their size, not a chunk each.
 *
 * <p>It keeps the connection's write limits ({@link ConnectionOptions}): above the high watermark it
 * turns unwritable, at or below the low one writable again, and tells its {@link WritabilityListener}
 * each time; a write that would pass the hard limit is refused whole.
 */
final class OutboundBuffer {
    /** Told when the buffer crosses a watermark; may write to, or close, the connection. */
    @FunctionalInterface
    interface WritabilityListener {
        void writabilityChanged(boolean writable);
    }

    private final BufferPool chunks;
    private final int lowWatermark;
    private final int highWatermark;
    private final long limit;
    private final WritabilityListener listener;
    /** Who the bytes go to, for the limit's message. */
    private final Object peer;
    /**
     * The chunks in order, a ring of {@code count} from index {@code first} (an array, so walking it
     * allocates no iterator); each holds its bytes in [0, limit), of which the first has sent
     * [0, headSent).
     */
    private ByteBuffer[] ring = new ByteBuffer[4];
    private int first;
    private int count;
    private int headSent;
    private long queued;
    private boolean writable = true;

    /** A buffer of {@code chunks} with the limits of {@code options}, for bytes to {@code peer} (named in errors). */
    OutboundBuffer(BufferPool chunks, ConnectionOptions options, Object peer, WritabilityListener listener) {
        this.chunks = chunks;
        this.peer = peer;
        this.lowWatermark = options.lowWatermark();
        this.highWatermark = options.highWatermark();
        this.limit = options.maxQueuedBytes();
        this.listener = listener;
    }

    /**
     * Queues all remaining bytes of {@code data} (consuming it), then turns unwritable if that passed
     * the high watermark. Refuses the whole write, queueing nothing and leaving {@code data} as it
     * was, if it would pass the limit.
     */
    void add(ByteBuffer data) throws BufferLimitExceededException {
        int n = data.remaining();
        if (queued + n > limit) {
            throw new BufferLimitExceededException("connection to " + peer + ": " + (queued + n)
                    + " bytes would be queued, over the limit of " + limit);
        }
        ByteBuffer last = count == 0 ? null : chunk(count - 1);
        while (data.hasRemaining()) {
            if (last == null || last.limit() == last.capacity()) {
                last = chunks.acquire().limit(0);
                addLast(last);
            }
            int end = last.limit();
            int k = Math.min(last.capacity() - end, data.remaining());
            // Absolute put: a sender may hold this chunk (and move its position) while bytes are appended.
            last.limit(end + k);
            last.put(end, data, data.position(), k);
            data.position(data.position() + k);
        }
        queued += n;
        if (writable && queued > highWatermark) {
            writable = false;
            listener.writabilityChanged(false);
        }
    }

    /**
     * Puts the chunks that hold the next bytes to send into {@code into}, in order, each with its
     * {@code [position, limit)} set to its unsent bytes: whole chunks while their total stays within
     * {@code maxBytes}, and always the first. Returns how many (0 when empty).
     *
     * <p>The buffers are this queue's own, valid until {@link #consumed} releases them or
     * {@link #clear}: a sender may move their positions (a gathering write does) but must not change
     * their limits or bytes, and reports what the socket took with {@link #consumed}. The bytes they
     * hold now stay put until then, so a send may be in flight from them meanwhile; later writes only
     * append, which may raise the last buffer's limit.
     */
    int gather(ByteBuffer[] into, long maxBytes) {
        int n = 0;
        long total = 0;
        for (; n < count && n < into.length; n++) {
            ByteBuffer chunk = chunk(n);
            int start = n == 0 ? headSent : 0;
            int bytes = chunk.limit() - start;
            if (n > 0 && total + bytes > maxBytes) {
                break;
            }
            into[n] = chunk.position(start);
            total += bytes;
        }
        return n;
    }

    /**
     * The socket took the next {@code n} queued bytes: releases the chunks they emptied, and turns
     * writable if that brought the queue to the low watermark or under, telling the listener (which
     * may write or close: a caller re-checks the connection after this returns).
     */
    void consumed(long n) {
        if (n < 0 || n > queued) {
            throw new IllegalArgumentException("consumed " + n + " of " + queued + " queued bytes");
        }
        long left = n;
        while (left > 0) {
            ByteBuffer head = ring[first];
            int inHead = head.limit() - headSent;
            if (left < inHead) {
                headSent += (int) left;
                break;
            }
            left -= inHead;
            removeFirst();
            chunks.release(head);
            headSent = 0;
        }
        queued -= n;
        if (!writable && queued <= lowWatermark) {
            writable = true;
            listener.writabilityChanged(true);
        }
    }

    boolean isEmpty() {
        return queued == 0;
    }

    long queuedBytes() {
        return queued;
    }

    /** False from passing the high watermark until back at or under the low one. */
    boolean isWritable() {
        return writable;
    }

    /**
     * Drops every queued byte and returns the chunks to the pool, telling no one (the connection is
     * closing). A sender with a send still in flight from these chunks waits for it to complete first.
     */
    void clear() {
        while (count > 0) {
            chunks.release(removeFirst());
        }
        headSent = 0;
        queued = 0;
    }

    /** The {@code i}th chunk from the first. */
    private ByteBuffer chunk(int i) {
        return ring[(first + i) & (ring.length - 1)];
    }

    private void addLast(ByteBuffer chunk) {
        if (count == ring.length) {
            // Unrolled so the chunks start at 0 again; the length stays a power of two.
            ByteBuffer[] grown = new ByteBuffer[ring.length * 2];
            for (int i = 0; i < count; i++) {
                grown[i] = chunk(i);
            }
            ring = grown;
            first = 0;
        }
        ring[(first + count++) & (ring.length - 1)] = chunk;
    }

    private ByteBuffer removeFirst() {
        ByteBuffer b = ring[first];
        ring[first] = null; // a released chunk belongs to the pool now
        first = (first + 1) & (ring.length - 1);
        count--;
        return b;
    }
}
