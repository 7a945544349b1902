package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * The options SET and GETEX take, parsed and checked as Redis' {@code parseExtendedStringArgumentsOrReply}
 * and {@code getExpireMillisecondsOrReply} do, conflicts included. Immutable once parsed; any thread.
 *
 * @param flags the options seen, as the bit constants below
 * @param expire the argument of EX/PX/EXAT/PXAT, or null
 */
record SetOptions(int flags, byte[] expire) {
    static final int NX = 1;
    static final int XX = 1 << 1;
    static final int GET = 1 << 2;
    static final int KEEP_TTL = 1 << 3;
    static final int EX = 1 << 4;
    static final int PX = 1 << 5;
    static final int EXAT = 1 << 6;
    static final int PXAT = 1 << 7;
    static final int PERSIST = 1 << 8;
    static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;
    /** Returned by {@link #expireTime} after it replied an error (valid times are positive). */
    static final long FAILED = Long.MIN_VALUE;

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /**
     * The options from argument {@code from} on, for SET ({@code forSet}: NX, XX, GET, KEEPTTL) or GETEX
     * (PERSIST), each also taking EX, PX, EXAT and PXAT; null after replying the error.
     */
    static SetOptions parse(Argv argv, int from, boolean forSet, ReplySink out) {
        int flags = 0;
        byte[] expire = null;
        for (int i = from; i < argv.count(); i++) {
            byte[] opt = argv.bytes(i);
            boolean hasNext = i < argv.count() - 1;
            if (forSet && Args.is(opt, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (forSet && Args.is(opt, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (forSet && Args.is(opt, "get")) {
                flags |= GET;
            } else if (forSet && Args.is(opt, "keepttl") && (flags & (ANY_EXPIRE | PERSIST)) == 0) {
                flags |= KEEP_TTL;
            } else if (!forSet && Args.is(opt, "persist") && (flags & (ANY_EXPIRE | KEEP_TTL)) == 0) {
                flags |= PERSIST;
            } else if (Args.is(opt, "ex") && (flags & (KEEP_TTL | PERSIST | EXAT | PX | PXAT)) == 0 && hasNext) {
                flags |= EX;
                expire = argv.bytes(++i);
            } else if (Args.is(opt, "px") && (flags & (KEEP_TTL | PERSIST | EX | EXAT | PXAT)) == 0 && hasNext) {
                flags |= PX;
                expire = argv.bytes(++i);
            } else if (Args.is(opt, "exat") && (flags & (KEEP_TTL | PERSIST | EX | PX | PXAT)) == 0 && hasNext) {
                flags |= EXAT;
                expire = argv.bytes(++i);
            } else if (Args.is(opt, "pxat") && (flags & (KEEP_TTL | PERSIST | EX | EXAT | PX)) == 0 && hasNext) {
                flags |= PXAT;
                expire = argv.bytes(++i);
            } else {
                out.error(Errors.SYNTAX);
                return null;
            }
        }
        return new SetOptions(flags, expire);
    }

    /**
     * The absolute expiry in Unix ms the options give, {@link Entry#NO_EXPIRY} without one, or
     * {@link #FAILED} after replying the error. SET checks it before the key, GETEX after.
     */
    long expireAt(long now, String name, ReplySink out) {
        if (expire == null) {
            return Entry.NO_EXPIRY;
        }
        return expireTime(expire, (flags & (EX | EXAT)) != 0, (flags & (EX | PX)) != 0, now, name, out);
    }

    /**
     * getExpireMillisecondsOrReply: the absolute expiry in ms that {@code arg} gives, or
     * {@link #FAILED} after replying "not an integer" or "invalid expire time".
     */
    static long expireTime(byte[] arg, boolean seconds, boolean relative, long now, String name, ReplySink out) {
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
            ms += now; // may wrap like C's signed addition; caught just below
        }
        if (ms <= 0) {
            out.error(Errors.invalidExpire(name));
            return FAILED;
        }
        return ms;
    }
}
