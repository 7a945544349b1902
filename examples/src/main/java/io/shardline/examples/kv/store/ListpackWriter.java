package io.shardline.examples.kv.store;

import java.util.Arrays;

/**
 * Builds a listpack in Redis' byte format (listpack.c), the inverse of {@link ListpackReader}: what a
 * DUMP carries for a stream node. Owned by the thread writing one payload; not thread-safe.
 *
 * <p>Elements are encoded as Redis' {@code lpAppend} and {@code lpAppendInteger} would: a string that
 * spells a 64-bit integer exactly ({@code lpStringToInt64}) becomes the smallest integer encoding,
 * anything else a 6-, 12- or 32-bit-length string; each element is followed by its backlen. The same
 * elements so give the same bytes as in Redis.
 */
final class ListpackWriter {
    private static final int HEADER = 6;
    private static final int UNKNOWN_COUNT = 65535;

    private byte[] buf = new byte[64];
    private int size = HEADER;
    private int count;

    /** Appends {@code s}, integer-encoded where Redis would. */
    ListpackWriter add(byte[] s) {
        if (s.length > 0 && s.length <= 20 && Numbers.isLong(s)) {
            return add(Numbers.toLong(s));
        }
        int start = size;
        if (s.length < 64) {
            put(0x80 | s.length);
        } else if (s.length < 4096) {
            put(0xE0 | s.length >>> 8);
            put(s.length & 0xFF);
        } else {
            put(0xF0);
            littleEndian(s.length, 4);
        }
        ensure(s.length);
        System.arraycopy(s, 0, buf, size, s.length);
        size += s.length;
        return backlen(start);
    }

    /** Appends the integer {@code v} (lpEncodeIntegerGetType's smallest form). */
    ListpackWriter add(long v) {
        int start = size;
        if (v >= 0 && v <= 127) {
            put((int) v);
        } else if (v >= -4096 && v <= 4095) {
            int u = (int) (v < 0 ? (1 << 13) + v : v);
            put(0xC0 | u >>> 8);
            put(u & 0xFF);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            put(0xF1);
            littleEndian(v, 2);
        } else if (v >= -(1 << 23) && v < 1 << 23) {
            put(0xF2);
            littleEndian(v, 3);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            put(0xF3);
            littleEndian(v, 4);
        } else {
            put(0xF4);
            littleEndian(v, 8);
        }
        return backlen(start);
    }

    /** The finished listpack: total bytes and element count in the header, then 0xFF. */
    byte[] toBytes() {
        put(0xFF);
        byte[] out = Arrays.copyOf(buf, size);
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) (size >>> (8 * i));
        }
        int n = Math.min(count, UNKNOWN_COUNT);
        out[4] = (byte) n;
        out[5] = (byte) (n >>> 8);
        return out;
    }

    /** lpEncodeBacklen: the element's size, 7 bits a byte, most significant first, the high bit on all but the first. */
    private ListpackWriter backlen(int start) {
        long l = size - start;
        int bytes = ListpackReader.backlenSize((int) l);
        for (int i = bytes - 1; i >= 0; i--) {
            int seven = (int) (l >>> (7 * i)) & 0x7F;
            put(i == bytes - 1 ? seven : seven | 0x80);
        }
        count++;
        return this;
    }

    private void littleEndian(long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            put((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    private void put(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
