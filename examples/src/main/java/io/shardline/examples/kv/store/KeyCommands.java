package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * DEL, UNLINK, EXISTS, TOUCH, the EXPIRE family, TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST and TYPE, as Redis 7 runs them
 * (db.c, expire.c). Owned by one shard; not thread-safe.
 *
 * <p>Journal forms: DEL and UNLINK log {@code DEL} of the keys they actually removed; an expiry is
 * logged as {@code PEXPIREAT key <absolute ms>}, or as {@code DEL key} when the time has already
 * passed (the key is deleted on the spot, as Redis does).
 */
public final class KeyCommands {
    private static final byte[] DEL = Args.bytes("DEL");
    private static final byte[] PEXPIREAT = Args.bytes("PEXPIREAT");

    private static final int NX = 1;
    private static final int XX = 1 << 1;
    private static final int GT = 1 << 2;
    private static final int LT = 1 << 3;

    private final Keyspace ks;
    /** Keys looked up where the request holds them; {@link Keyspace#add} copies one it keeps. */
    private final Bytes probe = Bytes.probe();

    KeyCommands(Keyspace ks) {
        this.ks = ks;
    }

    /** DEL and UNLINK (there is no background freeing here, so they are the same). */
    public void del(Argv argv, ReplySink out, Journal journal) {
        byte[][] deleted = new byte[argv.count() - 1][];
        int n = 0;
        for (int i = 1; i < argv.count(); i++) {
            Entry e = ks.lookup(probe.point(argv, i));
            if (e != null) {
                ks.remove(e);
                deleted[n++] = argv.bytes(i);
                ks.notifier().notify(Notifier.GENERIC, "del", argv, i);
            }
        }
        out.integer(n);
        if (n > 0) {
            byte[][] entry = new byte[n + 1][];
            entry[0] = DEL;
            System.arraycopy(deleted, 0, entry, 1, n);
            journal.append(entry);
        }
    }

    /** Counts every argument naming a live key, repeats included. */
    public void exists(Argv argv, ReplySink out, Journal journal) {
        long n = 0;
        for (int i = 1; i < argv.count(); i++) {
            if (ks.peek(probe.point(argv, i)) != null) { // not an access, as Redis's LOOKUP_NOTOUCH
                n++;
            }
        }
        out.integer(n);
    }

    /** TOUCH: counts the live keys named (repeats included) and sets their access time, as Redis' lookupKeyRead. */
    public void touch(Argv argv, ReplySink out, Journal journal) {
        long n = 0;
        for (int i = 1; i < argv.count(); i++) {
            if (ks.lookup(probe.point(argv, i)) != null) {
                n++;
            }
        }
        out.integer(n);
    }

    public void expire(Argv argv, ReplySink out, Journal journal) {
        setExpiry(argv, out, journal, ks.now(), true, "expire");
    }

    public void pexpire(Argv argv, ReplySink out, Journal journal) {
        setExpiry(argv, out, journal, ks.now(), false, "pexpire");
    }

    public void expireat(Argv argv, ReplySink out, Journal journal) {
        setExpiry(argv, out, journal, 0, true, "expireat");
    }

    public void pexpireat(Argv argv, ReplySink out, Journal journal) {
        setExpiry(argv, out, journal, 0, false, "pexpireat");
    }

    /** expireGenericCommand: {@code base} is now for relative forms, 0 for the *AT forms. */
    private void setExpiry(Argv argv, ReplySink out, Journal journal, long base, boolean seconds, String name) {
        int flags = 0;
        for (int i = 3; i < argv.count(); i++) {
            byte[] opt = argv.bytes(i);
            if (Args.is(opt, "nx")) {
                flags |= NX;
            } else if (Args.is(opt, "xx")) {
                flags |= XX;
            } else if (Args.is(opt, "gt")) {
                flags |= GT;
            } else if (Args.is(opt, "lt")) {
                flags |= LT;
            } else {
                out.error(Errors.unsupportedOption(opt));
                return;
            }
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            out.error(Errors.EXPIRE_NX_CONFLICT);
            return;
        }
        if ((flags & (GT | LT)) == (GT | LT)) {
            out.error(Errors.EXPIRE_GT_LT);
            return;
        }
        if (!Numbers.isLong(argv, 2)) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        long when = Numbers.toLong(argv, 2); // negative is allowed: the key then expires at once
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                out.error(Errors.invalidExpire(name));
                return;
            }
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - base) {
            out.error(Errors.invalidExpire(name));
            return;
        }
        when += base;
        Entry e = ks.lookup(probe.point(argv, 1));
        if (e == null) {
            out.integer(0);
            return;
        }
        long current = ks.expireAt(e); // -1 without a TTL, as Redis' getExpire
        boolean refused = ((flags & NX) != 0 && current != Entry.NO_EXPIRY)
                || ((flags & XX) != 0 && current == Entry.NO_EXPIRY)
                || ((flags & GT) != 0 && (when <= current || current == Entry.NO_EXPIRY))
                || ((flags & LT) != 0 && current != Entry.NO_EXPIRY && when >= current);
        if (refused) {
            out.integer(0);
            return;
        }
        if (when <= ks.now() && !ks.isLoading()) {
            ks.remove(e);
            out.integer(1);
            journal.append(new byte[][] {DEL, argv.bytes(1)});
            ks.notifier().notify(Notifier.GENERIC, "del", argv, 1);
            return;
        }
        ks.setExpire(e, when);
        out.integer(1);
        journal.append(new byte[][] {PEXPIREAT, argv.bytes(1), Numbers.ascii(when)});
        ks.notifier().notify(Notifier.GENERIC, "expire", argv, 1);
    }

    public void ttl(Argv argv, ReplySink out, Journal journal) {
        replyTtl(argv, out, false);
    }

    public void pttl(Argv argv, ReplySink out, Journal journal) {
        replyTtl(argv, out, true);
    }

    public void expiretime(Argv argv, ReplySink out, Journal journal) {
        replyTtl(argv, out, false, true);
    }

    public void pexpiretime(Argv argv, ReplySink out, Journal journal) {
        replyTtl(argv, out, true, true);
    }

    private void replyTtl(Argv argv, ReplySink out, boolean millis) {
        replyTtl(argv, out, millis, false);
    }

    /** ttlGenericCommand: -2 missing, -1 without a TTL, else the time left or ({@code absolute}) the Unix time. */
    private void replyTtl(Argv argv, ReplySink out, boolean millis, boolean absolute) {
        Entry e = ks.peek(probe.point(argv, 1)); // not an access, as Redis's LOOKUP_NOTOUCH
        if (e == null) {
            out.integer(-2);
        } else if (ks.expireAt(e) == Entry.NO_EXPIRY) {
            out.integer(-1);
        } else {
            long ttl = Math.max(absolute ? ks.expireAt(e) : ks.expireAt(e) - ks.now(), 0);
            out.integer(millis ? ttl : (ttl + 500) / 1000); // seconds are rounded, as Redis does
        }
    }

    public void persist(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1));
        if (e != null && ks.persist(e)) {
            out.integer(1);
            journal.append(argv);
            ks.notifier().notify(Notifier.GENERIC, "persist", argv, 1);
        } else {
            out.integer(0);
        }
    }

    public void type(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.peek(probe.point(argv, 1)); // not an access, as Redis's LOOKUP_NOTOUCH
        out.simple(e == null ? "none" : e.type().redisName());
    }
}
