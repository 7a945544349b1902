package io.shardline.examples.kv.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * INCRBYFLOAT's arithmetic, reproducing what Redis prints on x86-64 Linux: it parses with
 * {@code strtold}, adds in x87 80-bit long double (64-bit significand, round half to even), and
 * prints with {@code "%.17Lf"} before trimming trailing zeros. Exact BigInteger/BigDecimal math
 * stands in for the FPU, so {@code 10.5 + 0.1} gives Redis' {@code 10.6} and {@code 0.1 + 0.2} its
 * {@code 0.3}. Immutable, any thread; slow, but INCRBYFLOAT is not a hot command.
 *
 * <p>A finite value is {@code mantissa · 2^exponent} with a mantissa of at most 64 bits.
 */
final class LongDouble {
    private static final int SIGNIFICAND_BITS = 64;
    /** Quantum of the smallest subnormal long double, 2^-16445. */
    private static final int MIN_EXPONENT = -16445;
    /** Finite long doubles are below 2^16384. */
    private static final int MAX_BINARY_MAGNITUDE = 16384;
    /** Redis' MAX_LONG_DOUBLE_CHARS: longer input is rejected, longer output becomes "". */
    private static final int MAX_CHARS = 5 * 1024;

    private static final LongDouble ZERO = new LongDouble(BigInteger.ZERO, 0, 0);

    private final BigInteger mantissa; // signed; zero for ±0
    private final int exponent;
    /** 0 finite, +1 / -1 infinite, 2 NaN. */
    private final int special;

    private LongDouble(BigInteger mantissa, int exponent, int special) {
        this.mantissa = mantissa;
        this.exponent = exponent;
        this.special = special;
    }

    boolean isFinite() {
        return special == 0;
    }

    /**
     * {@code string2ld}: the value {@code s} spells, or null if Redis says "value is not a valid float"
     * (empty, too long, leading space, trailing bytes, nan, or out of long double range). {@code inf}
     * and {@code infinity} are accepted, as strtold accepts them.
     */
    static LongDouble parse(byte[] s) {
        int n = s.length;
        if (n == 0 || n >= MAX_CHARS || Numbers.isSpace(s[0])) {
            return null;
        }
        int i = 0;
        boolean negative = false;
        if (s[0] == '+' || s[0] == '-') {
            negative = s[0] == '-';
            i++;
        }
        LongDouble v;
        if (Numbers.startsWithIgnoreCase(s, i, n, "inf")) {
            int end = Numbers.startsWithIgnoreCase(s, i, n, "infinity") ? i + 8 : i + 3;
            v = end == n ? new LongDouble(null, 0, 1) : null;
        } else if (i + 1 < n && s[i] == '0' && (s[i + 1] | 0x20) == 'x') {
            v = parseHex(s, i + 2, n);
        } else {
            v = parseDecimal(s, i, n);
        }
        return v == null || !negative ? v : v.negate();
    }

    private static LongDouble parseDecimal(byte[] s, int i, int n) {
        StringBuilder digits = new StringBuilder();
        int pointShift = 0; // digits after the decimal point
        int count = 0;
        while (i < n && Numbers.isDigit(s[i])) {
            digits.append((char) s[i++]);
            count++;
        }
        if (i < n && s[i] == '.') {
            i++;
            while (i < n && Numbers.isDigit(s[i])) {
                digits.append((char) s[i++]);
                pointShift++;
                count++;
            }
        }
        if (count == 0) {
            return null;
        }
        long exp10 = 0;
        if (i < n && (s[i] | 0x20) == 'e') {
            int j = i + 1;
            boolean negExp = false;
            if (j < n && (s[j] == '+' || s[j] == '-')) {
                negExp = s[j] == '-';
                j++;
            }
            if (j < n && Numbers.isDigit(s[j])) {
                while (j < n && Numbers.isDigit(s[j])) {
                    exp10 = Math.min(exp10 * 10 + (s[j++] - '0'), 1_000_000_000L); // saturate: far out of range anyway
                }
                exp10 = negExp ? -exp10 : exp10;
                i = j;
            }
        }
        if (i != n) {
            return null;
        }
        BigInteger unscaled = new BigInteger(digits.toString());
        if (unscaled.signum() == 0) {
            return ZERO;
        }
        // value = unscaled · 10^(exp10 - pointShift); its decimal magnitude decides overflow cheaply
        long scale10 = exp10 - pointShift;
        long magnitude10 = scale10 + unscaled.toString().length();
        if (magnitude10 > 4933) {
            return null; // ERANGE overflow (long double max is about 1.19e4932)
        }
        if (magnitude10 < -4952) {
            return null; // ERANGE underflow to zero (the smallest subnormal is about 3.6e-4951)
        }
        BigInteger num = unscaled;
        BigInteger den = BigInteger.ONE;
        if (scale10 >= 0) {
            num = num.multiply(BigInteger.TEN.pow((int) scale10));
        } else {
            den = BigInteger.TEN.pow((int) -scale10);
        }
        LongDouble v = roundQuotient(num, den);
        return v.special != 0 || v.mantissa.signum() == 0 ? null : v; // ERANGE either way
    }

    private static LongDouble parseHex(byte[] s, int i, int n) {
        BigInteger m = BigInteger.ZERO;
        long exp2 = 0;
        int count = 0;
        while (i < n && Numbers.hexDigit(s[i]) >= 0) {
            m = m.shiftLeft(4).add(BigInteger.valueOf(Numbers.hexDigit(s[i++])));
            count++;
        }
        if (i < n && s[i] == '.') {
            i++;
            while (i < n && Numbers.hexDigit(s[i]) >= 0) {
                m = m.shiftLeft(4).add(BigInteger.valueOf(Numbers.hexDigit(s[i++])));
                exp2 -= 4;
                count++;
            }
        }
        if (count == 0) {
            return null; // "0x" alone: strtold reads "0" and stops at the x
        }
        if (i < n && (s[i] | 0x20) == 'p') {
            int j = i + 1;
            boolean negExp = false;
            if (j < n && (s[j] == '+' || s[j] == '-')) {
                negExp = s[j] == '-';
                j++;
            }
            if (j < n && Numbers.isDigit(s[j])) {
                long e = 0;
                while (j < n && Numbers.isDigit(s[j])) {
                    e = Math.min(e * 10 + (s[j++] - '0'), 1_000_000_000L);
                }
                exp2 += negExp ? -e : e;
                i = j;
            }
        }
        if (i != n) {
            return null;
        }
        if (m.signum() == 0) {
            return ZERO;
        }
        long magnitude2 = exp2 + m.bitLength();
        if (magnitude2 > MAX_BINARY_MAGNITUDE + 1 || magnitude2 < MIN_EXPONENT - 1) {
            return null;
        }
        LongDouble v = round(m, (int) exp2);
        return v.special != 0 || v.mantissa.signum() == 0 ? null : v;
    }

    /** The sum as the x87 FPU rounds it; infinite or NaN when Redis would refuse the result. */
    LongDouble add(LongDouble o) {
        if (special != 0 || o.special != 0) {
            if (special == 2 || o.special == 2 || (special != 0 && o.special != 0 && special != o.special)) {
                return new LongDouble(null, 0, 2);
            }
            return special != 0 ? this : o;
        }
        int e = Math.min(exponent, o.exponent);
        BigInteger sum = mantissa.shiftLeft(exponent - e).add(o.mantissa.shiftLeft(o.exponent - e));
        return round(sum, e);
    }

    /**
     * {@code ceill(this * k)} with the product rounded as the x87 FPU rounds it: what Redis makes of a
     * blocking timeout in seconds ({@code k} = 1000). Infinity gives 2^64 or -1, beyond a long either way.
     */
    java.math.BigInteger ceilTimes(long k) {
        if (special != 0) {
            return special > 0 ? BigInteger.ONE.shiftLeft(64) : BigInteger.ONE.negate();
        }
        LongDouble p = round(mantissa.multiply(BigInteger.valueOf(k)), exponent);
        if (p.special != 0) {
            return p.special > 0 ? BigInteger.ONE.shiftLeft(64) : BigInteger.ONE.negate();
        }
        if (p.mantissa == null || p.mantissa.signum() == 0) {
            return BigInteger.ZERO;
        }
        if (p.exponent >= 0) {
            return p.mantissa.shiftLeft(p.exponent);
        }
        // ceil(m / 2^-e) = -floor(-m / 2^-e); shiftRight floors
        return p.mantissa.negate().shiftRight(-p.exponent).negate();
    }

    private LongDouble negate() {
        return special == 1 || special == -1 ? new LongDouble(null, 0, -special)
                : new LongDouble(mantissa.negate(), exponent, special);
    }

    /** {@code m · 2^e} rounded to 64 significant bits (fewer for subnormals), half to even. */
    private static LongDouble round(BigInteger m, int e) {
        if (m.signum() == 0) {
            return ZERO;
        }
        BigInteger abs = m.abs();
        int shift = Math.max(abs.bitLength() - SIGNIFICAND_BITS, MIN_EXPONENT - e);
        if (shift > 0) {
            BigInteger q = abs.shiftRight(shift);
            BigInteger rem = abs.subtract(q.shiftLeft(shift));
            int half = rem.compareTo(BigInteger.ONE.shiftLeft(shift - 1));
            if (half > 0 || (half == 0 && q.testBit(0))) {
                q = q.add(BigInteger.ONE);
            }
            abs = q;
            e += shift;
        }
        return finish(m.signum() < 0 ? abs.negate() : abs, e);
    }

    /** The positive quotient {@code num / den} rounded as {@link #round} does. */
    private static LongDouble roundQuotient(BigInteger num, BigInteger den) {
        // choose e so that num / den / 2^e has 64 integer bits, then divide once and round
        int e = num.bitLength() - den.bitLength() - SIGNIFICAND_BITS;
        BigInteger[] qr = divideScaled(num, den, e);
        while (qr[0].bitLength() != SIGNIFICAND_BITS) {
            e += qr[0].bitLength() > SIGNIFICAND_BITS ? 1 : -1;
            qr = divideScaled(num, den, e);
        }
        if (e < MIN_EXPONENT) {
            e = MIN_EXPONENT;
            qr = divideScaled(num, den, e);
        }
        BigInteger divisor = e >= 0 ? den.shiftLeft(e) : den;
        BigInteger q = qr[0];
        int half = qr[1].shiftLeft(1).compareTo(divisor);
        if (half > 0 || (half == 0 && q.testBit(0))) {
            q = q.add(BigInteger.ONE);
        }
        return finish(q, e);
    }

    private static BigInteger[] divideScaled(BigInteger num, BigInteger den, int e) {
        return e >= 0 ? num.divideAndRemainder(den.shiftLeft(e)) : num.shiftLeft(-e).divideAndRemainder(den);
    }

    private static LongDouble finish(BigInteger m, int e) {
        if (m.signum() == 0) {
            return ZERO;
        }
        if (m.abs().bitLength() + (long) e > MAX_BINARY_MAGNITUDE) {
            return new LongDouble(null, 0, m.signum());
        }
        return new LongDouble(m, e, 0);
    }

    /**
     * {@code ld2string(..., LD_STR_HUMAN)}: {@code %.17Lf} of the exact binary value, trailing zeros
     * and a bare point trimmed, {@code -0} printed as {@code 0}; empty if it would not fit Redis'
     * buffer. Only for finite values.
     */
    byte[] toHumanString() {
        BigDecimal exact = exponent >= 0 ? new BigDecimal(mantissa.shiftLeft(exponent))
                : new BigDecimal(mantissa.multiply(BigInteger.valueOf(5).pow(-exponent)), -exponent);
        String s = exact.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        if (s.length() + 1 > MAX_CHARS) {
            return new byte[0];
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        s = s.substring(0, end);
        if (s.equals("-0")) {
            s = "0";
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
