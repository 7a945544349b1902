package io.shardline.examples.kv.resp;

/** Stateless; any thread. Decimal text of a {@code long} written straight into a byte array, as Redis' ll2string. */
final class Digits {
    /** Longest text of a long: "-9223372036854775808". */
    static final int MAX_LONG_CHARS = 20;

    private Digits() {
    }

    /** Writes {@code v} at {@code off} and returns the number of bytes written; allocates nothing. */
    static int write(long v, byte[] dst, int off) {
        if (v == Long.MIN_VALUE) { // its magnitude does not fit a long
            dst[off] = '-';
            dst[off + 1] = '9';
            return 2 + write(223372036854775808L, dst, off + 2);
        }
        int start = off;
        if (v < 0) {
            dst[off++] = '-';
            v = -v;
        }
        int n = count(v);
        for (int i = off + n - 1; i >= off; i--) {
            dst[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return off + n - start;
    }

    /** Number of decimal digits of {@code v >= 0}. */
    static int count(long v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }
}
