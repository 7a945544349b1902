package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * GET, SET and its relatives (GETEX, GETDEL, GETSET, SETNX...), APPEND, STRLEN, the INCR family, MGET and MSET, as Redis 7 runs them
 * (t_string.c). Owned by one shard; not thread-safe.
 *
 * <p>Journal forms: every successful SET-like write becomes a plain {@code SET key value}, with
 * {@code PXAT <absolute ms>} when it set a TTL or {@code KEEPTTL} when it kept one, so NX/XX/GET and
 * relative times never reach the log; INCRBYFLOAT becomes {@code SET key <result> KEEPTTL}; GETEX
 * becomes {@code PEXPIREAT}, {@code PERSIST} or {@code DEL}, GETDEL {@code DEL}, a successful MSETNX
 * the {@code MSET} it amounts to; the others are logged as sent, which replays to the same effect.
 */
public final class StringCommands {
    private static final byte[] SET = Args.bytes("SET");
    private static final byte[] PXAT = Args.bytes("PXAT");
    private static final byte[] KEEPTTL = Args.bytes("KEEPTTL");
    private static final byte[] DEL = Args.bytes("DEL");
    private static final byte[] PEXPIREAT = Args.bytes("PEXPIREAT");
    private static final byte[] PERSIST = Args.bytes("PERSIST");
    private static final byte[] MSET = Args.bytes("MSET");
    /** Redis' proto-max-bulk-len default: APPEND may not grow a string past it. */
    private static final long MAX_STRING = 512L * 1024 * 1024;

    private final Keyspace ks;
    /** GET's and SET's key, looked up where it arrived; copied only when SET adds it. */
    private final Bytes probe = Bytes.probe();

    StringCommands(Keyspace ks) {
        this.ks = ks;
    }

    public void get(Argv argv, ReplySink out, Journal journal) {
        getReply(probe.point(argv, 1), out);
    }

    /**
     * GET's reply for {@code key}, which SET ... GET and GETSET send before writing: returns the entry
     * (null if missing), or {@link Keyspace#WRONG_TYPE} after replying WRONGTYPE.
     */
    private Entry getReply(Bytes key, ReplySink out) {
        Entry e = ks.lookup(key, ValueType.STRING, out);
        if (e == null) {
            out.nullBulk();
        } else if (e != Keyspace.WRONG_TYPE) {
            out.bulk(e.stringBytes(), e.stringOffset(), e.stringLength());
        }
        return e;
    }

    /** SET key value [NX | XX] [GET] [EX s | PX ms | EXAT s | PXAT ms | KEEPTTL]. */
    public void set(Argv argv, ReplySink out, Journal journal) {
        if (argv.count() == 3) {
            // Plain SET key value, the common case: no options to parse, the entry reused if present.
            Bytes key = probe.point(argv, 1);
            Entry e = ks.lookup(key);
            if (argv.contentEquals(0, SET)) {
                // The value is copied once, from the request into the record (in place if as long).
                if (e == null) {
                    ks.addString(key, argv.array(2), argv.offset(2), argv.length(2));
                } else {
                    e.setString(argv.array(2), argv.offset(2), argv.length(2));
                    ks.persist(e);
                }
                journal.append(argv); // exactly the entry store() would build
                ks.notifier().notify(Notifier.STRING, "set", key);
            } else {
                store(key, e, argv.bytes(2), Entry.NO_EXPIRY, false, journal);
            }
            out.simple("OK");
            return;
        }
        SetOptions o = SetOptions.parse(argv, 3, true, out);
        if (o == null) {
            return;
        }
        int flags = o.flags();
        long at = o.expireAt(ks.now(), "set", out);
        if (at == SetOptions.FAILED) {
            return;
        }
        Bytes key = probe.point(argv, 1);
        // without GET, SET overwrites a value of any type
        Entry e = (flags & SetOptions.GET) != 0 ? getReply(key, out) : ks.lookup(key);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (((flags & SetOptions.NX) != 0 && e != null) || ((flags & SetOptions.XX) != 0 && e == null)) {
            if ((flags & SetOptions.GET) == 0) {
                out.nullBulk();
            }
            return;
        }
        store(key, e, argv.bytes(2), at, (flags & SetOptions.KEEP_TTL) != 0, journal);
        if ((flags & SetOptions.GET) == 0) {
            out.simple("OK");
        }
    }

    /** GETEX key [EX s | PX ms | EXAT s | PXAT ms | PERSIST]: logged as PEXPIREAT, PERSIST or DEL. */
    public void getex(Argv argv, ReplySink out, Journal journal) {
        SetOptions o = SetOptions.parse(argv, 2, false, out);
        if (o == null) {
            return;
        }
        Bytes key = new Bytes(argv.bytes(1));
        Entry e = ks.lookup(key, ValueType.STRING, out);
        if (e == null) {
            out.nullBulk();
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        long at = o.expireAt(ks.now(), "getex", out); // checked after the key, as getexCommand does
        if (at == SetOptions.FAILED) {
            return;
        }
        out.bulk(e.stringBytes(), e.stringOffset(), e.stringLength());
        if (o.has(SetOptions.EXAT | SetOptions.PXAT) && at <= ks.now() && !ks.isLoading()) {
            ks.remove(e); // an absolute time already past deletes, as checkAlreadyExpired does
            journal.append(new byte[][] {DEL, key.bytes});
            ks.notifier().notify(Notifier.GENERIC, "del", key.bytes);
        } else if (at != Entry.NO_EXPIRY) {
            ks.setExpire(e, at);
            journal.append(new byte[][] {PEXPIREAT, key.bytes, Numbers.ascii(at)});
            ks.notifier().notify(Notifier.GENERIC, "expire", key.bytes);
        } else if (o.has(SetOptions.PERSIST) && ks.persist(e)) {
            journal.append(new byte[][] {PERSIST, key.bytes});
            ks.notifier().notify(Notifier.GENERIC, "persist", key.bytes);
        }
    }

    /** GETDEL key: GET, then the key is deleted (logged as DEL). */
    public void getdel(Argv argv, ReplySink out, Journal journal) {
        Bytes key = new Bytes(argv.bytes(1));
        Entry e = getReply(key, out);
        if (e != null && e != Keyspace.WRONG_TYPE) {
            ks.remove(e);
            journal.append(new byte[][] {DEL, key.bytes});
            ks.notifier().notify(Notifier.GENERIC, "del", key.bytes);
        }
    }

    public void setnx(Argv argv, ReplySink out, Journal journal) {
        Bytes key = new Bytes(argv.bytes(1));
        Entry e = ks.lookup(key);
        if (e != null) {
            out.integer(0);
            return;
        }
        store(key, null, argv.bytes(2), Entry.NO_EXPIRY, false, journal);
        out.integer(1);
    }

    public void setex(Argv argv, ReplySink out, Journal journal) {
        setWithTtl(argv, out, journal, true, "setex");
    }

    public void psetex(Argv argv, ReplySink out, Journal journal) {
        setWithTtl(argv, out, journal, false, "psetex");
    }

    private void setWithTtl(Argv argv, ReplySink out, Journal journal, boolean seconds, String name) {
        long at = SetOptions.expireTime(argv.bytes(2), seconds, true, ks.now(), name, out);
        if (at == SetOptions.FAILED) {
            return;
        }
        Bytes key = new Bytes(argv.bytes(1));
        store(key, ks.lookup(key), argv.bytes(3), at, false, journal);
        out.simple("OK");
    }

    public void getset(Argv argv, ReplySink out, Journal journal) {
        Bytes key = new Bytes(argv.bytes(1));
        Entry e = getReply(key, out);
        if (e != Keyspace.WRONG_TYPE) {
            store(key, e, argv.bytes(2), Entry.NO_EXPIRY, false, journal);
        }
    }

    /**
     * Makes {@code key} the string {@code value}: with TTL {@code at} if given, else keeping or
     * dropping the old TTL; logs the plain SET this amounts to.
     */
    private void store(Bytes key, Entry e, byte[] value, long at, boolean keepTtl, Journal journal) {
        e = at == Entry.NO_EXPIRY && !keepTtl ? put(key, e, value) : set(key, e, value);
        byte[] k = e.key(); // a copy of the stored key: a probe is only a view
        ks.notifier().notify(Notifier.STRING, "set", k);
        if (at != Entry.NO_EXPIRY) {
            ks.setExpire(e, at);
            journal.append(new byte[][] {SET, k, value, PXAT, Numbers.ascii(at)});
            ks.notifier().notify(Notifier.GENERIC, "expire", k);
        } else if (keepTtl) {
            journal.append(new byte[][] {SET, k, value, KEEPTTL});
        } else {
            journal.append(new byte[][] {SET, k, value});
        }
    }

    /** {@code key} (maybe a probe) now holds the string {@code value}, in entry {@code e} if it has one. */
    private Entry set(Bytes key, Entry e, byte[] value) {
        if (e == null) {
            return ks.add(key.owned(), ValueType.STRING, value);
        }
        e.setString(value);
        return e;
    }

    /** {@link #set}, dropping any TTL: a SET without KEEPTTL or an expiry. */
    private Entry put(Bytes key, Entry e, byte[] value) {
        e = set(key, e, value);
        ks.persist(e);
        return e;
    }

    public void append(Argv argv, ReplySink out, Journal journal) {
        Bytes key = new Bytes(argv.bytes(1));
        Entry e = ks.lookup(key, ValueType.STRING, out);
        byte[] tail = argv.bytes(2);
        long length;
        if (e == null) {
            ks.add(key, ValueType.STRING, tail);
            length = tail.length;
        } else if (e == Keyspace.WRONG_TYPE) {
            return;
        } else {
            int oldLength = e.stringLength();
            length = (long) oldLength + tail.length;
            if (length > MAX_STRING) {
                out.error(Errors.STRING_TOO_LONG);
                return;
            }
            byte[] joined = new byte[(int) length]; // copies the whole string: O(length) per APPEND
            System.arraycopy(e.stringBytes(), e.stringOffset(), joined, 0, oldLength);
            System.arraycopy(tail, 0, joined, oldLength, tail.length);
            e.setString(joined);
            e.markRaw();
        }
        out.integer(length);
        journal.append(argv);
        ks.notifier().notify(Notifier.STRING, "append", key.bytes);
    }

    public void strlen(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.STRING, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.integer(e.stringLength());
        }
    }

    public void incr(Argv argv, ReplySink out, Journal journal) {
        addToInteger(argv, 1, out, journal);
    }

    public void decr(Argv argv, ReplySink out, Journal journal) {
        addToInteger(argv, -1, out, journal);
    }

    public void incrby(Argv argv, ReplySink out, Journal journal) {
        if (!Numbers.isLong(argv, 2)) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        addToInteger(argv, Numbers.toLong(argv, 2), out, journal);
    }

    public void decrby(Argv argv, ReplySink out, Journal journal) {
        if (!Numbers.isLong(argv, 2)) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        long by = Numbers.toLong(argv, 2);
        if (by == Long.MIN_VALUE) {
            out.error(Errors.DECREMENT_OVERFLOW); // its negation does not fit
            return;
        }
        addToInteger(argv, -by, out, journal);
    }

    private void addToInteger(Argv argv, long by, ReplySink out, Journal journal) {
        Bytes key = new Bytes(argv.bytes(1));
        Entry e = ks.lookup(key, ValueType.STRING, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        long value = 0;
        if (e != null) {
            if (!Numbers.isLong(e.string())) {
                out.error(Errors.NOT_INTEGER);
                return;
            }
            value = Numbers.toLong(e.string());
        }
        if ((by < 0 && value < 0 && by < Long.MIN_VALUE - value) || (by > 0 && value > 0 && by > Long.MAX_VALUE - value)) {
            out.error(Errors.OVERFLOW);
            return;
        }
        value += by;
        byte[] text = Numbers.ascii(value);
        if (e == null) {
            ks.add(key, ValueType.STRING, text);
        } else {
            e.setString(text); // the TTL stays, as Redis keeps it
        }
        out.integer(value);
        journal.append(argv);
        ks.notifier().notify(Notifier.STRING, "incrby", key.bytes);
    }

    public void incrbyfloat(Argv argv, ReplySink out, Journal journal) {
        Bytes key = new Bytes(argv.bytes(1));
        Entry e = ks.lookup(key, ValueType.STRING, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        LongDouble value = e == null ? LongDouble.parse(new byte[] {'0'}) : LongDouble.parse(e.string());
        LongDouble by = value == null ? null : LongDouble.parse(argv.bytes(2));
        if (value == null || by == null) {
            out.error(Errors.NOT_FLOAT);
            return;
        }
        LongDouble sum = value.add(by);
        if (!sum.isFinite()) {
            out.error(Errors.NAN_OR_INFINITY);
            return;
        }
        byte[] text = sum.toHumanString();
        if (e == null) {
            e = ks.add(key, ValueType.STRING, text);
        } else {
            e.setString(text);
        }
        e.markNotInt();
        out.bulk(text);
        journal.append(new byte[][] {SET, key.bytes, text, KEEPTTL});
        ks.notifier().notify(Notifier.STRING, "incrbyfloat", key.bytes);
    }

    public void mget(Argv argv, ReplySink out, Journal journal) {
        out.arrayHeader(argv.count() - 1);
        for (int i = 1; i < argv.count(); i++) {
            Entry e = ks.lookup(probe.point(argv, i));
            if (e == null || e.type() != ValueType.STRING) {
                out.nullBulk();
            } else {
                out.bulk(e.stringBytes(), e.stringOffset(), e.stringLength());
            }
        }
    }

    public void mset(Argv argv, ReplySink out, Journal journal) {
        if (argv.count() % 2 == 0) {
            out.error(Errors.wrongArity("mset"));
            return;
        }
        for (int i = 1; i < argv.count(); i += 2) {
            ks.setString(argv.bytes(i), argv.bytes(i + 1));
            ks.notifier().notify(Notifier.STRING, "set", argv, i);
        }
        out.simple("OK");
        journal.append(argv);
    }

    /** MSETNX: sets every pair only if none of the keys exists (logged as the MSET it amounts to). */
    public void msetnx(Argv argv, ReplySink out, Journal journal) {
        for (int i = 1; i < argv.count(); i += 2) {
            if (ks.lookup(probe.point(argv, i)) != null) {
                out.integer(0);
                return;
            }
        }
        for (int i = 1; i < argv.count(); i += 2) {
            ks.setString(argv.bytes(i), argv.bytes(i + 1));
            ks.notifier().notify(Notifier.STRING, "set", argv, i);
        }
        out.integer(1);
        byte[][] entry = argv.toArray();
        entry[0] = MSET;
        journal.append(entry);
    }
}
