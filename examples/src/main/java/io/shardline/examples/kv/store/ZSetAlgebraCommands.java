package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import io.shardline.examples.kv.store.ZSetAlgebraArgs.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * ZUNION, ZINTER, ZDIFF, ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE and ZINTERCARD on keys of one shard, as
 * Redis 7 runs them (t_zset.c zunionInterDiffGenericCommand): sorted sets and plain sets (score 1)
 * are inputs, a missing key is empty, any other type is WRONGTYPE; the result is ordered by score then
 * member. Also the two steps the cross-shard forms run on a key's shard ({@link #source},
 * {@link #storeResult}). Owned by one shard; not thread-safe.
 *
 * <p>Journal form: the STOREs as {@link ZSetStore} writes them (DEL, then ZADD of the result).
 */
public final class ZSetAlgebraCommands {
    private final Keyspace ks;
    /** Keys looked up where the request holds them. */
    private final Bytes probe = Bytes.probe();

    ZSetAlgebraCommands(Keyspace ks) {
        this.ks = ks;
    }

    public void zunion(Argv argv, ReplySink out, Journal journal) {
        run(argv, 1, Op.UNION, false, "zunion", out, journal);
    }

    public void zinter(Argv argv, ReplySink out, Journal journal) {
        run(argv, 1, Op.INTER, false, "zinter", out, journal);
    }

    public void zdiff(Argv argv, ReplySink out, Journal journal) {
        run(argv, 1, Op.DIFF, false, "zdiff", out, journal);
    }

    public void zunionstore(Argv argv, ReplySink out, Journal journal) {
        run(argv, 2, Op.UNION, true, "zunionstore", out, journal);
    }

    public void zinterstore(Argv argv, ReplySink out, Journal journal) {
        run(argv, 2, Op.INTER, true, "zinterstore", out, journal);
    }

    public void zdiffstore(Argv argv, ReplySink out, Journal journal) {
        run(argv, 2, Op.DIFF, true, "zdiffstore", out, journal);
    }

    /** ZINTERCARD numkeys key [key ...] [LIMIT limit]. */
    public void zintercard(Argv argv, ReplySink out, Journal journal) {
        run(argv, 1, Op.CARD, false, "zintercard", out, journal);
    }

    private void run(Argv argv, int at, Op op, boolean store, String name, ReplySink out, Journal journal) {
        int keys = ZSetAlgebraArgs.keyCount(argv, at, name, out);
        if (keys < 0) {
            return;
        }
        ZSetSource[] sources = new ZSetSource[keys];
        for (int i = 0; i < keys; i++) {
            Entry e = ks.lookup(probe.point(argv, at + 1 + i));
            if (e != null && e.type() != ValueType.ZSET && e.type() != ValueType.SET) {
                out.error(Errors.WRONGTYPE);
                return;
            }
            sources[i] = e == null ? null : e.type() == ValueType.ZSET ? ZSetSource.of(e.zset()) : ZSetSource.of(e.set());
        }
        ZSetAlgebraArgs a = ZSetAlgebraArgs.options(argv, at, keys, op, store, out);
        if (a != null) {
            finish(ks, a, sources, store ? argv.bytes(1) : null, out, journal, Notifier.commandEvent(argv));
        }
    }

    /** Combines, then replies: the count (ZINTERCARD), the stored size (dst not null), or the members. */
    static void finish(Keyspace ks, ZSetAlgebraArgs a, ZSetSource[] sources, byte[] dst, ReplySink out, Journal journal,
            String event) {
        Result r = combine(a, sources);
        if (a.op() == Op.CARD) {
            out.integer(r.n);
        } else if (dst != null) {
            ZSetStore.replace(ks, dst, r.members, r.scores, r.n, journal, event);
            out.integer(r.n);
        } else {
            reply(a, r, out);
        }
    }

    /** A combination's members and scores, sorted by score then member (ZINTERCARD: only the count). */
    public record Result(byte[][] members, double[] scores, int n) {
    }

    static Result combine(ZSetAlgebraArgs a, ZSetSource[] sources) {
        List<byte[]> members = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        double[] w = a.weights();
        Integer[] order = new Integer[sources.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (a.op() != Op.DIFF) { // smallest first, as Redis sorts its inputs (DIFF keeps the first first)
            Arrays.sort(order, (x, y) -> Integer.compare(size(sources[x]), size(sources[y])));
        }
        switch (a.op()) {
            case INTER, CARD -> {
                if (size(sources[order[0]]) == 0) {
                    break;
                }
                ZSetSource first = sources[order[0]];
                Bytes probe = Bytes.probe();
                for (int i = 0; i < first.size(); i++) {
                    if (a.op() == Op.CARD && a.limit() > 0 && members.size() >= a.limit()) {
                        break;
                    }
                    double score = zeroIfNaN(w[order[0]] * first.score(i));
                    boolean inAll = true;
                    for (int k = 1; k < order.length && inAll; k++) {
                        ZSetSource s = sources[order[k]];
                        double v = s == null ? Double.NaN : s.scoreOf(probe.point(first.member(i), 0, first.member(i).length));
                        if (Double.isNaN(v)) {
                            inAll = false;
                        } else {
                            score = aggregate(score, v * w[order[k]], a.aggregate());
                        }
                    }
                    if (inAll) {
                        members.add(first.member(i));
                        scores.add(score);
                    }
                }
            }
            case UNION -> {
                HashMap<Bytes, Integer> at = new HashMap<>();
                for (int k : order) {
                    ZSetSource s = sources[k];
                    for (int i = 0; s != null && i < s.size(); i++) {
                        double score = zeroIfNaN(w[k] * s.score(i));
                        Bytes m = new Bytes(s.member(i));
                        Integer j = at.putIfAbsent(m, members.size());
                        if (j == null) {
                            members.add(m.bytes);
                            scores.add(score);
                        } else {
                            scores.set(j, aggregate(scores.get(j), score, a.aggregate()));
                        }
                    }
                }
            }
            case DIFF -> {
                ZSetSource first = sources[0];
                Bytes probe = Bytes.probe();
                for (int i = 0; first != null && i < first.size(); i++) {
                    boolean elsewhere = false;
                    for (int k = 1; k < sources.length && !elsewhere; k++) {
                        elsewhere = sources[k] != null && !Double.isNaN(sources[k].scoreOf(probe.point(first.member(i), 0, first.member(i).length)));
                    }
                    if (!elsewhere) {
                        members.add(first.member(i));
                        scores.add(first.score(i));
                    }
                }
            }
        }
        int n = members.size();
        Integer[] sorted = new Integer[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = i;
        }
        if (a.op() != Op.CARD) {
            Arrays.sort(sorted, (x, y) -> {
                int c = Double.compare(scores.get(x) == 0 ? 0.0 : scores.get(x), scores.get(y) == 0 ? 0.0 : scores.get(y));
                return c != 0 ? c : Arrays.compareUnsigned(members.get(x), members.get(y));
            });
        }
        byte[][] m = new byte[n][];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            m[i] = members.get(sorted[i]);
            s[i] = scores.get(sorted[i]);
        }
        return new Result(m, s, n);
    }

    private static int size(ZSetSource s) {
        return s == null ? 0 : s.size();
    }

    private static double zeroIfNaN(double d) {
        return Double.isNaN(d) ? 0.0 : d;
    }

    /** zunionInterAggregate: a SUM of inf and -inf is 0. */
    private static double aggregate(double target, double v, int how) {
        return switch (how) {
            case ZSetAlgebraArgs.MIN -> v < target ? v : target;
            case ZSetAlgebraArgs.MAX -> v > target ? v : target;
            default -> zeroIfNaN(target + v);
        };
    }

    /**
     * A cross-shard input read on its key's shard ({@code name key}): a flat array of members and
     * their scores spelled exactly ({@link ZSetStore#scoreText}), sets scoring 1; empty for a missing
     * key; WRONGTYPE for another type.
     */
    public void source(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1));
        if (e == null) {
            out.arrayHeader(0);
            return;
        }
        if (e.type() != ValueType.ZSET && e.type() != ValueType.SET) {
            out.error(Errors.WRONGTYPE);
            return;
        }
        ZSetSource s = e.type() == ValueType.ZSET ? ZSetSource.of(e.zset()) : ZSetSource.of(e.set());
        out.arrayHeader(2L * s.size());
        for (int i = 0; i < s.size(); i++) {
            out.bulk(s.member(i));
            out.bulk(ZSetStore.scoreText(s.score(i)));
        }
    }

    /** A cross-shard STORE's write on the destination's shard: {@code name dst score member ...}; replies the size. */
    public void storeResult(Argv argv, ReplySink out, Journal journal) {
        int n = (argv.count() - 2) / 2;
        byte[][] members = new byte[n][];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = Numbers.toDouble(argv, 2 + 2 * i);
            members[i] = argv.bytes(3 + 2 * i);
        }
        ZSetStore.replace(ks, argv.bytes(1), members, scores, n, journal, Notifier.commandEvent(argv));
        out.integer(n);
    }

    /** The gathered {@link #source} replies' pairs as a source (null for an empty one, as a missing key). */
    public static Object gathered(byte[][] members, double[] scores) {
        return members.length == 0 ? null : ZSetSource.of(members, scores);
    }

    /** {@link #finish} over gathered sources, for the connection's shard (no store: the caller writes). */
    public static Result combineGathered(ZSetAlgebraArgs a, Object[] sources) {
        ZSetSource[] s = new ZSetSource[sources.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (ZSetSource) sources[i];
        }
        return combine(a, s);
    }

    /** Replies a gathered result as the non-STORE commands reply it. */
    public static void reply(ZSetAlgebraArgs a, Result r, ReplySink out) {
        if (a.op() == Op.CARD) {
            out.integer(r.n);
            return;
        }
        ZSetRangeCommands.header(r.n, a.withScores(), out);
        for (int i = 0; i < r.n; i++) {
            ZSetRangeCommands.pair(r.members[i], r.scores[i], a.withScores(), out);
        }
    }
}
