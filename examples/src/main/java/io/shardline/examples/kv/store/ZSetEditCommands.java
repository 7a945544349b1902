package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX and ZMPOP on keys of one shard, as Redis 7 runs
 * them (t_zset.c zremrangeGenericCommand, zmpopGenericCommand): the range is checked before the key
 * is looked up; a set left empty is deleted. Owned by one shard; not thread-safe.
 *
 * <p>Journal forms: each as the {@code ZREM} of the members it removed, so replay removes exactly
 * those whatever order ties would take then.
 */
public final class ZSetEditCommands {
    private static final byte[] ZREM = Args.bytes("ZREM");

    private final Keyspace ks;
    /** Keys looked up where the request holds them. */
    private final Bytes probe = Bytes.probe();

    ZSetEditCommands(Keyspace ks) {
        this.ks = ks;
    }

    /** ZREMRANGEBYRANK key start stop. */
    public void zremrangebyrank(Argv argv, ReplySink out, Journal journal) {
        if (!Numbers.isLong(argv, 2) || !Numbers.isLong(argv, 3)) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.ZSET, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            int[] ranks = ZSetRangeCommands.rankRange(e.zset().size(), Numbers.toLong(argv, 2), Numbers.toLong(argv, 3), false);
            remove(e, argv.bytes(1), ranks, out, journal, "zremrangebyrank");
        }
    }

    /** ZREMRANGEBYSCORE key min max. */
    public void zremrangebyscore(Argv argv, ReplySink out, Journal journal) {
        ZRange range = ZRange.scores(argv.bytes(2), argv.bytes(3));
        if (range == null) {
            out.error(Errors.RANGE_NOT_FLOAT);
            return;
        }
        removeRange(argv, range, out, journal);
    }

    /** ZREMRANGEBYLEX key min max. */
    public void zremrangebylex(Argv argv, ReplySink out, Journal journal) {
        ZRange range = ZRange.lex(argv.bytes(2), argv.bytes(3));
        if (range == null) {
            out.error(Errors.RANGE_NOT_LEX);
            return;
        }
        removeRange(argv, range, out, journal);
    }

    private void removeRange(Argv argv, ZRange range, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.ZSET, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            remove(e, argv.bytes(1), range.select(e.zset(), false, 0, -1), out, journal, Notifier.commandEvent(argv));
        }
    }

    /** Removes the members at {@code ranks} (ascending), replies how many, logs them as one ZREM. */
    private void remove(Entry e, byte[] key, int[] ranks, ReplySink out, Journal journal, String event) {
        ZSetValue zset = e.zset();
        byte[][] members = new byte[ranks.length][];
        for (int i = 0; i < ranks.length; i++) {
            members[i] = zset.memberAt(ranks[i]);
        }
        for (byte[] m : members) {
            zset.remove(new Bytes(m));
        }
        boolean emptied = zset.size() == 0;
        if (emptied) {
            ks.remove(e);
        }
        out.integer(members.length);
        if (members.length > 0) {
            journal.append(Args.withKey(ZREM, key, members, members.length));
            ks.notifier().notify(Notifier.ZSET, event, key);
            if (emptied) {
                ks.notifier().notify(Notifier.GENERIC, "del", key);
            }
        }
    }

    /**
     * ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: pops from the first non-empty key; replies
     * [key, [[member, score], ...]] (nested in both protocols, as Redis), or a null array.
     */
    public void zmpop(Argv argv, ReplySink out, Journal journal) {
        MpopArgs a = MpopArgs.parseZ(argv, out);
        if (a == null) {
            return;
        }
        for (int k = 0; k < a.keys(); k++) {
            Entry e = ks.lookup(probe.point(argv, 2 + k), ValueType.ZSET, out);
            if (e == Keyspace.WRONG_TYPE) {
                return;
            }
            if (e == null) {
                continue;
            }
            ZSetValue zset = e.zset();
            int n = (int) Math.min(a.count(), zset.size());
            byte[] key = argv.bytes(2 + k);
            byte[][] popped = new byte[n][];
            out.arrayHeader(2);
            out.bulk(key);
            out.arrayHeader(n);
            for (int i = 0; i < n; i++) {
                int at = !a.first() ? zset.size() - 1 : 0;
                popped[i] = zset.memberAt(at);
                double score = zset.scoreAt(at);
                zset.remove(new Bytes(popped[i]));
                out.arrayHeader(2);
                out.bulk(popped[i]);
                out.doubleValue(score);
            }
            ks.notifier().notify(Notifier.ZSET, a.first() ? "zpopmin" : "zpopmax", key);
            if (zset.size() == 0) {
                ks.remove(e);
                ks.notifier().notify(Notifier.GENERIC, "del", key);
            }
            journal.append(Args.withKey(ZREM, key, popped, n));
            return;
        }
        out.nullArray();
    }
}
