package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.DoubleFormat;
import io.shardline.examples.kv.resp.ReplySink;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * ZMSCORE, ZRANK, ZREVRANK, ZCOUNT, ZLEXCOUNT, ZRANDMEMBER and ZSCAN, as Redis 7.2 runs them
 * (t_zset.c, db.c): the sorted-set reads that count, rank or pick rather than range. Read-only; owned
 * by one shard, not thread-safe.
 */
public final class ZSetReadCommands {
    private final Keyspace ks;
    /** Keys looked up where the request holds them. */
    private final Bytes probe = Bytes.probe();
    /** Members looked up (never stored) where the request holds them. */
    private final Bytes member = Bytes.probe();

    ZSetReadCommands(Keyspace ks) {
        this.ks = ks;
    }

    /** ZMSCORE key member [member ...]: a score or null per member (all null for a missing key). */
    public void zmscore(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.ZSET, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        out.arrayHeader(argv.count() - 2);
        for (int i = 2; i < argv.count(); i++) {
            double s = e == null ? Double.NaN : e.zset().scoreOf(member.point(argv, i));
            if (Double.isNaN(s)) {
                out.nullBulk();
            } else {
                out.doubleValue(s);
            }
        }
    }

    public void zrank(Argv argv, ReplySink out, Journal journal) {
        rank(argv, false, out);
    }

    public void zrevrank(Argv argv, ReplySink out, Journal journal) {
        rank(argv, true, out);
    }

    /** ZRANK key member [WITHSCORE] (7.2): the 0-based rank, or [rank, score]; null (a null array with WITHSCORE) if absent. */
    private void rank(Argv argv, boolean rev, ReplySink out) {
        if (argv.count() > 4) {
            out.error(Errors.wrongArity(argv.string(0).toLowerCase(java.util.Locale.ROOT)));
            return;
        }
        boolean withScore = false;
        if (argv.count() == 4) {
            if (!argv.equalsIgnoreCase(3, "withscore")) {
                out.error(Errors.SYNTAX);
                return;
            }
            withScore = true;
        }
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.ZSET, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        double score = e == null ? Double.NaN : e.zset().scoreOf(member.point(argv, 2));
        if (Double.isNaN(score)) {
            if (withScore) {
                out.nullArray();
            } else {
                out.nullBulk();
            }
            return;
        }
        ZSetValue zset = e.zset();
        byte[] m = argv.bytes(2);
        int rank = zset.countPrefix((s, x) -> s < score || (s == score && java.util.Arrays.compareUnsigned(x, m) < 0));
        if (rev) {
            rank = zset.size() - 1 - rank;
        }
        if (withScore) {
            out.arrayHeader(2);
        }
        out.integer(rank);
        if (withScore) {
            out.doubleValue(score);
        }
    }

    /** ZCOUNT key min max: how many scores fall in the range. */
    public void zcount(Argv argv, ReplySink out, Journal journal) {
        ZRange range = ZRange.scores(argv.bytes(2), argv.bytes(3));
        if (range == null) {
            out.error(Errors.RANGE_NOT_FLOAT);
            return;
        }
        count(argv, range, out);
    }

    /** ZLEXCOUNT key min max: how many members fall in the lexicographic range. */
    public void zlexcount(Argv argv, ReplySink out, Journal journal) {
        ZRange range = ZRange.lex(argv.bytes(2), argv.bytes(3));
        if (range == null) {
            out.error(Errors.RANGE_NOT_LEX);
            return;
        }
        count(argv, range, out);
    }

    /** O(log n) on a skip list: the members not past the end less those before the start. */
    private void count(Argv argv, ZRange range, ReplySink out) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.ZSET, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (e == null || range.empty()) {
            out.integer(0);
            return;
        }
        ZSetValue zset = e.zset();
        if (zset.encoding().equals("listpack")) {
            out.integer(range.select(zset, false, 0, -1).length); // t_zset.c's walk, for unequal scores in a BYLEX range
        } else {
            out.integer(Math.max(0, zset.countPrefix(range::withinMax) - zset.countPrefix(range::belowMin)));
        }
    }

    /**
     * ZRANDMEMBER key [count [WITHSCORES]]: one random member; up to count distinct ones (count &gt;=
     * size: the whole set in rank order, as Redis); or |count| picks that may repeat. Negative counts
     * past {@link Args#MAX_RANDOM_PICKS} are refused as SRANDMEMBER's are.
     */
    public void zrandmember(Argv argv, ReplySink out, Journal journal) {
        if (argv.count() == 2) {
            Entry e = ks.lookup(probe.point(argv, 1), ValueType.ZSET, out);
            if (e == null) {
                out.nullBulk();
            } else if (e != Keyspace.WRONG_TYPE) {
                ZSetValue zset = e.zset();
                out.bulk(zset.memberAt(ks.random().nextInt(zset.size())));
            }
            return;
        }
        Args.RandomCount parsed = Args.randomCount(argv, "withscores", out);
        if (parsed == null) {
            return;
        }
        long count = parsed.count();
        boolean withScores = parsed.with();
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.ZSET, out);
        if (e == null) {
            out.arrayHeader(0);
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        ZSetValue zset = e.zset();
        int size = zset.size();
        SplittableRandom random = ks.random();
        if (count == 0) {
            out.arrayHeader(0);
        } else if (count < 0) {
            long n = -count;
            ZSetRangeCommands.header(n, withScores, out);
            for (long i = 0; i < n; i++) {
                ZSetRangeCommands.member(zset, random.nextInt(size), withScores, out);
            }
        } else if (count >= size) {
            ZSetRangeCommands.header(size, withScores, out);
            for (int r = 0; r < size; r++) {
                ZSetRangeCommands.member(zset, r, withScores, out);
            }
        } else {
            int n = (int) count;
            int[] ranks = new int[size];
            for (int i = 0; i < size; i++) {
                ranks[i] = i;
            }
            // a partial Fisher-Yates shuffle: the first n slots are a uniform pick without repeats
            for (int i = 0; i < n; i++) {
                int j = i + random.nextInt(size - i);
                int t = ranks[i];
                ranks[i] = ranks[j];
                ranks[j] = t;
            }
            ZSetRangeCommands.header(n, withScores, out);
            for (int i = 0; i < n; i++) {
                ZSetRangeCommands.member(zset, ranks[i], withScores, out);
            }
        }
    }

    /**
     * ZSCAN key cursor [MATCH pattern] [COUNT count]: one reply holds the whole walk (see
     * {@link ScanArgs}); each match is its member then its score as a bulk string, in both protocols.
     */
    public void zscan(Argv argv, ReplySink out, Journal journal) {
        ScanArgs scan = ScanArgs.openOrReply(ks, argv, ValueType.ZSET, out);
        if (scan == null) {
            return;
        }
        ZSetValue zset = scan.target().zset();
        int[] found = new int[zset.size()];
        int n = 0;
        for (int r = 0; r < zset.size(); r++) {
            if (scan.matches(zset.memberAt(r))) {
                found[n++] = r;
            }
        }
        ScanArgs.replyHeader(2L * n, out);
        for (int i = 0; i < n; i++) {
            out.bulk(zset.memberAt(found[i]));
            double s = zset.scoreAt(found[i]);
            if (out.protocol() == 2) {
                out.doubleValue(s); // RESP2 spells a double as this same bulk string
            } else {
                out.bulk(DoubleFormat.REDIS_7_2.format(s).getBytes(StandardCharsets.US_ASCII));
            }
        }
    }
}
