package io.shardline.examples.broker.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Builds one response frame: the 4-byte size, the response header, the body, in Kafka's classic and
 * compact (flexible) encodings. Owned by the shard that encodes the response; not thread-safe.
 */
public final class KafkaWriter {
    private ByteBuffer out;
    /** Arrays sent from where they are ({@link #splicedBytes}), each at its offset in {@link #out}; null until one. */
    private java.util.List<byte[]> spliced;
    private int[] splicedAt;
    private long splicedBytes;

    /**
     * Starts a response to {@code correlationId}; {@code headerV1} adds the header's empty tagged
     * fields (flexible versions, except ApiVersions, whose response header is always v0).
     */
    public KafkaWriter(int correlationId, boolean headerV1) {
        this(correlationId, headerV1, 256);
    }

    /** As {@link #KafkaWriter(int, boolean)}, sized for a body of about {@code expectedBytes}. */
    public KafkaWriter(int correlationId, boolean headerV1, int expectedBytes) {
        out = ByteBuffer.allocate(Math.max(64, expectedBytes));
        out.putInt(0); // the size, set by finish()
        out.putInt(correlationId);
        if (headerV1) {
            noTags();
        }
    }

    private void ensure(int n) {
        if (out.remaining() < n) {
            int cap = Math.max(out.capacity() * 2, out.position() + n);
            ByteBuffer bigger = ByteBuffer.allocate(cap);
            out.flip();
            bigger.put(out);
            out = bigger;
        }
    }

    public KafkaWriter int8(int v) {
        ensure(1);
        out.put((byte) v);
        return this;
    }

    public KafkaWriter bool(boolean v) {
        return int8(v ? 1 : 0);
    }

    public KafkaWriter int16(int v) {
        ensure(2);
        out.putShort((short) v);
        return this;
    }

    public KafkaWriter int32(int v) {
        ensure(4);
        out.putInt(v);
        return this;
    }

    public KafkaWriter int64(long v) {
        ensure(8);
        out.putLong(v);
        return this;
    }

    public KafkaWriter uuid(UUID id) {
        ensure(16);
        out.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return this;
    }

    public KafkaWriter unsignedVarint(int v) {
        ensure(5);
        while ((v & ~0x7F) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
        return this;
    }

    /** A nullable string in the classic or compact form. */
    public KafkaWriter string(String s, boolean compact) {
        if (s == null) {
            return compact ? unsignedVarint(0) : int16(-1);
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (compact) {
            unsignedVarint(b.length + 1);
        } else {
            int16(b.length);
        }
        ensure(b.length);
        out.put(b);
        return this;
    }

    /** Nullable bytes (a record set) in the classic or compact form. */
    public KafkaWriter bytes(byte[] b, boolean compact) {
        if (b == null) {
            return compact ? unsignedVarint(0) : int32(-1);
        }
        if (compact) {
            unsignedVarint(b.length + 1);
        } else {
            int32(b.length);
        }
        ensure(b.length);
        out.put(b);
        return this;
    }

    /**
     * Non-null bytes (a record set) given as consecutive arrays, in the classic or compact form, without
     * copying them: the length goes here, and the arrays go into the frame as they are at
     * {@link #finishGathered}. Do not change them until the frame is written.
     */
    public KafkaWriter splicedBytes(byte[][] parts, boolean compact) {
        long length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        if (length > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("a record set of " + length + " bytes");
        }
        if (compact) {
            unsignedVarint((int) length + 1);
        } else {
            int32((int) length);
        }
        if (spliced == null) {
            spliced = new java.util.ArrayList<>(parts.length);
            splicedAt = new int[Math.max(4, parts.length)];
        }
        for (byte[] p : parts) {
            if (spliced.size() == splicedAt.length) {
                splicedAt = java.util.Arrays.copyOf(splicedAt, splicedAt.length * 2);
            }
            splicedAt[spliced.size()] = out.position();
            spliced.add(p);
        }
        splicedBytes += length;
        return this;
    }

    /**
     * The finished frame, size included, as the buffers to write in order: this writer's own bytes with
     * the {@link #splicedBytes} arrays between them (a gathering write sends them with no copy here).
     */
    public ByteBuffer[] finishGathered() {
        if (spliced == null) {
            return new ByteBuffer[] {finish()};
        }
        int end = out.position();
        long size = end - 4L + splicedBytes;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException("a response frame of " + size + " bytes");
        }
        out.putInt(0, (int) size);
        java.util.List<ByteBuffer> parts = new java.util.ArrayList<>(2 * spliced.size() + 1);
        int from = 0;
        for (int i = 0; i < spliced.size(); i++) {
            if (splicedAt[i] > from) {
                parts.add(out.slice(from, splicedAt[i] - from));
                from = splicedAt[i];
            }
            byte[] p = spliced.get(i);
            if (p.length > 0) {
                parts.add(ByteBuffer.wrap(p));
            }
        }
        if (end > from) {
            parts.add(out.slice(from, end - from));
        }
        return parts.toArray(new ByteBuffer[0]);
    }

    /** An array length; -1 writes a null array. */
    public KafkaWriter arrayLength(int n, boolean compact) {
        return compact ? unsignedVarint(n + 1) : int32(n);
    }

    /** An empty tagged-field section. */
    public KafkaWriter noTags() {
        return unsignedVarint(0);
    }

    /** Writes {@code noTags()} only when {@code flexible}: the closing of a struct in a flexible version. */
    public KafkaWriter endStruct(boolean flexible) {
        return flexible ? noTags() : this;
    }

    /** The finished frame, size included, ready to write. */
    public ByteBuffer finish() {
        out.putInt(0, out.position() - 4);
        return out.flip();
    }
}
