package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.util.ArrayList;
import java.util.List;

/**
 * SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF and SDIFFSTORE on keys of one shard, as
 * Redis 7 runs them (t_set.c): a missing key is an empty set, any key of another type is WRONGTYPE
 * (all keys are checked, even after a missing one), a STORE overwrites its destination whatever it
 * held (its TTL goes) or deletes it when the result is empty. Owned by one shard; not thread-safe.
 *
 * <p>Journal forms: the STOREs as the DEL of the destination and the SADD of the result, so replay
 * writes the same members whatever the sources hold then.
 */
public final class SetAlgebraCommands {
    /** Which combination of the sets. */
    public enum Op { INTER, UNION, DIFF }

    private static final byte[] DEL = Args.bytes("DEL");
    private static final byte[] SADD = Args.bytes("SADD");

    private final Keyspace ks;
    /** Keys looked up where the request holds them; {@link Keyspace#add} copies one it keeps. */
    private final Bytes probe = Bytes.probe();

    SetAlgebraCommands(Keyspace ks) {
        this.ks = ks;
    }

    public void sinter(Argv argv, ReplySink out, Journal journal) {
        read(argv, 1, out, Op.INTER);
    }

    public void sunion(Argv argv, ReplySink out, Journal journal) {
        read(argv, 1, out, Op.UNION);
    }

    public void sdiff(Argv argv, ReplySink out, Journal journal) {
        read(argv, 1, out, Op.DIFF);
    }

    public void sinterstore(Argv argv, ReplySink out, Journal journal) {
        store(argv, out, journal, Op.INTER);
    }

    public void sunionstore(Argv argv, ReplySink out, Journal journal) {
        store(argv, out, journal, Op.UNION);
    }

    public void sdiffstore(Argv argv, ReplySink out, Journal journal) {
        store(argv, out, journal, Op.DIFF);
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit]: the intersection's size, counting up to limit (0: all). */
    public void sintercard(Argv argv, ReplySink out, Journal journal) {
        long[] keysAndLimit = sintercardArgs(argv, out);
        if (keysAndLimit == null) {
            return;
        }
        SetValue[] sets = sets(argv, 2, (int) keysAndLimit[0], out);
        if (sets != null) {
            out.integer(combine(Op.INTER, sets, keysAndLimit[1]).size());
        }
    }

    /**
     * SINTERCARD's key count and LIMIT (0: none) checked in Redis' order, or null after replying its
     * error: also what the connection's shard reads to find the keys.
     */
    public static long[] sintercardArgs(Argv argv, ReplySink out) {
        long keys = Numbers.isLong(argv, 1) ? Numbers.toLong(argv, 1) : 0;
        if (keys <= 0) {
            out.error(Errors.NUMKEYS_POSITIVE);
            return null;
        }
        if (keys > argv.count() - 2) {
            out.error(Errors.NUMKEYS_OVER_ARGS);
            return null;
        }
        long limit = 0;
        for (int i = 2 + (int) keys; i < argv.count(); i++) {
            if (argv.equalsIgnoreCase(i, "limit") && i + 1 < argv.count()) {
                i++;
                if (!Numbers.isLong(argv, i) || (limit = Numbers.toLong(argv, i)) < 0) {
                    out.error(Errors.LIMIT_NEGATIVE);
                    return null;
                }
            } else {
                out.error(Errors.SYNTAX);
                return null;
            }
        }
        return new long[] {keys, limit};
    }

    private void read(Argv argv, int first, ReplySink out, Op op) {
        SetValue[] sets = sets(argv, first, argv.count() - first, out);
        if (sets != null) {
            reply(combine(op, sets, 0), out);
        }
    }

    /** A result as Redis replies it: a set (RESP3), an array (RESP2). */
    static void reply(List<Bytes> members, ReplySink out) {
        out.setHeader(members.size());
        for (Bytes m : members) {
            out.bulk(m.bytes);
        }
    }

    private void store(Argv argv, ReplySink out, Journal journal, Op op) {
        SetValue[] sets = sets(argv, 2, argv.count() - 2, out);
        if (sets == null) {
            return;
        }
        List<Bytes> result = combine(op, sets, 0);
        replace(argv.bytes(1), result, journal, storeEvent(argv));
        out.integer(result.size());
    }

    /**
     * The STORE's write on the destination's shard, for a result gathered from other shards: argv is
     * {@code name dst member...}; replies the size.
     */
    public void storeResult(Argv argv, ReplySink out, Journal journal) {
        List<Bytes> result = new ArrayList<>(argv.count() - 2);
        for (int i = 2; i < argv.count(); i++) {
            result.add(new Bytes(argv.bytes(i)));
        }
        replace(argv.bytes(1), result, journal, storeEvent(argv));
        out.integer(result.size());
    }

    /** The event a STORE raises: its command's name (sinterstore, sunionstore, sdiffstore). */
    private static String storeEvent(Argv argv) {
        return Notifier.commandEvent(argv);
    }

    private void replace(byte[] dst, List<Bytes> result, Journal journal, String event) {
        Bytes key = new Bytes(dst);
        Entry old = ks.lookup(key);
        if (old != null) {
            ks.remove(old);
            journal.append(new byte[][] {DEL, dst});
        }
        if (result.isEmpty()) {
            if (old != null) {
                ks.notifier().notify(Notifier.GENERIC, "del", dst);
            }
            return;
        }
        SetValue set = new SetValue(ks.limits()); // starts as an intset, as Redis's STORE destination
        byte[][] sadd = new byte[2 + result.size()][];
        sadd[0] = SADD;
        sadd[1] = dst;
        for (int i = 0; i < result.size(); i++) {
            set.add(result.get(i));
            sadd[2 + i] = result.get(i).bytes;
        }
        ks.addReplacing(key, ValueType.SET, set, old != null);
        journal.append(sadd);
        ks.notifier().notify(Notifier.SET, event, dst);
    }

    /** The sets of {@code n} keys from argument {@code first} (null for a missing key), or null after replying WRONGTYPE. */
    private SetValue[] sets(Argv argv, int first, int n, ReplySink out) {
        SetValue[] sets = new SetValue[n];
        for (int i = 0; i < n; i++) {
            Entry e = ks.lookup(probe.point(argv, first + i), ValueType.SET, out);
            if (e == Keyspace.WRONG_TYPE) {
                return null;
            }
            sets[i] = e == null ? null : e.set();
        }
        return sets;
    }

    /**
     * The combination of {@code sets} (null: a missing key, an empty set); for INTER, at most
     * {@code limit} members when it is above 0 (SINTERCARD's LIMIT). Costs: INTER walks the smallest
     * set, UNION and DIFF every member once.
     */
    static List<Bytes> combine(Op op, SetValue[] sets, long limit) {
        List<Bytes> result = new ArrayList<>();
        switch (op) {
            case INTER -> {
                SetValue smallest = null;
                for (SetValue s : sets) {
                    if (s == null) {
                        return result;
                    }
                    if (smallest == null || s.size() < smallest.size()) {
                        smallest = s;
                    }
                }
                for (int i = 0; i < smallest.size() && (limit <= 0 || result.size() < limit); i++) {
                    Bytes m = smallest.get(i);
                    boolean inAll = true;
                    for (SetValue s : sets) {
                        if (s != smallest && !s.contains(m)) {
                            inAll = false;
                            break;
                        }
                    }
                    if (inAll) {
                        result.add(m);
                    }
                }
            }
            case UNION -> {
                SetValue seen = new SetValue();
                for (SetValue s : sets) {
                    for (int i = 0; s != null && i < s.size(); i++) {
                        if (seen.add(s.get(i))) {
                            result.add(s.get(i));
                        }
                    }
                }
            }
            case DIFF -> {
                SetValue first = sets[0];
                for (int i = 0; first != null && i < first.size(); i++) {
                    Bytes m = first.get(i);
                    boolean elsewhere = false;
                    for (int j = 1; j < sets.length && !elsewhere; j++) {
                        elsewhere = sets[j] != null && (sets[j] == first || sets[j].contains(m));
                    }
                    if (!elsewhere) {
                        result.add(m);
                    }
                }
            }
        }
        return result;
    }

    /**
     * {@link #combine} over members gathered from other shards (an empty array: a missing or empty
     * set, which combine the same way), as the members' bytes.
     */
    public static List<byte[]> combineGathered(Op op, List<byte[][]> gathered, long limit) {
        SetValue[] sets = new SetValue[gathered.size()];
        for (int i = 0; i < sets.length; i++) {
            if (gathered.get(i).length > 0) {
                sets[i] = new SetValue();
                for (byte[] m : gathered.get(i)) {
                    sets[i].add(new Bytes(m));
                }
            }
        }
        List<Bytes> result = combine(op, sets, limit);
        List<byte[]> bytes = new ArrayList<>(result.size());
        for (Bytes m : result) {
            bytes.add(m.bytes);
        }
        return bytes;
    }
}
