package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.IndexedSlices;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * SADD, SREM, SMEMBERS, SPOP, SRANDMEMBER, SCARD, SISMEMBER, SMISMEMBER, SMOVE and SSCAN, as Redis 7
 * runs them (t_set.c; the set algebra is in {@link SetAlgebraCommands}). A set that becomes empty is
 * deleted. Owned by one shard; not thread-safe.
 *
 * <p>Journal forms: SADD, SREM and SMOVE as sent when they changed something; SPOP as {@code SREM} of
 * the members it took (random choices must not be replayed), or {@code DEL} when it took them all.
 */
public final class SetCommands {
    private static final byte[] SREM = Args.bytes("SREM");
    private static final byte[] DEL = Args.bytes("DEL");

    private final Keyspace ks;
    /** Keys looked up where the request holds them; {@link Keyspace#add} copies one it keeps. */
    private final Bytes probe = Bytes.probe();
    /** Members and fields looked up (never stored) where the request holds them. */
    private final Bytes member = Bytes.probe();

    SetCommands(Keyspace ks) {
        this.ks = ks;
    }

    public void sadd(Argv argv, ReplySink out, Journal journal) {
        Bytes key = probe.point(argv, 1);
        Entry e = ks.lookup(key, ValueType.SET, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (e == null) {
            e = ks.add(key, ValueType.SET, SetValue.create(ks.limits(), Numbers.isLong(argv, 2), argv.count() - 2));
        } else {
            e.set().prepareFor(argv.count() - 2);
        }
        SetValue set = e.set();
        int added = 0;
        for (int i = 2; i < argv.count(); i++) {
            if (set.add(new Bytes(argv.bytes(i)))) {
                added++;
            }
        }
        out.integer(added);
        if (added > 0) {
            journal.append(argv);
            ks.notifier().notify(Notifier.SET, "sadd", argv, 1);
        }
    }

    public void srem(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.SET, out);
        if (e == null) {
            out.integer(0);
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        SetValue set = e.set();
        int removed = 0;
        for (int i = 2; i < argv.count() && set.size() > 0; i++) {
            if (set.remove(member.point(argv, i))) {
                removed++;
            }
        }
        if (removed > 0) {
            ks.notifier().notify(Notifier.SET, "srem", argv, 1);
        }
        if (set.size() == 0) {
            ks.remove(e);
            ks.notifier().notify(Notifier.GENERIC, "del", argv, 1);
        }
        out.integer(removed);
        if (removed > 0) {
            journal.append(argv);
        }
    }

    public void smembers(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.SET, out);
        if (e == null) {
            out.setHeader(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            SetValue set = e.set();
            out.setHeader(set.size());
            if (Slices.worth(out, set.size())) {
                Slices.bulks(out, members(set));
                return;
            }
            for (int i = 0; i < set.size(); i++) {
                out.bulk(set.get(i).bytes);
            }
        }
    }

    public void scard(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.SET, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.integer(e.set().size());
        }
    }

    public void sismember(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.SET, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.integer(e.set().contains(member.point(argv, 2)) ? 1 : 0);
        }
    }

    /** SPOP key [count]: without a count a bulk (or nil), with one a set reply. */
    public void spop(Argv argv, ReplySink out, Journal journal) {
        if (argv.count() > 3) {
            out.error(Errors.SYNTAX);
            return;
        }
        boolean hasCount = argv.count() == 3;
        long count = 1;
        if (hasCount && (count = Args.countOrReply(argv, 2, out)) < 0) {
            return;
        }
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.SET, out);
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
            journal.append(new byte[][] {SREM, argv.bytes(1), m.bytes});
            ks.notifier().notify(Notifier.SET, "spop", argv, 1);
        } else if (count == 0) {
            out.setHeader(0);
            return;
        } else if (count >= set.size()) {
            out.setHeader(set.size());
            for (int i = 0; i < set.size(); i++) {
                out.bulk(set.get(i).bytes);
            }
            ks.remove(e);
            journal.append(new byte[][] {DEL, argv.bytes(1)});
            ks.notifier().notify(Notifier.SET, "spop", argv, 1);
            ks.notifier().notify(Notifier.GENERIC, "del", argv, 1);
            return;
        } else {
            int n = (int) count;
            byte[][] popped = new byte[n][];
            out.setHeader(n);
            for (int i = 0; i < n; i++) {
                popped[i] = set.popRandom(ks.random()).bytes;
                out.bulk(popped[i]);
            }
            journal.append(Args.withKey(SREM, argv.bytes(1), popped, n));
            ks.notifier().notify(Notifier.SET, "spop", argv, 1);
        }
        if (set.size() == 0) {
            ks.remove(e);
            ks.notifier().notify(Notifier.GENERIC, "del", argv, 1);
        }
    }

    public void smismember(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.SET, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        out.arrayHeader(argv.count() - 2);
        for (int i = 2; i < argv.count(); i++) {
            out.integer(e != null && e.set().contains(member.point(argv, i)) ? 1 : 0);
        }
    }

    /**
     * SRANDMEMBER key [count]: one random member; or up to count distinct ones (count &gt;= size: the
     * whole set); or, with a negative count, |count| picks that may repeat.
     */
    public void srandmember(Argv argv, ReplySink out, Journal journal) {
        if (argv.count() > 3) {
            out.error(Errors.SYNTAX);
            return;
        }
        if (argv.count() == 2) {
            Entry e = ks.lookup(probe.point(argv, 1), ValueType.SET, out);
            if (e == null) {
                out.nullBulk();
            } else if (e != Keyspace.WRONG_TYPE) {
                out.bulk(e.set().get(ks.random().nextInt(e.set().size())).bytes);
            }
            return;
        }
        if (!Numbers.isLong(argv, 2)) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        long count = Numbers.toLong(argv, 2);
        if (count == Long.MIN_VALUE) {
            out.error(Errors.outOfRange(-Long.MAX_VALUE, Long.MAX_VALUE));
            return;
        }
        if (count < -Args.MAX_RANDOM_PICKS) {
            out.error(Errors.OUT_OF_RANGE);
            return;
        }
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.SET, out);
        if (e == null) {
            out.arrayHeader(0);
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        SetValue set = e.set();
        int size = set.size();
        if (count == 0) {
            out.arrayHeader(0);
        } else if (count < 0) {
            out.arrayHeader(-count);
            if (Slices.worth(out, -count)) { // picks drawn slice by slice, from the members as they are now
                byte[][] members = members(set);
                java.util.SplittableRandom random = ks.random();
                out.defer(new IndexedSlices(-count, (i, w) -> w.bulk(members[random.nextInt(members.length)])));
                return;
            }
            for (long i = 0; i < -count; i++) {
                out.bulk(set.get(ks.random().nextInt(size)).bytes);
            }
        } else if (count >= size) {
            out.arrayHeader(size); // the whole set, still as an array in RESP3
            if (Slices.worth(out, size)) {
                Slices.bulks(out, members(set));
                return;
            }
            for (int i = 0; i < size; i++) {
                out.bulk(set.get(i).bytes);
            }
        } else {
            // A partial Fisher-Yates shuffle over slot numbers: the first count are a pick without repeats.
            int n = (int) count;
            int[] slots = new int[size];
            for (int i = 0; i < size; i++) {
                slots[i] = i;
            }
            out.arrayHeader(n);
            for (int i = 0; i < n; i++) {
                int j = i + ks.random().nextInt(size - i);
                int t = slots[i];
                slots[i] = slots[j];
                slots[j] = t;
                out.bulk(set.get(slots[i]).bytes);
            }
        }
    }

    /** The members' references in slot order: what a sliced reply sends ({@link Slices}). */
    private static byte[][] members(SetValue set) {
        byte[][] items = new byte[set.size()][];
        for (int i = 0; i < items.length; i++) {
            items[i] = set.get(i).bytes;
        }
        return items;
    }

    /** SMOVE source destination member: 1 if it moved (or, with source = destination, is there). */
    public void smove(Argv argv, ReplySink out, Journal journal) {
        Entry src = ks.lookup(probe.point(argv, 1));
        Entry dst = ks.lookup(probe.point(argv, 2));
        if (src == null) {
            out.integer(0);
            return;
        }
        if (src.type() != ValueType.SET || (dst != null && dst.type() != ValueType.SET)) {
            out.error(Errors.WRONGTYPE);
            return;
        }
        Bytes member = new Bytes(argv.bytes(3));
        if (src == dst) {
            out.integer(src.set().contains(member) ? 1 : 0);
            return;
        }
        if (!src.set().remove(member)) {
            out.integer(0);
            return;
        }
        ks.notifier().notify(Notifier.SET, "srem", argv, 1);
        if (src.set().size() == 0) {
            ks.remove(src);
            ks.notifier().notify(Notifier.GENERIC, "del", argv, 1);
        }
        if (dst == null) {
            dst = ks.add(new Bytes(argv.bytes(2)), ValueType.SET, SetValue.create(ks.limits(), Numbers.isLong(argv, 3), 1));
        }
        if (dst.set().add(member)) {
            ks.notifier().notify(Notifier.SET, "sadd", argv, 2);
        }
        out.integer(1);
        journal.append(argv);
    }

    /** SSCAN key cursor [MATCH pattern] [COUNT count]; see {@link ScanArgs} for the one-reply walk. */
    public void sscan(Argv argv, ReplySink out, Journal journal) {
        ScanArgs scan = ScanArgs.openOrReply(ks, argv, ValueType.SET, out);
        if (scan == null) {
            return;
        }
        SetValue set = scan.target().set();
        java.util.List<byte[]> found = new java.util.ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            if (scan.matches(set.get(i).bytes)) {
                found.add(set.get(i).bytes);
            }
        }
        ScanArgs.replyHeader(found.size(), out);
        for (byte[] m : found) {
            out.bulk(m);
        }
    }
}
