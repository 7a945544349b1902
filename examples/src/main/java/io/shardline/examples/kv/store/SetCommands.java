package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;

/**
 * SADD, SREM, SMEMBERS, SPOP, SCARD and SISMEMBER, as Redis 7 runs them (t_set.c). A set that becomes
 * empty is deleted. Owned by one shard; not thread-safe.
 *
 * <p>Journal forms: SADD and SREM as sent when they changed something; SPOP as {@code SREM} of the
 * members it took (random choices must not be replayed), or {@code DEL} when it took them all.
 */
public final class SetCommands {
    private static final byte[] SREM = Args.bytes("SREM");
    private static final byte[] DEL = Args.bytes("DEL");

    private final Keyspace ks;

    SetCommands(Keyspace ks) {
        this.ks = ks;
    }

    public void sadd(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookupOrAdd(new Bytes(argv[1]), ValueType.SET, out);
        if (e == null) {
            return;
        }
        SetValue set = e.set();
        int added = 0;
        for (int i = 2; i < argv.length; i++) {
            if (set.add(new Bytes(argv[i]))) {
                added++;
            }
        }
        out.integer(added);
        if (added > 0) {
            journal.append(argv);
        }
    }

    public void srem(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.SET, out);
        if (e == null) {
            out.integer(0);
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        SetValue set = e.set();
        int removed = 0;
        for (int i = 2; i < argv.length && set.size() > 0; i++) {
            if (set.remove(new Bytes(argv[i]))) {
                removed++;
            }
        }
        if (set.size() == 0) {
            ks.remove(e);
        }
        out.integer(removed);
        if (removed > 0) {
            journal.append(argv);
        }
    }

    public void smembers(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.SET, out);
        if (e == null) {
            out.setHeader(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            SetValue set = e.set();
            out.setHeader(set.size());
            for (int i = 0; i < set.size(); i++) {
                out.bulk(set.get(i).bytes);
            }
        }
    }

    public void scard(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.SET, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.integer(e.set().size());
        }
    }

    public void sismember(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.SET, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.integer(e.set().contains(new Bytes(argv[2])) ? 1 : 0);
        }
    }

    /** SPOP key [count]: without a count a bulk (or nil), with one a set reply. */
    public void spop(byte[][] argv, ReplySink out, Journal journal) {
        if (argv.length > 3) {
            out.error(Errors.SYNTAX);
            return;
        }
        boolean hasCount = argv.length == 3;
        long count = 1;
        if (hasCount && (count = Args.countOrReply(argv[2], out)) < 0) {
            return;
        }
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.SET, out);
        if (e == null) {
            if (hasCount) {
                out.setHeader(0);
            } else {
                out.nullBulk();
            }
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        SetValue set = e.set();
        if (!hasCount) {
            Bytes m = set.popRandom(ks.random());
            out.bulk(m.bytes);
            journal.append(new byte[][] {SREM, argv[1], m.bytes});
        } else if (count == 0) {
            out.setHeader(0);
            return;
        } else if (count >= set.size()) {
            out.setHeader(set.size());
            for (int i = 0; i < set.size(); i++) {
                out.bulk(set.get(i).bytes);
            }
            ks.remove(e);
            journal.append(new byte[][] {DEL, argv[1]});
            return;
        } else {
            int n = (int) count;
            byte[][] popped = new byte[n][];
            out.setHeader(n);
            for (int i = 0; i < n; i++) {
                popped[i] = set.popRandom(ks.random()).bytes;
                out.bulk(popped[i]);
            }
            journal.append(Args.withKey(SREM, argv[1], popped, n));
        }
        if (set.size() == 0) {
            ks.remove(e);
        }
    }
}
