package io.shardline.examples.kv.store;

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

    HashCommands(Keyspace ks) {
        this.ks = ks;
    }

    public void hset(byte[][] argv, ReplySink out, Journal journal) {
        set(argv, out, journal, "hset");
    }

    /** HMSET: HSET that replies OK. */
    public void hmset(byte[][] argv, ReplySink out, Journal journal) {
        set(argv, out, journal, "hmset");
    }

    private void set(byte[][] argv, ReplySink out, Journal journal, String name) {
        if (argv.length % 2 == 1) {
            out.error(Errors.wrongArity(name));
            return;
        }
        Entry e = ks.lookupOrAdd(new Bytes(argv[1]), ValueType.HASH, out);
        if (e == null) {
            return;
        }
        HashValue hash = e.hash();
        hash.prepareFor(argv, 2, argv.length);
        int created = 0;
        for (int i = 2; i < argv.length; i += 2) {
            if (hash.put(new Bytes(argv[i]), argv[i + 1])) {
                created++;
            }
        }
        if (name.equals("hset")) {
            out.integer(created);
        } else {
            out.simple("OK");
        }
        journal.append(argv);
    }

    public void hsetnx(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookupOrAdd(new Bytes(argv[1]), ValueType.HASH, out);
        if (e == null) {
            return;
        }
        if (!e.hash().putIfAbsent(new Bytes(argv[2]), argv[3])) {
            out.integer(0);
            return;
        }
        out.integer(1);
        journal.append(argv);
    }

    public void hmget(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.HASH, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        out.arrayHeader(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            byte[] v = e == null ? null : e.hash().get(new Bytes(argv[i]));
            if (v == null) {
                out.nullBulk();
            } else {
                out.bulk(v);
            }
        }
    }

    public void hexists(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.HASH, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.integer(e.hash().containsKey(new Bytes(argv[2])) ? 1 : 0);
        }
    }

    public void hstrlen(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.HASH, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            byte[] v = e.hash().get(new Bytes(argv[2]));
            out.integer(v == null ? 0 : v.length);
        }
    }

    public void hkeys(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.HASH, out);
        if (e == null) {
            out.arrayHeader(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.arrayHeader(e.hash().size());
            e.hash().forEach((f, v) -> out.bulk(f));
        }
    }

    public void hvals(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.HASH, out);
        if (e == null) {
            out.arrayHeader(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.arrayHeader(e.hash().size());
            e.hash().forEach((f, v) -> out.bulk(v));
        }
    }

    public void hget(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.HASH, out);
        if (e == null) {
            out.nullBulk();
        } else if (e != Keyspace.WRONG_TYPE) {
            byte[] v = e.hash().get(new Bytes(argv[2]));
            if (v == null) {
                out.nullBulk();
            } else {
                out.bulk(v);
            }
        }
    }

    public void hdel(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.HASH, out);
        if (e == null) {
            out.integer(0);
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        HashValue hash = e.hash();
        int removed = 0;
        for (int i = 2; i < argv.length && !hash.isEmpty(); i++) {
            if (hash.remove(new Bytes(argv[i]))) {
                removed++;
            }
        }
        if (hash.isEmpty()) {
            ks.remove(e);
        }
        out.integer(removed);
        if (removed > 0) {
            journal.append(argv);
        }
    }

    /** A map reply in RESP3, a flat field/value array in RESP2. */
    public void hgetall(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.HASH, out);
        if (e == null) {
            out.mapHeader(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            HashValue hash = e.hash();
            out.mapHeader(hash.size());
            hash.forEach((f, v) -> {
                out.bulk(f);
                out.bulk(v);
            });
        }
    }

    public void hincrby(byte[][] argv, ReplySink out, Journal journal) {
        if (!Numbers.isLong(argv[3])) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        long by = Numbers.toLong(argv[3]);
        Entry e = ks.lookupOrAdd(new Bytes(argv[1]), ValueType.HASH, out);
        if (e == null) {
            return;
        }
        HashValue hash = e.hash();
        Bytes field = new Bytes(argv[2]);
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
    }

    public void hincrbyfloat(byte[][] argv, ReplySink out, Journal journal) {
        LongDouble by = LongDouble.parse(argv[3]);
        if (by == null) {
            out.error(Errors.NOT_FLOAT);
            return;
        }
        if (!by.isFinite()) {
            out.error(Errors.NAN_OR_INFINITY_VALUE);
            return;
        }
        Entry e = ks.lookupOrAdd(new Bytes(argv[1]), ValueType.HASH, out);
        if (e == null) {
            return;
        }
        HashValue hash = e.hash();
        Bytes field = new Bytes(argv[2]);
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
        journal.append(new byte[][] {HSET, argv[1], argv[2], text});
    }

    public void hlen(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.HASH, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.integer(e.hash().size());
        }
    }
}
