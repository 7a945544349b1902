package io.shardline.examples.kv.store;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over RDB-encoded bytes (rdb.c's load side): lengths, strings (plain, integer-encoded,
 * LZF-compressed) and doubles (ASCII with special lengths, or 8 binary bytes). Owned by the thread
 * that reads one payload; not thread-safe.
 *
 * <p>Every read checks bounds and throws {@link Corrupt} on bad input, so a hostile payload can make
 * RESTORE answer "Bad data format" but never allocate past what it holds or read out of range.
 */
final class RdbInput {
    /** The input is not valid RDB. Carries no stack trace: it is a reply, not a bug. */
    static final class Corrupt extends RuntimeException {
        Corrupt(String what) {
            super(what, null, false, false);
        }
    }

    private static final int ENC_INT8 = 0;
    private static final int ENC_INT16 = 1;
    private static final int ENC_INT32 = 2;
    private static final int ENC_LZF = 3;

    private final byte[] b;
    private final int end;
    private int pos;

    /** Reads {@code b[from, to)}. */
    RdbInput(byte[] b, int from, int to) {
        this.b = b;
        this.pos = from;
        this.end = to;
    }

    int remaining() {
        return end - pos;
    }

    int readByte() {
        need(1);
        return b[pos++] & 0xFF;
    }

    /** A length; the encoded-string forms are refused here (only {@link #readString} takes them). */
    long readLength() {
        int first = readByte();
        if ((first >>> 6) == 3) {
            throw new Corrupt("encoded value where a length belongs");
        }
        return lengthAfter(first);
    }

    /** A collection's element count, refused if it could not fit in what is left (each takes a byte). */
    int readCount() {
        long n = readLength();
        if (n > remaining()) {
            throw new Corrupt("count " + n + " larger than the payload");
        }
        return (int) n;
    }

    /** An RDB string: length-prefixed bytes, or an integer or LZF special encoding. */
    byte[] readString() {
        int first = readByte();
        if ((first >>> 6) != 3) {
            long len = lengthAfter(first);
            if (len > remaining()) {
                throw new Corrupt("string longer than the payload");
            }
            return take((int) len);
        }
        return switch (first & 0x3F) {
            case ENC_INT8 -> ascii((byte) readByte());
            case ENC_INT16 -> ascii((short) (readByte() | readByte() << 8));
            case ENC_INT32 -> ascii(readByte() | readByte() << 8 | readByte() << 16 | readByte() << 24);
            case ENC_LZF -> {
                long compressed = readLength();
                long length = readLength();
                if (compressed > remaining() || length > Integer.MAX_VALUE - 8 || length == 0) {
                    throw new Corrupt("bad LZF lengths");
                }
                byte[] out = Lzf.decompress(b, pos, pos + (int) compressed, (int) length);
                if (out == null) {
                    throw new Corrupt("bad LZF data");
                }
                pos += (int) compressed;
                yield out;
            }
            default -> throw new Corrupt("unknown string encoding");
        };
    }

    /** An old-style double: one length byte (253 NaN, 254 +inf, 255 -inf) then that many ASCII bytes. */
    double readAsciiDouble() {
        int len = readByte();
        return switch (len) {
            case 253 -> Double.NaN;
            case 254 -> Double.POSITIVE_INFINITY;
            case 255 -> Double.NEGATIVE_INFINITY;
            default -> parseDouble(take(len));
        };
    }

    /** An 8-byte little-endian IEEE 754 double (ZSET_2). */
    double readBinaryDouble() {
        need(8);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits |= (b[pos + i] & 0xFFL) << (8 * i);
        }
        pos += 8;
        return Double.longBitsToDouble(bits);
    }

    /** A score written as text (ASCII doubles, ziplist and listpack scores), as strtod reads it; NaN if not one. */
    static double parseDouble(byte[] text) {
        return text.length == 0 ? Double.NaN : Numbers.toRangeBound(text, 0);
    }

    /** An unsigned 64-bit number in the length encoding (a stream id part, a counter): every bit pattern allowed. */
    long readUnsigned() {
        int first = readByte();
        if (first == 0x81) {
            return bigEndian(8);
        }
        if ((first >>> 6) == 3) {
            throw new Corrupt("encoded value where a number belongs");
        }
        return lengthAfter(first);
    }

    private long lengthAfter(int first) {
        return switch (first >>> 6) {
            case 0 -> first & 0x3F;
            case 1 -> (first & 0x3F) << 8 | readByte();
            default -> {
                if (first == 0x80) {
                    yield bigEndian(4);
                }
                if (first == 0x81) {
                    long v = bigEndian(8);
                    if (v < 0) {
                        throw new Corrupt("length out of range");
                    }
                    yield v;
                }
                throw new Corrupt("unknown length encoding");
            }
        };
    }

    /** rdbLoadMillisecondTime: a signed 64-bit little-endian integer. */
    long readMillis() {
        need(8);
        long v = ListpackReader.le(b, pos, 8);
        pos += 8;
        return v;
    }

    /** A stream id as rax keys hold it (streamEncodeID): ms then seq, each 64-bit big-endian. */
    StreamId readRawId() {
        return new StreamId(bigEndian(8), bigEndian(8));
    }

    private long bigEndian(int bytes) {
        need(bytes);
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = v << 8 | (b[pos++] & 0xFF);
        }
        return v;
    }

    private byte[] take(int len) {
        need(len);
        byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + len);
        pos += len;
        return out;
    }

    private void need(int n) {
        if (n < 0 || n > end - pos) {
            throw new Corrupt("truncated");
        }
    }

    private static byte[] ascii(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
