package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * HSET, HMSET, HSETNX, HGET, HMGET, HDEL, HEXISTS, HSTRLEN, HKEYS, HVALS, HGETALL, HINCRBY,
 * HINCRBYFLOAT and HLEN, as Redis 7 runs them (t_hash.c); HRANDFIELD and HSCAN are in
 * {@link HashWalkCommands}. Fields keep insertion order, as a small (listpack) Redis hash replies. A
 * hash that becomes empty is deleted. Owned by one shard; not thread-safe.
 *
 * <p>Journal forms: as sent (HSET and HMSET always, as Redis propagates them; HSETNX and HDEL when they
 * changed something); HINCRBYFLOAT as the HSET of the value it wrote, as Redis propagates it, so
 * replay does not redo the rounding.
 */
public final class HashCommands {
    private static final byte[] HSET = Args.bytes("HSET");

    private final Keyspace ks;
    /** Keys looked up where the request holds them; {@link Keyspace#add} copies one it keeps. */
    private final Bytes probe = Bytes.probe();
    /** Members and fields looked up (never stored) where the request holds them. */
    private final Bytes member = Bytes.probe();

    HashCommands(Keyspace ks) {
        this.ks = ks;
    }

    public void hset(Argv argv, ReplySink out, Journal journal) {
        set(argv, out, journal, "hset");
    }

    /** HMSET: HSET that replies OK. */
    public void hmset(Argv argv, ReplySink out, Journal journal) {
        set(argv, out, journal, "hmset");
    }

    private void set(Argv argv, ReplySink out, Journal journal, String name) {
        if (argv.count() % 2 == 1) {
            out.error(Errors.wrongArity(name));
            return;
        }
        Entry e = ks.lookupOrAdd(probe.point(argv, 1), ValueType.HASH, out);
        if (e == null) {
            return;
        }
        HashValue hash = e.hash();
        hash.prepareFor(argv, 2, argv.count());
        int created = 0;
        for (int i = 2; i < argv.count(); i += 2) {
            if (hash.put(new Bytes(argv.bytes(i)), argv.bytes(i + 1))) {
                created++;
            }
        }
        if (name.equals("hset")) {
            out.integer(created);
        } else {
            out.simple("OK");
        }
        journal.append(argv);
        ks.notifier().notify(Notifier.HASH, "hset", argv, 1);
    }

    public void hsetnx(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookupOrAdd(probe.point(argv, 1), ValueType.HASH, out);
        if (e == null) {
            return;
        }
        if (!e.hash().putIfAbsent(new Bytes(argv.bytes(2)), argv.bytes(3))) {
            out.integer(0);
            return;
        }
        out.integer(1);
        journal.append(argv);
        ks.notifier().notify(Notifier.HASH, "hset", argv, 1);
    }

    public void hmget(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.HASH, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        out.arrayHeader(argv.count() - 2);
        for (int i = 2; i < argv.count(); i++) {
            byte[] v = e == null ? null : e.hash().get(member.point(argv, i));
            if (v == null) {
                out.nullBulk();
            } else {
                out.bulk(v);
            }
        }
    }

    public void hexists(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.HASH, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.integer(e.hash().containsKey(member.point(argv, 2)) ? 1 : 0);
        }
    }

    public void hstrlen(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.HASH, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            byte[] v = e.hash().get(member.point(argv, 2));
            out.integer(v == null ? 0 : v.length);
        }
    }

    public void hkeys(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.HASH, out);
        if (e == null) {
            out.arrayHeader(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.arrayHeader(e.hash().size());
            if (Slices.worth(out, e.hash().size())) {
                Slices.bulks(out, snapshot(e.hash(), true, false));
                return;
            }
            e.hash().forEach((f, v) -> out.bulk(f));
        }
    }

    public void hvals(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.HASH, out);
        if (e == null) {
            out.arrayHeader(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.arrayHeader(e.hash().size());
            if (Slices.worth(out, e.hash().size())) {
                Slices.bulks(out, snapshot(e.hash(), false, true));
                return;
            }
            e.hash().forEach((f, v) -> out.bulk(v));
        }
    }

    public void hget(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.HASH, out);
        if (e == null) {
            out.nullBulk();
        } else if (e != Keyspace.WRONG_TYPE) {
            byte[] v = e.hash().get(member.point(argv, 2));
            if (v == null) {
                out.nullBulk();
            } else {
                out.bulk(v);
            }
        }
    }

    public void hdel(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.HASH, out);
        if (e == null) {
            out.integer(0);
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        HashValue hash = e.hash();
        int removed = 0;
        for (int i = 2; i < argv.count() && !hash.isEmpty(); i++) {
            if (hash.remove(member.point(argv, i))) {
                removed++;
            }
        }
        boolean emptied = hash.isEmpty();
        if (emptied) {
            ks.remove(e);
        }
        out.integer(removed);
        if (removed > 0) {
            journal.append(argv);
            ks.notifier().notify(Notifier.HASH, "hdel", argv, 1);
            if (emptied) {
                ks.notifier().notify(Notifier.GENERIC, "del", argv, 1);
            }
        }
    }

    /** The fields, the values, or both alternating, of {@code hash}: what a sliced reply sends ({@link Slices}). */
    private static byte[][] snapshot(HashValue hash, boolean fields, boolean values) {
        byte[][] items = new byte[(fields && values ? 2 : 1) * hash.size()][];
        int[] at = {0};
        hash.forEach((f, v) -> {
            if (fields) {
                items[at[0]++] = f;
            }
            if (values) {
                items[at[0]++] = v;
            }
        });
        return items;
    }

    /** A map reply in RESP3, a flat field/value array in RESP2. */
    public void hgetall(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.HASH, out);
        if (e == null) {
            out.mapHeader(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            HashValue hash = e.hash();
            out.mapHeader(hash.size());
            if (Slices.worth(out, 2L * hash.size())) {
                Slices.bulks(out, snapshot(hash, true, true));
                return;
            }
            hash.forEach((f, v) -> {
                out.bulk(f);
                out.bulk(v);
            });
        }
    }

    public void hincrby(Argv argv, ReplySink out, Journal journal) {
        if (!Numbers.isLong(argv, 3)) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        long by = Numbers.toLong(argv, 3);
        Entry e = ks.lookupOrAdd(probe.point(argv, 1), ValueType.HASH, out);
        if (e == null) {
            return;
        }
        HashValue hash = e.hash();
        Bytes field = new Bytes(argv.bytes(2));
        byte[] old = hash.get(field);
        long value = 0;
        if (old != null) {
            if (!Numbers.isLong(old)) {
                out.error(Errors.HASH_NOT_INTEGER);
                return;
            }
            value = Numbers.toLong(old);
        }
        if ((by < 0 && value < 0 && by < Long.MIN_VALUE - value) || (by > 0 && value > 0 && by > Long.MAX_VALUE - value)) {
            out.error(Errors.OVERFLOW);
            return;
        }
        value += by;
        hash.put(field, Numbers.ascii(value));
        out.integer(value);
        journal.append(argv);
        ks.notifier().notify(Notifier.HASH, "hincrby", argv, 1);
    }

    public void hincrbyfloat(Argv argv, ReplySink out, Journal journal) {
        LongDouble by = LongDouble.parse(argv.bytes(3));
        if (by == null) {
            out.error(Errors.NOT_FLOAT);
            return;
        }
        if (!by.isFinite()) {
            out.error(Errors.NAN_OR_INFINITY_VALUE);
            return;
        }
        Entry e = ks.lookupOrAdd(probe.point(argv, 1), ValueType.HASH, out);
        if (e == null) {
            return;
        }
        HashValue hash = e.hash();
        Bytes field = new Bytes(argv.bytes(2));
        byte[] old = hash.get(field);
        LongDouble value = old == null ? by : LongDouble.parse(old);
        if (value == null) {
            out.error(Errors.HASH_NOT_FLOAT);
            if (hash.isEmpty()) {
                ks.remove(e);
            }
            return;
        }
        if (old != null) {
            value = value.add(by);
        }
        if (!value.isFinite()) {
            out.error(Errors.NAN_OR_INFINITY);
            if (hash.isEmpty()) {
                ks.remove(e);
            }
            return;
        }
        byte[] text = value.toHumanString();
        hash.put(field, text);
        out.bulk(text);
        journal.append(new byte[][] {HSET, argv.bytes(1), argv.bytes(2), text});
        ks.notifier().notify(Notifier.HASH, "hincrbyfloat", argv, 1);
    }

    public void hlen(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.HASH, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.integer(e.hash().size());
        }
    }
}
