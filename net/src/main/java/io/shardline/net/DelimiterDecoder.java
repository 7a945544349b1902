package io.shardline.net;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Splits a byte stream into frames ended by a delimiter (e.g. {@code \r\n}); frames are handed over
 * without the delimiter. Owned by one connection's loop; not thread-safe.
 *
 * <p>A frame found whole in one read is a slice of the read buffer (no copy). A frame split across
 * reads is copied into a pending buffer that starts small and doubles as needed, so its bytes are
 * copied once unless that buffer must grow. Data past the limit without a delimiter fails at once,
 * so a peer that never sends one costs at most the limit.
 */
public final class DelimiterDecoder {
    private final byte[] delimiter;
    private final int maxFrameLength;
    private final FrameHandler handler;
    private ByteBuffer partial;

    public DelimiterDecoder(byte[] delimiter, int maxFrameLength, FrameHandler handler) {
        if (delimiter.length == 0) {
            throw new IllegalArgumentException("delimiter must not be empty");
        }
        if (maxFrameLength < 0) {
            throw new IllegalArgumentException("max frame length must not be negative, was " + maxFrameLength);
        }
        this.delimiter = delimiter.clone();
        this.maxFrameLength = maxFrameLength;
        this.handler = handler;
    }

    /** Consumes all of {@code in}, calling the handler once per complete frame. */
    public void decode(ByteBuffer in) throws FrameTooLongException {
        while (in.hasRemaining()) {
            if (partial == null) {
                int end = find(in, in.position());
                if (end >= 0) {
                    int len = end - in.position();
                    check(len);
                    ByteBuffer frame = in.slice(in.position(), len);
                    in.position(end + delimiter.length);
                    handler.onFrame(frame);
                    continue;
                }
                check(in.remaining() - delimiter.length + 1);
                partial = ByteBuffer.allocate((int) Math.max(256, Math.min(2L * in.remaining(), maxPending())));
                append(in, in.remaining());
                return;
            }
            // Look for the delimiter across the boundary: rescan the pending tail plus the new bytes.
            int before = partial.position();
            int take = in.remaining();
            long limit = maxPending() - before;
            append(in, (int) Math.min(take, Math.max(limit, 0)));
            ByteBuffer view = partial.duplicate().flip();
            int end = find(view, Math.max(0, before - delimiter.length + 1));
            if (end >= 0) {
                int len = end;
                check(len);
                int consumedFromIn = end + delimiter.length - before;
                // Bytes appended past the delimiter go back to the stream.
                int extra = partial.position() - (end + delimiter.length);
                in.position(in.position() - extra);
                ByteBuffer frame = view.slice(0, len);
                partial = null;
                handler.onFrame(frame);
                assert consumedFromIn >= 0;
                continue;
            }
            check(partial.position() - delimiter.length + 1);
            if (in.hasRemaining()) {
                throw new FrameTooLongException("no delimiter within " + maxFrameLength + " bytes");
            }
        }
    }

    private void append(ByteBuffer in, int k) {
        if (partial.remaining() < k) {
            int need = partial.position() + k;
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.max(need, Math.min(2L * partial.capacity(), maxPending())));
            bigger.put(partial.flip());
            partial = bigger;
        }
        partial.put(partial.position(), in, in.position(), k);
        partial.position(partial.position() + k);
        in.position(in.position() + k);
    }

    /** Most bytes a pending frame may hold: the limit plus a delimiter, in long so a huge limit cannot wrap. */
    private long maxPending() {
        return Math.min((long) maxFrameLength + delimiter.length, Integer.MAX_VALUE - 16);
    }

    private void check(int length) throws FrameTooLongException {
        if (length > maxFrameLength) {
            throw new FrameTooLongException("no delimiter within " + maxFrameLength + " bytes");
        }
    }

    /** Absolute index in {@code b} where the delimiter starts, searching from {@code from}; -1 if none. */
    private int find(ByteBuffer b, int from) {
        int last = b.limit() - delimiter.length;
        byte first = delimiter[0];
        for (int i = from; i <= last; i++) {
            if (b.get(i) == first && matchesAt(b, i)) {
                return i;
            }
        }
        return -1;
    }

    private boolean matchesAt(ByteBuffer b, int i) {
        for (int k = 1; k < delimiter.length; k++) {
            if (b.get(i + k) != delimiter[k]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "DelimiterDecoder[" + Arrays.toString(delimiter) + ", max " + maxFrameLength + "]";
    }
}
