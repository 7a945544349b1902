package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;

/**
 * GET, SET and its relatives, APPEND, STRLEN, the INCR family, MGET and MSET, as Redis 7 runs them
 * (t_string.c). Owned by one shard; not thread-safe.
 *
 * <p>Journal forms: every successful SET-like write becomes a plain {@code SET key value}, with
 * {@code PXAT <absolute ms>} when it set a TTL or {@code KEEPTTL} when it kept one, so NX/XX/GET and
 * relative times never reach the log; INCRBYFLOAT becomes {@code SET key <result> KEEPTTL}; the
 * others are logged as sent, which replays to the same effect.
 */
public final class StringCommands {
    private static final byte[] SET = Args.bytes("SET");
    private static final byte[] PXAT = Args.bytes("PXAT");
    private static final byte[] KEEPTTL = Args.bytes("KEEPTTL");
    /** Redis' proto-max-bulk-len default: APPEND may not grow a string past it. */
    private static final long MAX_STRING = 512L * 1024 * 1024;
    /** Returned by {@link #expireTime} after it replied an error (valid times are positive). */
    private static final long FAILED = Long.MIN_VALUE;

    private static final int NX = 1;
    private static final int XX = 1 << 1;
    private static final int GET = 1 << 2;
    private static final int KEEP_TTL = 1 << 3;
    private static final int EX = 1 << 4;
    private static final int PX = 1 << 5;
    private static final int EXAT = 1 << 6;
    private static final int PXAT_FLAG = 1 << 7;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT_FLAG;

    private final Keyspace ks;

    StringCommands(Keyspace ks) {
        this.ks = ks;
    }

    public void get(byte[][] argv, ReplySink out, Journal journal) {
        getReply(new Bytes(argv[1]), out);
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
            out.bulk(e.string());
        }
        return e;
    }

    /** SET key value [NX | XX] [GET] [EX s | PX ms | EXAT s | PXAT ms | KEEPTTL]. */
    public void set(byte[][] argv, ReplySink out, Journal journal) {
        int flags = 0;
        byte[] expire = null;
        for (int i = 3; i < argv.length; i++) {
            byte[] opt = argv[i];
            boolean hasNext = i < argv.length - 1;
            // Same acceptance rules as parseExtendedStringArgumentsOrReply, conflicts included.
            if (Args.is(opt, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (Args.is(opt, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (Args.is(opt, "get")) {
                flags |= GET;
            } else if (Args.is(opt, "keepttl") && (flags & ANY_EXPIRE) == 0) {
                flags |= KEEP_TTL;
            } else if (Args.is(opt, "ex") && (flags & (KEEP_TTL | EXAT | PX | PXAT_FLAG)) == 0 && hasNext) {
                flags |= EX;
                expire = argv[++i];
            } else if (Args.is(opt, "px") && (flags & (KEEP_TTL | EX | EXAT | PXAT_FLAG)) == 0 && hasNext) {
                flags |= PX;
                expire = argv[++i];
            } else if (Args.is(opt, "exat") && (flags & (KEEP_TTL | EX | PX | PXAT_FLAG)) == 0 && hasNext) {
                flags |= EXAT;
                expire = argv[++i];
            } else if (Args.is(opt, "pxat") && (flags & (KEEP_TTL | EX | EXAT | PX)) == 0 && hasNext) {
                flags |= PXAT_FLAG;
                expire = argv[++i];
            } else {
                out.error(Errors.SYNTAX);
                return;
            }
        }
        long at = Entry.NO_EXPIRY;
        if (expire != null) {
            at = expireTime(expire, (flags & (EX | EXAT)) != 0, (flags & (EX | PX)) != 0, "set", out);
            if (at == FAILED) {
                return;
            }
        }
        Bytes key = new Bytes(argv[1]);
        // without GET, SET overwrites a value of any type
        Entry e = (flags & GET) != 0 ? getReply(key, out) : ks.lookup(key);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (((flags & NX) != 0 && e != null) || ((flags & XX) != 0 && e == null)) {
            if ((flags & GET) == 0) {
                out.nullBulk();
            }
            return;
        }
        store(key, e, argv[2], at, (flags & KEEP_TTL) != 0, journal);
        if ((flags & GET) == 0) {
            out.simple("OK");
        }
    }

    public void setnx(byte[][] argv, ReplySink out, Journal journal) {
        Bytes key = new Bytes(argv[1]);
        Entry e = ks.lookup(key);
        if (e != null) {
            out.integer(0);
            return;
        }
        store(key, null, argv[2], Entry.NO_EXPIRY, false, journal);
        out.integer(1);
    }

    public void setex(byte[][] argv, ReplySink out, Journal journal) {
        setWithTtl(argv, out, journal, true, "setex");
    }

    public void psetex(byte[][] argv, ReplySink out, Journal journal) {
        setWithTtl(argv, out, journal, false, "psetex");
    }

    private void setWithTtl(byte[][] argv, ReplySink out, Journal journal, boolean seconds, String name) {
        long at = expireTime(argv[2], seconds, true, name, out);
        if (at == FAILED) {
            return;
        }
        Bytes key = new Bytes(argv[1]);
        store(key, ks.lookup(key), argv[3], at, false, journal);
        out.simple("OK");
    }

    public void getset(byte[][] argv, ReplySink out, Journal journal) {
        Bytes key = new Bytes(argv[1]);
        Entry e = getReply(key, out);
        if (e != Keyspace.WRONG_TYPE) {
            store(key, e, argv[2], Entry.NO_EXPIRY, false, journal);
        }
    }

    /**
     * Makes {@code key} the string {@code value}: with TTL {@code at} if given, else keeping or
     * dropping the old TTL; logs the plain SET this amounts to.
     */
    private void store(Bytes key, Entry e, byte[] value, long at, boolean keepTtl, Journal journal) {
        if (e == null) {
            e = ks.add(key, ValueType.STRING, value);
        } else {
            e.type = ValueType.STRING;
            e.value = value;
        }
        if (at != Entry.NO_EXPIRY) {
            ks.setExpire(e, at);
            journal.append(new byte[][] {SET, key.bytes, value, PXAT, Numbers.ascii(at)});
        } else if (keepTtl) {
            journal.append(new byte[][] {SET, key.bytes, value, KEEPTTL});
        } else {
            ks.persist(e);
            journal.append(new byte[][] {SET, key.bytes, value});
        }
    }

    /**
     * getExpireMillisecondsOrReply: the absolute expiry in ms that {@code arg} gives, or
     * {@link #FAILED} after replying "not an integer" or "invalid expire time".
     */
    private long expireTime(byte[] arg, boolean seconds, boolean relative, String name, ReplySink out) {
        if (!Numbers.isLong(arg)) {
            out.error(Errors.NOT_INTEGER);
            return FAILED;
        }
        long ms = Numbers.toLong(arg);
        if (ms <= 0 || (seconds && ms > Long.MAX_VALUE / 1000)) {
            out.error(Errors.invalidExpire(name));
            return FAILED;
        }
        if (seconds) {
            ms *= 1000;
        }
        if (relative) {
            ms += ks.now(); // may wrap like C's signed addition; caught just below
        }
        if (ms <= 0) {
            out.error(Errors.invalidExpire(name));
            return FAILED;
        }
        return ms;
    }

    public void append(byte[][] argv, ReplySink out, Journal journal) {
        Bytes key = new Bytes(argv[1]);
        Entry e = ks.lookup(key, ValueType.STRING, out);
        byte[] tail = argv[2];
        long length;
        if (e == null) {
            ks.add(key, ValueType.STRING, tail);
            length = tail.length;
        } else if (e == Keyspace.WRONG_TYPE) {
            return;
        } else {
            byte[] old = e.string();
            length = (long) old.length + tail.length;
            if (length > MAX_STRING) {
                out.error(Errors.STRING_TOO_LONG);
                return;
            }
            byte[] joined = new byte[(int) length]; // copies the whole string: O(length) per APPEND
            System.arraycopy(old, 0, joined, 0, old.length);
            System.arraycopy(tail, 0, joined, old.length, tail.length);
            e.value = joined;
        }
        out.integer(length);
        journal.append(argv);
    }

    public void strlen(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.STRING, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.integer(e.string().length);
        }
    }

    public void incr(byte[][] argv, ReplySink out, Journal journal) {
        addToInteger(argv, 1, out, journal);
    }

    public void decr(byte[][] argv, ReplySink out, Journal journal) {
        addToInteger(argv, -1, out, journal);
    }

    public void incrby(byte[][] argv, ReplySink out, Journal journal) {
        if (!Numbers.isLong(argv[2])) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        addToInteger(argv, Numbers.toLong(argv[2]), out, journal);
    }

    public void decrby(byte[][] argv, ReplySink out, Journal journal) {
        if (!Numbers.isLong(argv[2])) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        long by = Numbers.toLong(argv[2]);
        if (by == Long.MIN_VALUE) {
            out.error(Errors.DECREMENT_OVERFLOW); // its negation does not fit
            return;
        }
        addToInteger(argv, -by, out, journal);
    }

    private void addToInteger(byte[][] argv, long by, ReplySink out, Journal journal) {
        Bytes key = new Bytes(argv[1]);
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
            e.value = text; // the TTL stays, as Redis keeps it
        }
        out.integer(value);
        journal.append(argv);
    }

    public void incrbyfloat(byte[][] argv, ReplySink out, Journal journal) {
        Bytes key = new Bytes(argv[1]);
        Entry e = ks.lookup(key, ValueType.STRING, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        LongDouble value = e == null ? LongDouble.parse(new byte[] {'0'}) : LongDouble.parse(e.string());
        LongDouble by = value == null ? null : LongDouble.parse(argv[2]);
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
            ks.add(key, ValueType.STRING, text);
        } else {
            e.value = text;
        }
        out.bulk(text);
        journal.append(new byte[][] {SET, key.bytes, text, KEEPTTL});
    }

    public void mget(byte[][] argv, ReplySink out, Journal journal) {
        out.arrayHeader(argv.length - 1);
        for (int i = 1; i < argv.length; i++) {
            Entry e = ks.lookup(new Bytes(argv[i]));
            if (e == null || e.type != ValueType.STRING) {
                out.nullBulk();
            } else {
                out.bulk(e.string());
            }
        }
    }

    public void mset(byte[][] argv, ReplySink out, Journal journal) {
        if (argv.length % 2 == 0) {
            out.error(Errors.wrongArity("mset"));
            return;
        }
        for (int i = 1; i < argv.length; i += 2) {
            ks.setString(argv[i], argv[i + 1]);
        }
        out.simple("OK");
        journal.append(argv);
    }
}
