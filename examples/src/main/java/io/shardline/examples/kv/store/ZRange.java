package io.shardline.examples.kv.store;

import java.util.Arrays;

/**
 * A parsed ZRANGE ... BYSCORE or BYLEX range and how to select members from it in O(log n + returned),
 * following t_zset.c (zslParseRange, zslParseLexRange, zslNthInRange). Immutable.
 */
abstract class ZRange {
    /** Whether a member with this score sorts before the range's start. */
    abstract boolean belowMin(double score, byte[] member);

    /** Whether a member with this score is not past the range's end. */
    abstract boolean withinMax(double score, byte[] member);

    /** A test of one member by its score and bytes. */
    @FunctionalInterface
    interface Test {
        boolean test(double score, byte[] member);
    }

    /** Whether the bounds alone say the range is empty. */
    abstract boolean empty();

    /** zslParseRange: {@code (} before a bound excludes it; null if a bound is not a float. */
    static ZRange scores(byte[] minArg, byte[] maxArg) {
        boolean minEx = minArg.length > 0 && minArg[0] == '(';
        boolean maxEx = maxArg.length > 0 && maxArg[0] == '(';
        double min = Numbers.toRangeBound(minArg, minEx ? 1 : 0);
        double max = Numbers.toRangeBound(maxArg, maxEx ? 1 : 0);
        if (Double.isNaN(min) || Double.isNaN(max)) {
            return null;
        }
        return new ZRange() {
            @Override
            boolean belowMin(double score, byte[] member) {
                return minEx ? score <= min : score < min;
            }

            @Override
            boolean withinMax(double score, byte[] member) {
                return maxEx ? score < max : score <= max;
            }

            @Override
            boolean empty() {
                return min > max || (min == max && (minEx || maxEx));
            }
        };
    }

    /** zslParseLexRange: {@code [x}, {@code (x}, {@code -} or {@code +}; null otherwise. */
    static ZRange lex(byte[] minArg, byte[] maxArg) {
        LexBound min = LexBound.parse(minArg);
        LexBound max = LexBound.parse(maxArg);
        if (min == null || max == null) {
            return null;
        }
        return new ZRange() {
            @Override
            boolean belowMin(double score, byte[] member) {
                int c = LexBound.compare(member, min);
                return min.exclusive ? c <= 0 : c < 0;
            }

            @Override
            boolean withinMax(double score, byte[] member) {
                int c = LexBound.compare(member, max);
                return max.exclusive ? c < 0 : c <= 0;
            }

            @Override
            boolean empty() {
                int c = LexBound.compare(min, max);
                return c > 0 || (c == 0 && (min.exclusive || max.exclusive));
            }
        };
    }

    /**
     * The ranks of the members in range, from the low end (or the high end with {@code rev}), skipping
     * {@code offset}, at most {@code limit} (negative: all), in reply order. O(log n + returned) on a
     * skip list; O(n) on a listpack, which is small.
     */
    int[] select(ZSetValue z, boolean rev, long offset, long limit) {
        int size = z.size();
        if (offset < 0 || (offset > 0 && offset >= size) || size == 0 || empty()) {
            return new int[0];
        }
        // zslIsInRange: nothing to do unless the set's ends overlap the range
        if (belowMin(z.scoreAt(size - 1), z.memberAt(size - 1)) || !withinMax(z.scoreAt(0), z.memberAt(0))) {
            return new int[0];
        }
        int[] found = new int[16];
        int n = 0;
        long rank = rev ? z.countPrefix(this::withinMax) - 1 - offset : z.countPrefix(this::belowMin) + offset;
        for (; rank >= 0 && rank < size && limit-- != 0; rank += rev ? -1 : 1) {
            int r = (int) rank;
            double score = z.scoreAt(r);
            byte[] member = z.memberAt(r);
            if (rev ? belowMin(score, member) : !withinMax(score, member)) {
                break;
            }
            if (n == found.length) {
                found = Arrays.copyOf(found, n * 2);
            }
            found[n++] = r;
        }
        return Arrays.copyOf(found, n);
    }

    /** One end of a BYLEX range: a byte string or the open ends {@code -} and {@code +}. */
    private record LexBound(byte[] value, boolean exclusive, int infinity) {
        static LexBound parse(byte[] arg) {
            if (arg.length == 0) {
                return null;
            }
            return switch (arg[0]) {
                case '+' -> arg.length == 1 ? new LexBound(null, true, 1) : null;
                case '-' -> arg.length == 1 ? new LexBound(null, true, -1) : null;
                case '(' -> new LexBound(Arrays.copyOfRange(arg, 1, arg.length), true, 0);
                case '[' -> new LexBound(Arrays.copyOfRange(arg, 1, arg.length), false, 0);
                default -> null;
            };
        }

        /** sdscmplex of a member against a bound. */
        static int compare(byte[] member, LexBound b) {
            return b.infinity != 0 ? -b.infinity : Arrays.compareUnsigned(member, b.value);
        }

        /** sdscmplex of two bounds. */
        static int compare(LexBound a, LexBound b) {
            if (a.infinity == b.infinity && a.infinity != 0) {
                return 0;
            }
            if (a.infinity == -1 || b.infinity == 1) {
                return -1;
            }
            if (a.infinity == 1 || b.infinity == -1) {
                return 1;
            }
            return Arrays.compareUnsigned(a.value, b.value);
        }
    }
}
