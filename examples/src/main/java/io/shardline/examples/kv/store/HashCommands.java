package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HSET, HGET, HDEL, HGETALL, HINCRBY and HLEN, as Redis 7 runs them (t_hash.c). Fields keep insertion
 * order, as a small Redis hash replies. A hash that becomes empty is deleted. Owned by one shard; not
 * thread-safe.
 *
 * <p>Journal forms: as sent (HSET always, as Redis propagates it; HDEL when it removed something).
 */
public final class HashCommands {
    private final Keyspace ks;

    HashCommands(Keyspace ks) {
        this.ks = ks;
    }

    public void hset(byte[][] argv, ReplySink out, Journal journal) {
        if (argv.length % 2 == 1) {
            out.error(Errors.wrongArity("hset"));
            return;
        }
        Entry e = ks.lookupOrAdd(new Bytes(argv[1]), ValueType.HASH, out);
        if (e == null) {
            return;
        }
        LinkedHashMap<Bytes, byte[]> hash = e.hash();
        int created = 0;
        for (int i = 2; i < argv.length; i += 2) {
            if (hash.put(new Bytes(argv[i]), argv[i + 1]) == null) {
                created++;
            }
        }
        out.integer(created);
        journal.append(argv);
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
        LinkedHashMap<Bytes, byte[]> hash = e.hash();
        int removed = 0;
        for (int i = 2; i < argv.length && !hash.isEmpty(); i++) {
            if (hash.remove(new Bytes(argv[i])) != null) {
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
            LinkedHashMap<Bytes, byte[]> hash = e.hash();
            out.mapHeader(hash.size());
            for (Map.Entry<Bytes, byte[]> f : hash.entrySet()) {
                out.bulk(f.getKey().bytes);
                out.bulk(f.getValue());
            }
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
        LinkedHashMap<Bytes, byte[]> hash = e.hash();
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

    public void hlen(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.HASH, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.integer(e.hash().size());
        }
    }
}
