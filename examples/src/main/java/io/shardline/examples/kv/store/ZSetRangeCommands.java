package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.IndexedSlices;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * ZRANGE, ZRANGESTORE and the older range forms (ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE,
 * ZRANGEBYLEX, ZREVRANGEBYLEX), all through one parser as t_zset.c's zrangeGenericCommand: the older
 * forms fix the range type and direction, so REV, BYSCORE and BYLEX are syntax errors there. Owned by
 * one shard; not thread-safe.
 *
 * <p>Journal form: ZRANGESTORE as the DEL of the destination and a ZADD of the result (see
 * {@link ZSetStore}); the reads log nothing.
 */
public final class ZSetRangeCommands {
    static final int BY_AUTO = 0;
    static final int BY_RANK = 1;
    static final int BY_SCORE = 2;
    static final int BY_LEX = 3;

    /** What a range does with what it selects: replies it, stores it, or replies it for another shard to store. */
    private static final int READ = 0;
    private static final int STORE = 1;
    private static final int GATHER = 2;

    private final Keyspace ks;
    /** Keys looked up where the request holds them. */
    private final Bytes probe = Bytes.probe();

    ZSetRangeCommands(Keyspace ks) {
        this.ks = ks;
    }

    /** ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]. */
    public void zrange(Argv argv, ReplySink out, Journal journal) {
        range(argv, 1, BY_AUTO, false, READ, out, journal);
    }

    /** ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]. */
    public void zrangestore(Argv argv, ReplySink out, Journal journal) {
        range(argv, 2, BY_AUTO, false, STORE, out, journal);
    }

    /**
     * ZRANGESTORE's read on the source's shard when the destination is elsewhere: the same checks, then
     * the range as a flat array of members and exactly spelled scores, which the destination's shard
     * stores ({@link ZSetAlgebraCommands#storeResult}).
     */
    public void zrangestoreSource(Argv argv, ReplySink out, Journal journal) {
        range(argv, 2, BY_AUTO, false, GATHER, out, journal);
    }

    public void zrevrange(Argv argv, ReplySink out, Journal journal) {
        range(argv, 1, BY_RANK, true, READ, out, journal);
    }

    public void zrangebyscore(Argv argv, ReplySink out, Journal journal) {
        range(argv, 1, BY_SCORE, false, READ, out, journal);
    }

    public void zrevrangebyscore(Argv argv, ReplySink out, Journal journal) {
        range(argv, 1, BY_SCORE, true, READ, out, journal);
    }

    public void zrangebylex(Argv argv, ReplySink out, Journal journal) {
        range(argv, 1, BY_LEX, false, READ, out, journal);
    }

    public void zrevrangebylex(Argv argv, ReplySink out, Journal journal) {
        range(argv, 1, BY_LEX, true, READ, out, journal);
    }

    /**
     * zrangeGenericCommand: the source key at {@code src}, its bounds after it; {@code by} and
     * {@code rev} preset by the older forms ({@code BY_AUTO}: ZRANGE, which reads them as options).
     */
    private void range(Argv argv, int src, int by, boolean rev, int mode, ReplySink out, Journal journal) {
        boolean store = mode != READ;
        boolean fixed = by != BY_AUTO;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        for (int j = src + 3; j < argv.count(); j++) {
            int left = argv.count() - j - 1;
            byte[] o = argv.bytes(j);
            if (!store && Args.is(o, "withscores")) {
                withScores = true;
            } else if (Args.is(o, "limit") && left >= 2) {
                if (!Numbers.isLong(argv, j + 1) || !Numbers.isLong(argv, j + 2)) {
                    out.error(Errors.NOT_INTEGER);
                    return;
                }
                offset = Numbers.toLong(argv, j + 1);
                limit = Numbers.toLong(argv, j + 2);
                j += 2;
            } else if (!fixed && !rev && Args.is(o, "rev")) {
                rev = true;
            } else if (!fixed && by == BY_AUTO && Args.is(o, "bylex")) {
                by = BY_LEX;
            } else if (!fixed && by == BY_AUTO && Args.is(o, "byscore")) {
                by = BY_SCORE;
            } else {
                out.error(Errors.SYNTAX);
                return;
            }
        }
        if (by == BY_AUTO) {
            by = BY_RANK;
        }
        if (limit != -1 && by == BY_RANK) { // Redis tests the count, not the option's presence
            out.error(Errors.LIMIT_NEEDS_BY);
            return;
        }
        if (withScores && by == BY_LEX) {
            out.error(Errors.WITHSCORES_BYLEX);
            return;
        }
        byte[] min = argv.bytes(src + 1);
        byte[] max = argv.bytes(src + 2);
        if (rev && by != BY_RANK) { // by score or lex, REV takes the range as max then min
            min = argv.bytes(src + 2);
            max = argv.bytes(src + 1);
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
        Entry e = ks.lookup(probe.point(argv, src), ValueType.ZSET, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        int[] ranks;
        if (e == null) {
            ranks = new int[0];
        } else if (by == BY_RANK) {
            ranks = rankRange(e.zset().size(), Numbers.toLong(min), Numbers.toLong(max), rev);
        } else {
            ranks = range.select(e.zset(), rev, offset, limit);
        }
        if (mode == GATHER) {
            ZSetValue zset = e == null ? null : e.zset();
            out.arrayHeader(2L * ranks.length);
            for (int r : ranks) {
                out.bulk(zset.memberAt(r));
                out.bulk(ZSetStore.scoreText(zset.scoreAt(r)));
            }
            return;
        }
        ZSetValue zset = e == null ? null : e.zset();
        if (store || Slices.worth(out, ranks.length)) {
            byte[][] members = new byte[ranks.length][];
            double[] scores = new double[ranks.length];
            for (int i = 0; i < ranks.length; i++) {
                members[i] = zset.memberAt(ranks[i]);
                scores[i] = zset.scoreAt(ranks[i]);
            }
            if (!store) { // a long reply, in slices from this snapshot
                boolean scored = withScores;
                header(ranks.length, scored, out);
                out.defer(new IndexedSlices(ranks.length, (i, w) -> pair(members[(int) i], scores[(int) i], scored, w)));
                return;
            }
            ZSetStore.replace(ks, argv.bytes(1), members, scores, members.length, journal, "zrangestore");
            out.integer(ranks.length);
            return;
        }
        header(ranks.length, withScores, out);
        for (int r : ranks) {
            member(zset, r, withScores, out);
        }
    }

    /** The ranks from start to stop (negatives count from the end), clamped as Redis clamps them, in reply order. */
    static int[] rankRange(long size, long start, long end, boolean rev) {
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
            return new int[0];
        }
        if (end >= size) {
            end = size - 1;
        }
        int n = (int) (end - start + 1);
        int[] ranks = new int[n];
        for (int i = 0; i < n; i++) {
            ranks[i] = (int) (rev ? size - 1 - start - i : start + i);
        }
        return ranks;
    }

    /** An array of {@code n} members: flat in RESP2, [member, score] pairs in RESP3 with scores. */
    static void header(long n, boolean withScores, ReplySink out) {
        out.arrayHeader(withScores && out.protocol() == 2 ? 2 * n : n);
    }

    static void member(ZSetValue zset, int rank, boolean withScores, ReplySink out) {
        pair(zset.memberAt(rank), zset.scoreAt(rank), withScores, out);
    }

    static void pair(byte[] member, double score, boolean withScores, ReplySink out) {
        if (withScores && out.protocol() != 2) {
            out.arrayHeader(2);
        }
        out.bulk(member);
        if (withScores) {
            out.doubleValue(score);
        }
    }
}
