package io.shardline.net.http;

import java.nio.ByteBuffer;

/**
 * A connection's received bytes that are not consumed yet, in one heap buffer that the parsers read
 * in place. Owned by the connection's shard; not thread-safe.
 *
 * <p>The transport reuses its receive buffer after each delivery, so what is not consumed at once is
 * copied here; consumed space is reclaimed by compacting, and the buffer grows only when a delivery
 * does not fit beside what is held (the owner stops reading past its hold limit, which bounds it).
 */
final class Inbound {
    private ByteBuffer in = ByteBuffer.allocate(16 * 1024).flip();
    /** A view of {@link #in}'s array that hands out body parts without a slice per part. */
    private ByteBuffer view = ByteBuffer.wrap(in.array());
    /** Where the search for the end of a head resumes, as an index into the array. */
    int scanFrom;

    /** The held bytes, in [position, limit); parsers advance its position. */
    ByteBuffer buffer() {
        return in;
    }

    int remaining() {
        return in.remaining();
    }

    /** Appends all of {@code data} (consumed). */
    void append(ByteBuffer data) {
        int n = data.remaining();
        if (!in.hasRemaining()) {
            scanFrom -= in.position();
            in.clear().flip();
        }
        if (in.capacity() - in.limit() < n) {
            int shift = in.position();
            if (in.capacity() - in.remaining() >= n) {
                in.compact().flip();
            } else {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(in.capacity() * 2, in.remaining() + n));
                bigger.put(in).flip();
                in = bigger;
                view = ByteBuffer.wrap(in.array());
            }
            scanFrom -= shift;
        }
        int end = in.limit();
        in.limit(end + n);
        in.put(end, data, data.position(), n);
        data.position(data.limit());
    }

    /** The next {@code n} held bytes as a view valid until the next call here; consumes them. */
    ByteBuffer take(int n) {
        int p = in.position();
        view.clear().position(p).limit(p + n);
        in.position(p + n);
        return view;
    }
}
