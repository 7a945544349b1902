package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * ZADD, ZRANGE (by index, BYSCORE or BYLEX, with REV, LIMIT and WITHSCORES), ZREM, ZSCORE, ZPOPMIN
 * and ZCARD, as Redis 7 runs them (t_zset.c). A sorted set that becomes empty is deleted. Owned by one
 * shard; not thread-safe.
 *
 * <p>Scores reach the client through {@link ReplySink#doubleValue}: a RESP3 double, or in RESP2 a bulk
 * string spelled as Redis spells scores. With WITHSCORES (and ZPOPMIN with a count) RESP3 nests each
 * member and its score in a two-element array, as Redis 7 does; RESP2 stays flat.
 *
 * <p>Journal forms: ZADD and ZREM as sent when they changed something (ZADD ... INCR replays to the
 * same score from the same state); ZPOPMIN as {@code ZREM} of the members it took.
 */
public final class ZSetCommands {
    private static final byte[] ZREM = Args.bytes("ZREM");

    private static final int BY_AUTO = 0;
    private static final int BY_RANK = 1;
    private static final int BY_SCORE = 2;
    private static final int BY_LEX = 3;

    private final Keyspace ks;
    /** Keys looked up where the request holds them; {@link Keyspace#add} copies one it keeps. */
    private final Bytes probe = Bytes.probe();
    /** Members and fields looked up (never stored) where the request holds them. */
    private final Bytes member = Bytes.probe();

    ZSetCommands(Keyspace ks) {
        this.ks = ks;
    }

    /** ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]. */
    public void zadd(Argv argv, ReplySink out, Journal journal) {
        boolean nx = false;
        boolean xx = false;
        boolean ch = false;
        boolean incr = false;
        boolean gt = false;
        boolean lt = false;
        int first = 2;
        for (; first < argv.count(); first++) {
            byte[] o = argv.bytes(first);
            if (Args.is(o, "nx")) {
                nx = true;
            } else if (Args.is(o, "xx")) {
                xx = true;
            } else if (Args.is(o, "ch")) {
                ch = true;
            } else if (Args.is(o, "incr")) {
                incr = true;
            } else if (Args.is(o, "gt")) {
                gt = true;
            } else if (Args.is(o, "lt")) {
                lt = true;
            } else {
                break;
            }
        }
        int pairs = argv.count() - first;
        if (pairs == 0 || pairs % 2 != 0) {
            out.error(Errors.SYNTAX);
            return;
        }
        pairs /= 2;
        if (nx && xx) {
            out.error(Errors.ZADD_XX_NX);
            return;
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            out.error(Errors.ZADD_GT_LT_NX);
            return;
        }
        if (incr && pairs > 1) {
            out.error(Errors.ZADD_INCR_PAIRS);
            return;
        }
        double[] scores = new double[pairs];
        for (int j = 0; j < pairs; j++) {
            scores[j] = Numbers.toDouble(argv, first + 2 * j);
            if (Double.isNaN(scores[j])) {
                out.error(Errors.NOT_FLOAT); // every score is checked before anything changes
                return;
            }
        }
        Bytes key = new Bytes(argv.bytes(1));
        // not lookupOrAdd: ZADD XX must not create a missing key
        Entry e = ks.lookup(key, ValueType.ZSET, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        int added = 0;
        int updated = 0;
        int processed = 0;
        double score = 0;
        if (e == null && !xx) {
            e = ks.add(key, ValueType.ZSET, ZSetValue.create(ks.limits(), argv.length(first + 1)));
        }
        for (int j = 0; e != null && j < pairs; j++) {
            ZSetValue zset = e.zset();
            Bytes member = new Bytes(argv.bytes(first + 2 * j + 1));
            double s = scores[j];
            double current = zset.scoreOf(member);
            if (Double.isNaN(current)) {
                if (!xx) {
                    zset.add(member, storable(s));
                    added++;
                    processed++;
                    score = s;
                }
                continue;
            }
            if (nx) {
                continue;
            }
            if (incr) {
                s += current;
                if (Double.isNaN(s)) {
                    out.error(Errors.ZADD_NAN); // inf + -inf; INCR has one pair, so nothing changed
                    return;
                }
            }
            if ((lt && s >= current) || (gt && s <= current)) {
                continue;
            }
            processed++;
            score = s;
            if (s != current) { // C's comparison: -0.0 and 0.0 are the same score
                zset.rescore(member, storable(s));
                updated++;
            }
        }
        if (incr) {
            if (processed > 0) {
                out.doubleValue(score);
            } else {
                out.nullBulk();
            }
        } else {
            out.integer(ch ? added + updated : added);
        }
        if (added + updated > 0) {
            journal.append(argv);
        }
    }

    /**
     * The score as stored: -0.0 becomes 0.0, as a Redis 7.0 sorted set of up to 128 members (a
     * listpack) stores it, so ZSCORE says {@code 0}; the reply to ZADD ... INCR still shows the sum.
     */
    private static double storable(double s) {
        return s == 0 ? 0.0 : s;
    }

    /** ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]. */
    public void zrange(Argv argv, ReplySink out, Journal journal) {
        boolean withScores = false;
        boolean rev = false;
        int by = BY_AUTO;
        long offset = 0;
        long limit = -1;
        for (int j = 4; j < argv.count(); j++) {
            int left = argv.count() - j - 1;
            byte[] o = argv.bytes(j);
            if (Args.is(o, "withscores")) {
                withScores = true;
            } else if (Args.is(o, "limit") && left >= 2) {
                if (!Numbers.isLong(argv, j + 1) || !Numbers.isLong(argv, j + 2)) {
                    out.error(Errors.NOT_INTEGER);
                    return;
                }
                offset = Numbers.toLong(argv, j + 1);
                limit = Numbers.toLong(argv, j + 2);
                j += 2;
            } else if (!rev && Args.is(o, "rev")) {
                rev = true;
            } else if (by == BY_AUTO && Args.is(o, "bylex")) {
                by = BY_LEX;
            } else if (by == BY_AUTO && Args.is(o, "byscore")) {
                by = BY_SCORE;
            } else {
                out.error(Errors.SYNTAX);
                return;
            }
        }
        if (by == BY_AUTO) {
            by = BY_RANK;
        }
        if (limit != -1 && by == BY_RANK) {
            out.error(Errors.LIMIT_NEEDS_BY);
            return;
        }
        if (withScores && by == BY_LEX) {
            out.error(Errors.WITHSCORES_BYLEX);
            return;
        }
        byte[] min = argv.bytes(2);
        byte[] max = argv.bytes(3);
        if (rev && by != BY_RANK) { // by score or lex, REV takes the range as max then min
            min = argv.bytes(3);
            max = argv.bytes(2);
        }
        ZRange range = null;
        if (by == BY_RANK) {
            if (!Numbers.isLong(min) || !Numbers.isLong(max)) {
                out.error(Errors.NOT_INTEGER);
                return;
            }
        } else {
            range = by == BY_SCORE ? ZRange.scores(min, max) : ZRange.lex(min, max);
            if (range == null) {
                out.error(by == BY_SCORE ? Errors.RANGE_NOT_FLOAT : Errors.RANGE_NOT_LEX);
                return;
            }
        }
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.ZSET, out);
        if (e == null) {
            out.arrayHeader(0);
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        ZSetValue zset = e.zset();
        if (by == BY_RANK) {
            rankRange(zset, Numbers.toLong(min), Numbers.toLong(max), rev, withScores, out);
        } else {
            int[] ranks = range.select(zset, rev, offset, limit);
            header(ranks.length, withScores, out);
            for (int r : ranks) {
                member(zset, r, withScores, out);
            }
        }
    }

    private static void rankRange(ZSetValue zset, long start, long end, boolean rev, boolean withScores, ReplySink out) {
        long size = zset.size();
        if (start < 0) {
            start += size;
        }
        if (end < 0) {
            end += size;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= size) {
            out.arrayHeader(0);
            return;
        }
        if (end >= size) {
            end = size - 1;
        }
        int n = (int) (end - start + 1);
        header(n, withScores, out);
        for (int i = 0; i < n; i++) {
            member(zset, (int) (rev ? size - 1 - start - i : start + i), withScores, out);
        }
    }

    private static void header(int n, boolean withScores, ReplySink out) {
        out.arrayHeader(withScores && out.protocol() == 2 ? 2 * n : n);
    }

    private static void member(ZSetValue zset, int rank, boolean withScores, ReplySink out) {
        if (withScores && out.protocol() != 2) {
            out.arrayHeader(2);
        }
        out.bulk(zset.memberAt(rank));
        if (withScores) {
            out.doubleValue(zset.scoreAt(rank));
        }
    }

    public void zrem(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.ZSET, out);
        if (e == null) {
            out.integer(0);
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        ZSetValue zset = e.zset();
        int removed = 0;
        for (int i = 2; i < argv.count() && zset.size() > 0; i++) {
            if (zset.remove(member.point(argv, i))) {
                removed++;
            }
        }
        if (zset.size() == 0) {
            ks.remove(e);
        }
        out.integer(removed);
        if (removed > 0) {
            journal.append(argv);
        }
    }

    public void zscore(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.ZSET, out);
        if (e == null) {
            out.nullBulk();
        } else if (e != Keyspace.WRONG_TYPE) {
            double score = e.zset().scoreOf(member.point(argv, 2));
            if (Double.isNaN(score)) {
                out.nullBulk();
            } else {
                out.doubleValue(score);
            }
        }
    }

    public void zcard(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.ZSET, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.integer(e.zset().size());
        }
    }

    /**
     * ZPOPMIN key [count]: a flat member, score array; with a count in RESP3 an array of
     * [member, score] pairs.
     */
    public void zpopmin(Argv argv, ReplySink out, Journal journal) {
        if (argv.count() > 3) {
            out.error(Errors.SYNTAX);
            return;
        }
        boolean hasCount = argv.count() == 3;
        long count = 1;
        if (hasCount && (count = Args.countOrReply(argv, 2, out)) < 0) {
            return;
        }
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.ZSET, out);
        if (e == null) {
            out.arrayHeader(0);
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (count == 0) {
            out.arrayHeader(0);
            return;
        }
        ZSetValue zset = e.zset();
        int n = (int) Math.min(count, zset.size());
        boolean nested = hasCount && out.protocol() != 2;
        out.arrayHeader(nested ? n : 2 * n);
        byte[][] popped = new byte[n][];
        for (int i = 0; i < n; i++) {
            byte[] member = zset.memberAt(0);
            double score = zset.scoreAt(0);
            zset.remove(new Bytes(member));
            popped[i] = member;
            if (nested) {
                out.arrayHeader(2);
            }
            out.bulk(member);
            out.doubleValue(score);
        }
        if (zset.size() == 0) {
            ks.remove(e);
        }
        journal.append(Args.withKey(ZREM, argv.bytes(1), popped, n));
    }
}
