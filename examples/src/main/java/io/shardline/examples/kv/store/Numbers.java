package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import java.nio.charset.StandardCharsets;

/**
 * Reading numbers out of arguments and values exactly as Redis does, since what is accepted shows in
 * replies. Stateless, any thread.
 *
 * <p>Integers follow {@code string2ll}: optional {@code -}, no {@code +}, no leading zeros, no spaces,
 * at most 20 bytes. Doubles follow C's {@code strtod} (decimal, hex {@code 0x1.8p3}, {@code inf},
 * {@code infinity}, {@code nan}), wrapped either like {@code string2d} (no leading space, whole
 * string, no overflow or underflow to zero) or like ZRANGEBYSCORE's bounds (leading spaces and
 * out-of-range values allowed).
 */
final class Numbers {
    /** Redis' LONG_STR_SIZE: a valid integer is shorter than this. */
    private static final int LONG_STR_SIZE = 21;

    private Numbers() {
    }

    /** Whether {@code s} is an integer by {@code string2ll}'s rules; then {@link #toLong} reads it. */
    static boolean isLong(byte[] s) {
        return isLong(s, 0, s.length);
    }

    /** {@link #isLong(byte[])} of argument {@code i}, read in place. */
    static boolean isLong(Argv argv, int i) {
        return isLong(argv.array(i), argv.offset(i), argv.length(i));
    }

    /** {@link #toLong(byte[])} of argument {@code i}, which {@link #isLong(Argv, int)} accepted. */
    static long toLong(Argv argv, int i) {
        return toLong(argv.array(i), argv.offset(i), argv.length(i));
    }

    /** {@link #toDouble(byte[])} of argument {@code i}, read in place. */
    static double toDouble(Argv argv, int i) {
        int from = argv.offset(i);
        return strtod(argv.array(i), from, from + argv.length(i), true);
    }

    static boolean isLong(byte[] s, int from, int length) {
        int n = from + length;
        if (length == 0 || length >= LONG_STR_SIZE) {
            return false;
        }
        if (length == 1 && s[from] == '0') {
            return true;
        }
        int i = s[from] == '-' ? from + 1 : from;
        if (i == n || s[i] < '1' || s[i] > '9') {
            return false;
        }
        long v = 0; // accumulate as a negative number so Long.MIN_VALUE fits
        for (; i < n; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return false;
            }
            v = v * 10 - d;
        }
        return s[from] == '-' || v != Long.MIN_VALUE;
    }

    /** The value of {@code s}, which {@link #isLong} accepted. */
    static long toLong(byte[] s) {
        return toLong(s, 0, s.length);
    }

    static long toLong(byte[] s, int from, int length) {
        boolean negative = s[from] == '-';
        long v = 0;
        for (int i = negative ? from + 1 : from; i < from + length; i++) {
            v = v * 10 - (s[i] - '0');
        }
        return negative ? v : -v;
    }

    /** ASCII decimal of {@code v}, as a reply or a journal argument carries it. */
    static byte[] ascii(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * {@code string2d}: the double {@code s} spells, or NaN if Redis rejects it ("value is not a valid
     * float"): a leading space, trailing bytes, nan, or a finite spelling that overflows to infinity or
     * underflows to zero.
     */
    static double toDouble(byte[] s) {
        return strtod(s, 0, s.length, true);
    }

    /**
     * {@code strtod} over {@code s[from, to)} as ZRANGEBYSCORE bounds use it: leading white space is
     * skipped, out-of-range values become infinity or zero; NaN if the bytes are not one whole number or
     * spell nan.
     */
    static double toRangeBound(byte[] s, int from) {
        return strtod(s, from, s.length, false);
    }

    private static double strtod(byte[] s, int from, int to, boolean strict) {
        int i = from;
        if (strict) {
            if (i == to) {
                return Double.NaN;
            }
        } else {
            if (i == to) {
                return 0; // strtod converts nothing but leaves eptr on the terminator: Redis takes 0
            }
            while (i < to && isSpace(s[i])) {
                i++;
            }
            if (i == to) {
                return Double.NaN; // nothing converted: eptr goes back to the first space
            }
        }
        boolean negative = false;
        if (s[i] == '+' || s[i] == '-') {
            negative = s[i] == '-';
            i++;
        }
        double v;
        if (startsWithIgnoreCase(s, i, to, "inf")) {
            int end = startsWithIgnoreCase(s, i, to, "infinity") ? i + 8 : i + 3;
            return end == to ? (negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : Double.NaN;
        } else if (startsWithIgnoreCase(s, i, to, "nan")) {
            return Double.NaN; // every caller rejects nan, with or without a (chars) suffix
        } else if (i + 1 < to && s[i] == '0' && (s[i + 1] | 0x20) == 'x' && hexStart(s, i + 2, to)) {
            v = parseHex(s, i + 2, to, strict);
        } else {
            v = parseDecimal(s, i, to, strict);
        }
        return negative ? -v : v;
    }

    /** Decimal digits with optional fraction and exponent filling {@code [i, to)}; NaN otherwise. */
    private static double parseDecimal(byte[] s, int i, int to, boolean strict) {
        int start = i;
        boolean nonZeroDigit = false;
        int digits = 0;
        while (i < to && isDigit(s[i])) {
            nonZeroDigit |= s[i] != '0';
            digits++;
            i++;
        }
        if (i < to && s[i] == '.') {
            i++;
            while (i < to && isDigit(s[i])) {
                nonZeroDigit |= s[i] != '0';
                digits++;
                i++;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        if (i < to && (s[i] | 0x20) == 'e') {
            int j = i + 1;
            if (j < to && (s[j] == '+' || s[j] == '-')) {
                j++;
            }
            if (j < to && isDigit(s[j])) {
                while (j < to && isDigit(s[j])) {
                    j++;
                }
                i = j;
            }
        }
        if (i != to) {
            return Double.NaN;
        }
        // The grammar checked above is a subset of Java's, which rounds correctly as strtod does.
        double v = Double.parseDouble(new String(s, start, to - start, StandardCharsets.US_ASCII));
        if (strict && (Double.isInfinite(v) || (v == 0 && nonZeroDigit))) {
            return Double.NaN; // ERANGE: string2d rejects overflow and underflow to zero
        }
        return v;
    }

    private static boolean hexStart(byte[] s, int i, int to) {
        return i < to && (hexDigit(s[i]) >= 0 || (s[i] == '.' && i + 1 < to && hexDigit(s[i + 1]) >= 0));
    }

    /** Hex significand with optional binary exponent filling {@code [i, to)}; NaN otherwise. */
    private static double parseHex(byte[] s, int i, int to, boolean strict) {
        StringBuilder text = new StringBuilder("0x");
        boolean nonZeroDigit = false;
        while (i < to && hexDigit(s[i]) >= 0) {
            nonZeroDigit |= s[i] != '0';
            text.append((char) s[i++]);
        }
        if (i < to && s[i] == '.') {
            text.append('.');
            i++;
            while (i < to && hexDigit(s[i]) >= 0) {
                nonZeroDigit |= s[i] != '0';
                text.append((char) s[i++]);
            }
        }
        String exponent = "p0";
        if (i < to && (s[i] | 0x20) == 'p') {
            int j = i + 1;
            if (j < to && (s[j] == '+' || s[j] == '-')) {
                j++;
            }
            if (j < to && isDigit(s[j])) {
                while (j < to && isDigit(s[j])) {
                    j++;
                }
                exponent = new String(s, i, j - i, StandardCharsets.US_ASCII);
                i = j;
            }
        }
        if (i != to) {
            return Double.NaN;
        }
        double v = Double.parseDouble(text.append(exponent).toString()); // Java needs the p exponent
        if (strict && (Double.isInfinite(v) || (v == 0 && nonZeroDigit))) {
            return Double.NaN;
        }
        return v;
    }

    static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    static int hexDigit(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int lower = b | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    static boolean startsWithIgnoreCase(byte[] s, int i, int to, String word) {
        if (to - i < word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if ((s[i + k] | 0x20) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
