package io.shardline.examples.kv.resp;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Stateless; any thread. A double as C's {@code printf("%.17g")} prints it with glibc, which is how
 * Redis 7.0 sends scores.
 *
 * <p>Only the compatibility mode uses this, so it leans on {@link BigDecimal} (allocates) for the
 * exact decimal value of the double; integral values below 10^17 skip that.
 */
final class PrintfG17 {
    private static final int PRECISION = 17;
    private static final MathContext ROUND = new MathContext(PRECISION, RoundingMode.HALF_EVEN);
    private static final double EXACT_INTEGERS = 1e17;

    private PrintfG17() {
    }

    /** Writes finite, non-zero {@code d} at {@code off}; returns the number of bytes written (at most 24). */
    static int format(double d, byte[] dst, int off) {
        if (d == Math.rint(d) && Math.abs(d) < EXACT_INTEGERS) {
            // 17 significant digits hold any integer below 10^17 exactly, and %g drops the ".000".
            return Digits.write((long) d, dst, off);
        }
        int i = off;
        if (d < 0) {
            dst[i++] = '-';
        }
        // glibc rounds the exact binary value half-to-even; BigDecimal(double) is that exact value.
        BigDecimal r = new BigDecimal(Math.abs(d)).round(ROUND);
        String digits = r.unscaledValue().toString();
        int exp = digits.length() - 1 - r.scale(); // decimal exponent of the leading digit
        int n = digits.length();
        while (n > 1 && digits.charAt(n - 1) == '0') { // %g drops trailing zeros
            n--;
        }
        if (exp < -4 || exp >= PRECISION) {
            dst[i++] = (byte) digits.charAt(0);
            if (n > 1) {
                dst[i++] = '.';
                for (int j = 1; j < n; j++) {
                    dst[i++] = (byte) digits.charAt(j);
                }
            }
            dst[i++] = 'e';
            dst[i++] = (byte) (exp < 0 ? '-' : '+');
            int e = Math.abs(exp);
            if (e < 10) { // C prints at least two exponent digits
                dst[i++] = '0';
            }
            i += Digits.write(e, dst, i);
        } else if (exp >= 0) {
            for (int j = 0; j <= exp; j++) {
                dst[i++] = (byte) (j < n ? digits.charAt(j) : '0');
            }
            if (n > exp + 1) {
                dst[i++] = '.';
                for (int j = exp + 1; j < n; j++) {
                    dst[i++] = (byte) digits.charAt(j);
                }
            }
        } else {
            dst[i++] = '0';
            dst[i++] = '.';
            for (int j = 0; j < -exp - 1; j++) {
                dst[i++] = '0';
            }
            for (int j = 0; j < n; j++) {
                dst[i++] = (byte) digits.charAt(j);
            }
        }
        return i - off;
    }
}
