package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * ZADD, ZINCRBY, ZREM, ZSCORE, ZPOPMIN, ZPOPMAX and ZCARD, as Redis 7 runs them (t_zset.c); the
 * ranges are {@link ZSetRangeCommands}'. A sorted set that becomes empty is deleted. Owned by one
 * shard; not thread-safe.
 *
 * <p>Scores reach the client through {@link ReplySink#doubleValue}: a RESP3 double, or in RESP2 a bulk
 * string spelled as Redis spells scores. With WITHSCORES (and ZPOPMIN with a count) RESP3 nests each
 * member and its score in a two-element array, as Redis 7 does; RESP2 stays flat.
 *
 * <p>Journal forms: ZADD and ZREM as sent when they changed something (ZADD ... INCR replays to the
 * same score from the same state), ZINCRBY as that ZADD ... INCR; ZPOPMIN and ZPOPMAX as {@code ZREM}
 * of the members they took.
 */
public final class ZSetCommands {
    private static final byte[] ZREM = Args.bytes("ZREM");
    private static final byte[] ZADD = Args.bytes("ZADD");
    private static final byte[] INCR = Args.bytes("INCR");

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
                    zset.add(member, s);
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
                zset.rescore(member, s);
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
            ks.notifier().notify(Notifier.ZSET, incr ? "zincr" : "zadd", key);
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
        boolean emptied = zset.size() == 0;
        if (emptied) {
            ks.remove(e);
        }
        out.integer(removed);
        if (removed > 0) {
            journal.append(argv);
            ks.notifier().notify(Notifier.ZSET, "zrem", argv, 1);
            if (emptied) {
                ks.notifier().notify(Notifier.GENERIC, "del", argv, 1);
            }
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
        pop(argv, false, out, journal);
    }

    /** ZPOPMAX key [count]: as ZPOPMIN from the highest score down. */
    public void zpopmax(Argv argv, ReplySink out, Journal journal) {
        pop(argv, true, out, journal);
    }

    /** ZINCRBY key increment member: zaddGenericCommand with INCR, so the same checks and texts. */
    public void zincrby(Argv argv, ReplySink out, Journal journal) {
        zadd(Argv.of(new byte[][] {ZADD, argv.bytes(1), INCR, argv.bytes(2), argv.bytes(3)}), out, journal);
    }

    private void pop(Argv argv, boolean max, ReplySink out, Journal journal) {
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
            int at = max ? zset.size() - 1 : 0;
            byte[] member = zset.memberAt(at);
            double score = zset.scoreAt(at);
            zset.remove(new Bytes(member));
            popped[i] = member;
            if (nested) {
                out.arrayHeader(2);
            }
            out.bulk(member);
            out.doubleValue(score);
        }
        ks.notifier().notify(Notifier.ZSET, max ? "zpopmax" : "zpopmin", argv, 1);
        if (zset.size() == 0) {
            ks.remove(e);
            ks.notifier().notify(Notifier.GENERIC, "del", argv, 1);
        }
        journal.append(Args.withKey(ZREM, argv.bytes(1), popped, n));
    }
}
