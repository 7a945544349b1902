package io.shardline.examples.kv.resp;

import java.nio.charset.StandardCharsets;

/**
 * Immutable; any thread. How a reply spells a double (ZSCORE, ZINCRBY, RESP3 {@code ,}), byte for
 * byte as a given Redis release does.
 *
 * <p>Both spell infinities {@code inf} / {@code -inf}, zero {@code 0} / {@code -0}, and integral
 * values without a fraction ({@code 1}, {@code 100}). They differ on the rest: {@code 0.1} is
 * {@code 0.1} on 7.2 and {@code 0.10000000000000001} on 7.0.
 */
public enum DoubleFormat {
    /**
     * Redis 7.2 and later (8.x too): integral values up to 2^62 as integers, otherwise the shortest
     * digits that read back the same (Grisu2), e.g. {@code 1.5e-7}.
     */
    REDIS_7_2 {
        @Override
        int formatFinite(double d, byte[] dst, int off, byte[] scratch) {
            long l = (long) d;
            if (d >= -LONG_HALF && d <= LONG_HALF && l == d) { // Redis' double2ll fast path
                return Digits.write(l, dst, off);
            }
            return Grisu2.format(d, dst, off, scratch);
        }
    },
    /**
     * Redis 7.0 (as packaged by Debian 12): C's {@code %.17g}, e.g. {@code 1.4999999999999999e-07}.
     * Allocates per call for non-integral values.
     */
    REDIS_7_0 {
        @Override
        int formatFinite(double d, byte[] dst, int off, byte[] scratch) {
            return PrintfG17.format(d, dst, off);
        }
    };

    /** Longest text either format produces, e.g. {@code -2.2250738585072014e-308}. */
    static final int MAX_CHARS = 32;
    /** Scratch bytes {@link #format(double, byte[], int, byte[])} needs. */
    static final int SCRATCH = 18;
    /** {@code (double) (LLONG_MAX / 2)}, the bound of Redis' integer fast path. */
    private static final double LONG_HALF = (double) (Long.MAX_VALUE / 2);

    private static final byte[] NAN = {'n', 'a', 'n'};
    private static final byte[] NEG_NAN = {'-', 'n', 'a', 'n'};

    /**
     * Writes the text of {@code d} at {@code off} (room for {@link #MAX_CHARS} bytes) and returns its
     * length; {@code scratch} holds at least {@link #SCRATCH} bytes. Allocates nothing for 7.2.
     */
    int format(double d, byte[] dst, int off, byte[] scratch) {
        if (Double.isNaN(d)) {
            // 7.2 normalizes every NaN to "nan"; glibc's %g prints the sign bit.
            byte[] t = this == REDIS_7_0 && Double.doubleToRawLongBits(d) < 0 ? NEG_NAN : NAN;
            System.arraycopy(t, 0, dst, off, t.length);
            return t.length;
        }
        if (Double.isInfinite(d)) {
            return put(d > 0 ? "inf" : "-inf", dst, off);
        }
        if (d == 0) {
            return put(Double.doubleToRawLongBits(d) < 0 ? "-0" : "0", dst, off);
        }
        return formatFinite(d, dst, off, scratch);
    }

    abstract int formatFinite(double d, byte[] dst, int off, byte[] scratch);

    /** The text of {@code d}, for logs and tests; the writer uses the allocation-free form. */
    public String format(double d) {
        byte[] b = new byte[MAX_CHARS];
        int n = format(d, b, 0, new byte[SCRATCH]);
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    private static int put(String ascii, byte[] dst, int off) {
        for (int i = 0; i < ascii.length(); i++) {
            dst[off + i] = (byte) ascii.charAt(i);
        }
        return ascii.length();
    }
}
