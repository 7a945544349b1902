package io.shardline.examples.kv.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes an {@link RdbValue} as a DUMP payload (rdb.c's save side): the object type byte, the object,
 * RDB version {@value RdbReader#RDB_VERSION} as two little-endian bytes, and the CRC-64 of all of it.
 * Owned by the thread handling one DUMP; not thread-safe.
 *
 * <p>A stream is written as Redis 7.2 writes it, type {@value RdbReader#TYPE_STREAM_LISTPACKS_3} ({@link
 * StreamRdb}). Other collections are written in the plain forms (list, set, hash, ZSET_2 with binary scores) that
 * every Redis since 2.8 loads, converting them to its compact encodings itself; strings that spell a
 * 32-bit integer are integer-encoded as Redis does. Nothing is LZF-compressed: Redis' DUMP compresses
 * strings over 20 bytes, which saves space but is never required of a payload.
 */
final class RdbWriter {
    private static final int ENC_INT8 = 0xC0;
    private static final int ENC_INT16 = 0xC1;
    private static final int ENC_INT32 = 0xC2;

    private byte[] buf = new byte[64];
    private int size;

    /** The payload of {@code v}. */
    static byte[] payload(RdbValue v) {
        RdbWriter w = new RdbWriter();
        switch (v.type()) {
            case STRING -> {
                w.write(RdbReader.TYPE_STRING);
                w.string(v.string());
            }
            case LIST, SET, HASH -> {
                w.write(v.type() == ValueType.LIST ? RdbReader.TYPE_LIST
                        : v.type() == ValueType.SET ? RdbReader.TYPE_SET : RdbReader.TYPE_HASH);
                w.length(v.type() == ValueType.HASH ? v.items().size() / 2 : v.items().size());
                for (byte[] item : v.items()) {
                    w.string(item);
                }
            }
            case ZSET -> {
                w.write(RdbReader.TYPE_ZSET_2);
                w.length(v.items().size());
                for (int i = 0; i < v.items().size(); i++) {
                    w.string(v.items().get(i));
                    w.littleEndian(Double.doubleToRawLongBits(v.scores()[i]), 8);
                }
            }
            case STREAM -> {
                w.write(RdbReader.TYPE_STREAM_LISTPACKS_3);
                StreamRdb.write(w, v.stream());
            }
        }
        return w.sealed();
    }

    /** What was written, then the RDB version and the CRC-64 of it all: a DUMP payload's footer. */
    byte[] sealed() {
        littleEndian(RdbReader.RDB_VERSION, 2);
        littleEndian(Crc64.update(0, buf, 0, size), 8);
        return Arrays.copyOf(buf, size);
    }

    /** rdbSaveLen of an unsigned 64-bit {@code len}: 6 bits, 14 bits, or a marker byte then 32 or 64 bits, big-endian. */
    void length(long len) {
        if (Long.compareUnsigned(len, 1 << 6) < 0) {
            write((int) len);
        } else if (Long.compareUnsigned(len, 1 << 14) < 0) {
            write(0x40 | (int) (len >>> 8));
            write((int) len & 0xFF);
        } else if (Long.compareUnsigned(len, 0xFFFFFFFFL) <= 0) {
            write(0x80);
            for (int shift = 24; shift >= 0; shift -= 8) {
                write((int) (len >>> shift) & 0xFF);
            }
        } else {
            write(0x81);
            for (int shift = 56; shift >= 0; shift -= 8) {
                write((int) (len >>> shift) & 0xFF);
            }
        }
    }

    /** rdbSaveRawString without compression: integer-encoded when it spells a 32-bit integer exactly. */
    void string(byte[] s) {
        if (s.length > 0 && s.length <= 11 && Numbers.isLong(s)) {
            long v = Numbers.toLong(s);
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE
                    && Arrays.equals(s, Long.toString(v).getBytes(StandardCharsets.US_ASCII))) {
                if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                    write(ENC_INT8);
                    littleEndian(v, 1);
                } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                    write(ENC_INT16);
                    littleEndian(v, 2);
                } else {
                    write(ENC_INT32);
                    littleEndian(v, 4);
                }
                return;
            }
        }
        length(s.length);
        ensure(s.length);
        System.arraycopy(s, 0, buf, size, s.length);
        size += s.length;
    }

    /** streamEncodeID, as rax keys and PEL entries hold an id: ms then seq, each 64-bit big-endian. */
    void rawId(StreamId id) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            write((int) (id.ms() >>> shift) & 0xFF);
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
            write((int) (id.seq() >>> shift) & 0xFF);
        }
    }

    void littleEndian(long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            write((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    void write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
