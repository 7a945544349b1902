package io.shardline.examples.kv.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A parsed ZRANGE ... BYSCORE or BYLEX range and how to select members from it in O(log n + returned),
 * following t_zset.c (zslParseRange, zslParseLexRange, zslNthInRange). Immutable.
 */
abstract class ZRange {
    /** Whether {@code n} sorts before the range's start. */
    abstract boolean belowMin(ZSkipList.Node n);

    /** Whether {@code n} is not past the range's end. */
    abstract boolean withinMax(ZSkipList.Node n);

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
            boolean belowMin(ZSkipList.Node n) {
                return minEx ? n.score <= min : n.score < min;
            }

            @Override
            boolean withinMax(ZSkipList.Node n) {
                return maxEx ? n.score < max : n.score <= max;
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
            boolean belowMin(ZSkipList.Node n) {
                int c = LexBound.compare(n.member.bytes, min);
                return min.exclusive ? c <= 0 : c < 0;
            }

            @Override
            boolean withinMax(ZSkipList.Node n) {
                int c = LexBound.compare(n.member.bytes, max);
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
     * Members in range, from the low end (or the high end with {@code rev}), skipping
     * {@code offset}, at most {@code limit} (negative: all). O(log n + returned).
     */
    List<ZSkipList.Node> select(ZSkipList list, boolean rev, long offset, long limit) {
        List<ZSkipList.Node> found = new ArrayList<>();
        if (offset < 0 || (offset > 0 && offset >= list.size()) || list.size() == 0 || empty()) {
            return found;
        }
        // zslIsInRange: nothing to do unless the set's ends overlap the range
        if (belowMin(list.last()) || !withinMax(list.first())) {
            return found;
        }
        ZSkipList.Node n;
        if (rev) {
            long lastIn = list.countPrefix(this::withinMax);
            n = list.byRank(lastIn - offset);
        } else {
            long firstIn = list.countPrefix(this::belowMin) + 1;
            n = list.byRank(firstIn + offset);
        }
        for (; n != null && limit-- != 0; n = rev ? n.previous() : n.next()) {
            if (rev ? belowMin(n) : !withinMax(n)) {
                break;
            }
            found.add(n);
        }
        return found;
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
