package io.shardline.net;

import java.nio.ByteBuffer;

/**
 * Splits a byte stream into frames that start with a big-endian length (1, 2, 4 bytes) of the payload
 * that follows. Owned by one connection's loop; not thread-safe.
 *
 * <p>Copies at most once: a frame that arrived whole in one read is handed over as a slice of the read
 * buffer (no copy); a frame split across reads is copied once into a buffer of exactly its size,
 * allocated only after the length is known and checked against the limit, so a hostile length never
 * allocates.
 */
public final class LengthFieldDecoder {
    private final int lengthBytes;
    private final int maxFrameLength;
    private final FrameHandler handler;
    private int header;
    private int headerRead;
    private ByteBuffer partial;

    public LengthFieldDecoder(int lengthBytes, int maxFrameLength, FrameHandler handler) {
        if (lengthBytes != 1 && lengthBytes != 2 && lengthBytes != 4) {
            throw new IllegalArgumentException("length field must be 1, 2 or 4 bytes, was " + lengthBytes);
        }
        if (maxFrameLength < 0) {
            throw new IllegalArgumentException("max frame length must not be negative, was " + maxFrameLength);
        }
        this.lengthBytes = lengthBytes;
        this.maxFrameLength = maxFrameLength;
        this.handler = handler;
    }

    /** Consumes all of {@code in}, calling the handler once per complete frame. */
    public void decode(ByteBuffer in) throws FrameTooLongException {
        while (in.hasRemaining()) {
            if (partial != null) {
                int k = Math.min(partial.remaining(), in.remaining());
                partial.put(partial.position(), in, in.position(), k);
                partial.position(partial.position() + k);
                in.position(in.position() + k);
                if (!partial.hasRemaining()) {
                    ByteBuffer frame = partial.flip();
                    partial = null;
                    handler.onFrame(frame);
                }
                continue;
            }
            while (headerRead < lengthBytes && in.hasRemaining()) {
                header = (header << 8) | (in.get() & 0xFF);
                headerRead++;
            }
            if (headerRead < lengthBytes) {
                return;
            }
            long length = lengthBytes == 4 ? header & 0xFFFF_FFFFL : header;
            header = 0;
            headerRead = 0;
            if (length > maxFrameLength) {
                throw new FrameTooLongException("frame of " + length + " bytes is over the limit of " + maxFrameLength);
            }
            int len = (int) length;
            if (in.remaining() >= len) {
                ByteBuffer frame = in.slice(in.position(), len);
                in.position(in.position() + len);
                handler.onFrame(frame);
            } else {
                partial = ByteBuffer.allocate(len);
            }
        }
    }

    /** Writes the length prefix for a payload of {@code length} bytes into {@code out}. */
    public static void writeLength(ByteBuffer out, int lengthBytes, int length) {
        long max = lengthBytes == 4 ? Integer.MAX_VALUE : (1L << (8 * lengthBytes)) - 1;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("length " + length + " does not fit a " + lengthBytes + "-byte field");
        }
        switch (lengthBytes) {
            case 1 -> out.put((byte) length);
            case 2 -> out.putShort((short) length);
            case 4 -> out.putInt(length);
            default -> throw new IllegalArgumentException("length field must be 1, 2 or 4 bytes, was " + lengthBytes);
        }
    }
}
