package io.shardline.examples.broker.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads Kafka's primitive types from one request frame, classic and compact (flexible) forms alike.
 * Owned by the connection's shard for the length of one request; not thread-safe.
 *
 * <p>Every read checks the bounds and every length against what is left, so a hostile length never
 * allocates: a short or inconsistent frame throws {@link MalformedRequestException}.
 */
public final class KafkaReader {
    private final ByteBuffer in;

    public KafkaReader(ByteBuffer frame) {
        this.in = frame;
    }

    public int remaining() {
        return in.remaining();
    }

    private void need(int n) {
        if (n < 0 || in.remaining() < n) {
            throw new MalformedRequestException("request ends early: needs " + n + " bytes, has " + in.remaining());
        }
    }

    public byte int8() {
        need(1);
        return in.get();
    }

    public boolean bool() {
        return int8() != 0;
    }

    public short int16() {
        need(2);
        return in.getShort();
    }

    public int int32() {
        need(4);
        return in.getInt();
    }

    public long int64() {
        need(8);
        return in.getLong();
    }

    public UUID uuid() {
        need(16);
        return new UUID(in.getLong(), in.getLong());
    }

    public int unsignedVarint() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = int8() & 0xFF;
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new MalformedRequestException("varint is longer than 5 bytes");
    }

    /** A string: int16 length (classic) or unsigned varint length + 1 (compact); null where -1 / 0. */
    public String string(boolean compact) {
        int n = compact ? unsignedVarint() - 1 : int16();
        if (n < 0) {
            return null;
        }
        need(n);
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A non-null string; a null one is malformed. */
    public String requiredString(boolean compact) {
        String s = string(compact);
        if (s == null) {
            throw new MalformedRequestException("a non-nullable string is null");
        }
        return s;
    }

    /** Bytes: int32 length (classic) or unsigned varint length + 1 (compact); null where -1 / 0. Copied. */
    public byte[] bytes(boolean compact) {
        int n = compact ? unsignedVarint() - 1 : int32();
        if (n < 0) {
            return null;
        }
        need(n);
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    /** An array's length: int32 (classic) or unsigned varint + 1 (compact); -1 for a null array. */
    public int arrayLength(boolean compact) {
        int n = compact ? unsignedVarint() - 1 : int32();
        if (n < -1) {
            throw new MalformedRequestException("array length " + n);
        }
        // Each element takes at least one byte: a bigger count cannot be honest, and must not size anything.
        if (n > in.remaining()) {
            throw new MalformedRequestException("array of " + n + " elements in " + in.remaining() + " bytes");
        }
        return n;
    }

    /** Skips a tagged-field section (flexible versions only): none of the requests here reads a tag. */
    public void skipTaggedFields() {
        int count = unsignedVarint();
        if (count < 0 || count > in.remaining()) {
            throw new MalformedRequestException("tagged field count " + count);
        }
        for (int i = 0; i < count; i++) {
            unsignedVarint();
            int size = unsignedVarint();
            need(size);
            in.position(in.position() + size);
        }
    }
}
