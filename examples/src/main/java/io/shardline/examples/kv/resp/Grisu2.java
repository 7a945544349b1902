package io.shardline.examples.kv.resp;

import java.math.BigInteger;

/**
 * Stateless; any thread. Shortest-round-trip double to text, digit for digit what Redis 7.2+ prints:
 * Florian Loitsch's Grisu2 as in the fpconv library Redis bundles, with its layout rules.
 *
 * <p>Grisu2 is not always the shortest representation (in rare cases it emits a digit more than
 * needed) and sometimes picks different digits than {@link Double#toString}, which is why this is a
 * port and not a call to the JDK: a score must read the same as on Redis. Arithmetic is unsigned
 * 64-bit throughout, as in the C original; Java's wrapping {@code long} operations give the same bits.
 */
final class Grisu2 {
    private static final long FRAC_MASK = 0x000F_FFFF_FFFF_FFFFL;
    private static final long EXP_MASK = 0x7FF0_0000_0000_0000L;
    private static final long HIDDEN_BIT = 0x0010_0000_0000_0000L;
    private static final int EXP_BIAS = 1023 + 52;

    private static final int N_POWERS = 87;
    private static final int STEP_POWERS = 8;
    private static final int FIRST_POWER = -348;
    private static final int EXP_MAX = -32;
    private static final int EXP_MIN = -60;

    /** 10^(FIRST_POWER + 8i) as a 64-bit significand and a binary exponent, rounded to nearest. */
    private static final long[] POW_FRAC = new long[N_POWERS];
    private static final int[] POW_EXP = new int[N_POWERS];

    /** 10^19 .. 10^0, the divisors of digit generation; 10^19 wraps as a signed long but is unsigned here. */
    private static final long[] TENS = new long[20];

    static {
        // Computed rather than pasted: the same table fpconv ships (the test checks a few entries).
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        for (int i = 0; i < N_POWERS; i++) {
            int k = FIRST_POWER + i * STEP_POWERS;
            // value = num / den exactly; choose e so that 2^63 <= value / 2^e < 2^64.
            BigInteger num = k >= 0 ? BigInteger.TEN.pow(k) : BigInteger.ONE;
            BigInteger den = k >= 0 ? BigInteger.ONE : BigInteger.TEN.pow(-k);
            int e = num.bitLength() - den.bitLength() - 64;
            BigInteger n = e >= 0 ? num : num.shiftLeft(-e);
            BigInteger d = e >= 0 ? den.shiftLeft(e) : den;
            BigInteger[] qr = n.divideAndRemainder(d);
            BigInteger q = qr[0];
            while (q.compareTo(two64) >= 0) { // the bit-length estimate was one too low
                e++;
                n = e >= 0 ? num : num.shiftLeft(-e);
                d = e >= 0 ? den.shiftLeft(e) : den;
                qr = n.divideAndRemainder(d);
                q = qr[0];
            }
            while (q.bitLength() < 64) { // ... or one too high
                e--;
                n = e >= 0 ? num : num.shiftLeft(-e);
                d = e >= 0 ? den.shiftLeft(e) : den;
                qr = n.divideAndRemainder(d);
                q = qr[0];
            }
            if (qr[1].shiftLeft(1).compareTo(d) >= 0) {
                q = q.add(BigInteger.ONE);
            }
            POW_FRAC[i] = q.longValue();
            POW_EXP[i] = e;
        }
        long t = 1;
        for (int i = 19; i >= 0; i--) {
            TENS[i] = t;
            t *= 10;
        }
    }

    private Grisu2() {
    }

    /** Significand and binary exponent of a table entry, for the test. */
    static long powerFrac(int i) {
        return POW_FRAC[i];
    }

    static int powerExp(int i) {
        return POW_EXP[i];
    }

    /**
     * Writes {@code d} (finite, non-zero) into {@code dst} at {@code off} as fpconv_dtoa does and returns
     * the number of bytes written (at most 24). {@code digits} is scratch of at least 18 bytes, passed
     * in so the hot path allocates nothing.
     */
    static int format(double d, byte[] dst, int off, byte[] digits) {
        long bits = Double.doubleToRawLongBits(d);
        int start = off;
        boolean neg = bits < 0;
        if (neg) {
            dst[off++] = '-';
        }
        long kAndCount = grisu2(bits, digits);
        int k = (int) (kAndCount >> 32);
        int n = (int) kAndCount;
        return off - start + emit(digits, n, dst, off, k, neg);
    }

    /** Digits into {@code digits}; returns the decimal exponent K in the high half, the digit count in the low. */
    private static long grisu2(long bits, byte[] digits) {
        // w = the value, [lower, upper] = the interval of values that round to it.
        long wFrac = bits & FRAC_MASK;
        int wExp = (int) ((bits & EXP_MASK) >>> 52);
        if (wExp != 0) {
            wFrac += HIDDEN_BIT;
            wExp -= EXP_BIAS;
        } else {
            wExp = -EXP_BIAS + 1;
        }

        long upperFrac = (wFrac << 1) + 1;
        int upperExp = wExp - 1;
        while ((upperFrac & (HIDDEN_BIT << 1)) == 0) {
            upperFrac <<= 1;
            upperExp--;
        }
        upperFrac <<= 64 - 52 - 2;
        upperExp -= 64 - 52 - 2;

        int lShift = wFrac == HIDDEN_BIT ? 2 : 1;
        long lowerFrac = (wFrac << lShift) - 1;
        int lowerExp = wExp - lShift;
        lowerFrac <<= lowerExp - upperExp;

        while ((wFrac & HIDDEN_BIT) == 0) {
            wFrac <<= 1;
            wExp--;
        }
        wFrac <<= 64 - 52 - 1;
        wExp -= 64 - 52 - 1;

        int idx = cachedPowerIndex(upperExp);
        long cFrac = POW_FRAC[idx];
        int cExp = POW_EXP[idx];
        int k = FIRST_POWER + idx * STEP_POWERS;

        wFrac = multiply(wFrac, cFrac);
        upperFrac = multiply(upperFrac, cFrac);
        lowerFrac = multiply(lowerFrac, cFrac);
        upperExp = upperExp + cExp + 64;

        lowerFrac++;
        upperFrac--;

        return generateDigits(wFrac, upperFrac, upperExp, lowerFrac, digits, -k);
    }

    private static int cachedPowerIndex(int exp) {
        final double oneLogTen = 0.30102999566398114;
        int approx = (int) (-(exp + N_POWERS) * oneLogTen);
        int idx = (approx - FIRST_POWER) / STEP_POWERS;
        while (true) {
            int current = exp + POW_EXP[idx] + 64;
            if (current < EXP_MIN) {
                idx++;
            } else if (current > EXP_MAX) {
                idx--;
            } else {
                return idx;
            }
        }
    }

    /** The high 64 bits of the 128-bit product, rounded half up, as fpconv computes them. */
    private static long multiply(long a, long b) {
        final long lo = 0xFFFF_FFFFL;
        long ahBl = (a >>> 32) * (b & lo);
        long alBh = (a & lo) * (b >>> 32);
        long alBl = (a & lo) * (b & lo);
        long ahBh = (a >>> 32) * (b >>> 32);
        long tmp = (ahBl & lo) + (alBh & lo) + (alBl >>> 32);
        tmp += 1L << 31;
        return ahBh + (ahBl >>> 32) + (alBh >>> 32) + (tmp >>> 32);
    }

    private static long generateDigits(long fpFrac, long upperFrac, int upperExp, long lowerFrac,
                                       byte[] digits, int k) {
        long wfrac = upperFrac - fpFrac;
        long delta = upperFrac - lowerFrac;
        int shift = -upperExp;
        long one = 1L << shift;
        long part1 = upperFrac >>> shift;
        long part2 = upperFrac & (one - 1);

        int idx = 0;
        int kappa = 10;
        for (int divp = 10; kappa > 0; divp++) {
            long div = TENS[divp];
            long digit = part1 / div; // part1 < 2^32: plain division is exact
            if (digit != 0 || idx != 0) {
                digits[idx++] = (byte) (digit + '0');
            }
            part1 -= digit * div;
            kappa--;
            long tmp = (part1 << shift) + part2;
            if (Long.compareUnsigned(tmp, delta) <= 0) {
                roundDigit(digits, idx, delta, tmp, div << shift, wfrac);
                return pack(k + kappa, idx);
            }
        }
        int unit = 18;
        while (true) {
            part2 *= 10;
            delta *= 10;
            kappa--;
            long digit = part2 >>> shift;
            if (digit != 0 || idx != 0) {
                digits[idx++] = (byte) (digit + '0');
            }
            part2 &= one - 1;
            if (Long.compareUnsigned(part2, delta) < 0) {
                roundDigit(digits, idx, delta, part2, one, wfrac * TENS[unit]);
                return pack(k + kappa, idx);
            }
            unit--;
        }
    }

    private static long pack(int k, int count) {
        return ((long) k << 32) | count;
    }

    private static void roundDigit(byte[] digits, int n, long delta, long rem, long kappa, long frac) {
        while (Long.compareUnsigned(rem, frac) < 0
                && Long.compareUnsigned(delta - rem, kappa) >= 0
                && (Long.compareUnsigned(rem + kappa, frac) < 0
                    || Long.compareUnsigned(frac - rem, rem + kappa - frac) > 0)) {
            digits[n - 1]--;
            rem += kappa;
        }
    }

    /** fpconv's layout: plain integer, plain decimal, or d.ddde±x, by the decimal exponent. */
    private static int emit(byte[] digits, int ndigits, byte[] dst, int off, int k, boolean neg) {
        int exp = Math.abs(k + ndigits - 1);
        if (k >= 0 && exp < ndigits + 7) {
            System.arraycopy(digits, 0, dst, off, ndigits);
            for (int i = 0; i < k; i++) {
                dst[off + ndigits + i] = '0';
            }
            return ndigits + k;
        }
        if (k < 0 && (k > -7 || exp < 4)) {
            int offset = ndigits - Math.abs(k);
            if (offset <= 0) { // below 1: 0.000ddd
                offset = -offset;
                dst[off] = '0';
                dst[off + 1] = '.';
                for (int i = 0; i < offset; i++) {
                    dst[off + 2 + i] = '0';
                }
                System.arraycopy(digits, 0, dst, off + offset + 2, ndigits);
                return ndigits + 2 + offset;
            }
            System.arraycopy(digits, 0, dst, off, offset);
            dst[off + offset] = '.';
            System.arraycopy(digits, offset, dst, off + offset + 1, ndigits - offset);
            return ndigits + 1;
        }
        ndigits = Math.min(ndigits, 18 - (neg ? 1 : 0));
        int i = off;
        dst[i++] = digits[0];
        if (ndigits > 1) {
            dst[i++] = '.';
            System.arraycopy(digits, 1, dst, i, ndigits - 1);
            i += ndigits - 1;
        }
        dst[i++] = 'e';
        dst[i++] = (byte) (k + ndigits - 1 < 0 ? '-' : '+');
        int cent = 0;
        if (exp > 99) {
            cent = exp / 100;
            dst[i++] = (byte) (cent + '0');
            exp -= cent * 100;
        }
        if (exp > 9) {
            int dec = exp / 10;
            dst[i++] = (byte) (dec + '0');
            exp -= dec * 10;
        } else if (cent != 0) {
            dst[i++] = '0';
        }
        dst[i++] = (byte) (exp % 10 + '0');
        return i - off;
    }
}
