package io.shardline.examples.broker;

import io.shardline.net.FrameHandler;
import io.shardline.net.FrameTooLongException;
import java.nio.ByteBuffer;

/**
 * Splits a connection's bytes into Kafka frames (a 4-byte big-endian size, then that many bytes). Owned by
 * the connection's shard; not thread-safe.
 *
 * <p>Unlike {@link io.shardline.net.LengthFieldDecoder}, a frame split across reads is gathered in a buffer
 * that grows with the bytes that actually arrive, not one of the announced size: a peer that announces
 * 100 MB and sends ten bytes costs ten bytes, and zeroing a large buffer never stalls the shard up front.
 * A frame that arrived whole is handed over as a slice of the read buffer, without a copy.
 */
final class FrameAssembler {
    private static final int FIRST_CHUNK = 64 * 1024;
    private final int maxFrameBytes;
    private final FrameHandler handler;
    private int header;
    private int headerRead;
    /** The frame being gathered, or null; {@code want} is its announced size. */
    private ByteBuffer partial;
    private int want;

    FrameAssembler(int maxFrameBytes, FrameHandler handler) {
        this.maxFrameBytes = maxFrameBytes;
        this.handler = handler;
    }

    void decode(ByteBuffer in) throws FrameTooLongException {
        while (in.hasRemaining()) {
            if (partial != null) {
                int k = Math.min(want - partial.position(), in.remaining());
                if (partial.remaining() < k) {
                    int cap = (int) Math.min(want, Math.max((long) partial.capacity() * 2, partial.position() + k));
                    partial = ByteBuffer.allocate(cap).put(partial.flip());
                }
                partial.put(partial.position(), in, in.position(), k);
                partial.position(partial.position() + k);
                in.position(in.position() + k);
                if (partial.position() == want) {
                    ByteBuffer frame = partial.flip();
                    partial = null;
                    handler.onFrame(frame);
                }
                continue;
            }
            while (headerRead < 4 && in.hasRemaining()) {
                header = (header << 8) | (in.get() & 0xFF);
                headerRead++;
            }
            if (headerRead < 4) {
                return;
            }
            int length = header;
            header = 0;
            headerRead = 0;
            if (length < 0 || length > maxFrameBytes) {
                throw new FrameTooLongException("frame of " + (length & 0xFFFF_FFFFL) + " bytes is over the limit of "
                        + maxFrameBytes);
            }
            if (in.remaining() >= length) {
                ByteBuffer frame = in.slice(in.position(), length);
                in.position(in.position() + length);
                handler.onFrame(frame);
            } else {
                want = length;
                partial = ByteBuffer.allocate(Math.min(length, Math.max(FIRST_CHUNK, in.remaining())));
            }
        }
    }
}
