package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.util.ArrayList;
import java.util.List;

/**
 * RENAME, RENAMENX and COPY with both keys on this shard, as Redis 7 runs them (db.c), and the
 * replayable commands that rebuild one key elsewhere (what a move across shards logs). Owned by one
 * shard; not thread-safe.
 *
 * <p>Journal forms: each is logged as sent when it changed something; it replays to the same keys.
 */
public final class KeyCopyCommands {
    private static final byte[] SET = Args.bytes("SET");
    private static final byte[] APPEND = Args.bytes("APPEND");
    private static final byte[] PXAT = Args.bytes("PXAT");
    private static final byte[] RPUSH = Args.bytes("RPUSH");
    private static final byte[] SADD = Args.bytes("SADD");
    private static final byte[] ZADD = Args.bytes("ZADD");
    private static final byte[] HSET = Args.bytes("HSET");
    private static final byte[] PEXPIREAT = Args.bytes("PEXPIREAT");

    private final Keyspace ks;
    /** The shard's databases, for COPY ... DB; set by {@link DataCommands}. */
    java.util.function.Supplier<Databases> databases = () -> null;
    /** Keys looked up where the request holds them; {@link Keyspace#add} copies one it keeps. */
    private final Bytes probe = Bytes.probe();

    KeyCopyCommands(Keyspace ks) {
        this.ks = ks;
    }

    public void rename(Argv argv, ReplySink out, Journal journal) {
        rename(argv, false, out, journal);
    }

    public void renamenx(Argv argv, ReplySink out, Journal journal) {
        rename(argv, true, out, journal);
    }

    private void rename(Argv argv, boolean nx, ReplySink out, Journal journal) {
        Entry from = ks.lookup(probe.point(argv, 1));
        if (from == null) {
            out.error(Errors.NO_SUCH_KEY);
            return;
        }
        if (java.util.Arrays.equals(argv.bytes(1), argv.bytes(2))) {
            reply(nx, out, false);
            return;
        }
        Bytes toKey = new Bytes(argv.bytes(2));
        Entry to = ks.lookup(toKey);
        if (to != null) {
            if (nx) {
                out.integer(0);
                return;
            }
            ks.remove(to);
        }
        Entry moved = ks.add(toKey, from.type(), from.value());
        if (from.type() == ValueType.STRING && from.rawString()) {
            moved.markRaw(); // the same object under its new name
        }
        if (ks.expireAt(from) != Entry.NO_EXPIRY) {
            ks.setExpire(moved, ks.expireAt(from));
        }
        ks.remove(from);
        reply(nx, out, true);
        journal.append(argv);
        ks.notifier().notify(Notifier.GENERIC, "rename_from", argv, 1);
        ks.notifier().notify(Notifier.GENERIC, "rename_to", argv, 2);
    }

    private static void reply(boolean nx, ReplySink out, boolean done) {
        if (nx) {
            out.integer(done ? 1 : 0);
        } else {
            out.simple("OK");
        }
    }

    /** COPY's options: REPLACE, and the destination database ({@code DB n}, else the source's). */
    public record CopyOptions(boolean replace, int db) {
    }

    /**
     * COPY's options, for a source in database {@code sourceDb} of {@code databases}, or null after
     * replying the error, in Redis' order: a bad option or DB index, then the same key in the same db.
     */
    public static CopyOptions copyOptions(Argv argv, int sourceDb, int databases, ReplySink out) {
        boolean replace = false;
        int db = sourceDb;
        for (int j = 3; j < argv.count(); j++) {
            if (argv.equalsIgnoreCase(j, "replace")) {
                replace = true;
            } else if (argv.equalsIgnoreCase(j, "db") && j < argv.count() - 1) {
                byte[] arg = argv.bytes(++j);
                if (!Numbers.isLong(arg)) {
                    out.error(Errors.NOT_INTEGER);
                    return null;
                }
                if (Numbers.toLong(arg) != (int) Numbers.toLong(arg)) {
                    out.error(Errors.INT_RANGE);
                    return null;
                }
                db = (int) Numbers.toLong(arg);
                if (db < 0 || db >= databases) { // checked here, before a later bad option, as Redis does
                    out.error(Errors.DB_RANGE);
                    return null;
                }
            } else {
                out.error(Errors.SYNTAX);
                return null;
            }
        }
        if (db == sourceDb && java.util.Arrays.equals(argv.bytes(1), argv.bytes(2))) {
            out.error(Errors.SAME_OBJECT);
            return null;
        }
        return new CopyOptions(replace, db);
    }

    /** COPY source destination [DB n] [REPLACE]; the destination database is one of this shard's. */
    public void copy(Argv argv, ReplySink out, Journal journal) {
        Databases all = databases.get();
        CopyOptions options = copyOptions(argv, all.indexOf(ks), all.count(), out);
        if (options == null) {
            return;
        }
        Entry from = ks.lookup(probe.point(argv, 1));
        if (from == null) {
            out.integer(0);
            return;
        }
        Keyspace dst = all.indexOf(ks) == options.db() ? ks : all.keyspace(options.db());
        Bytes toKey = new Bytes(argv.bytes(2));
        Entry to = dst.lookup(toKey);
        if (to != null) {
            if (!options.replace()) {
                out.integer(0);
                return;
            }
            dst.remove(to);
        }
        Entry copy = dst.add(toKey, from.type(), copyOf(from));
        if (from.type() == ValueType.STRING && from.rawString()) {
            copy.markRaw(); // dupStringObject keeps a raw string raw
        }
        if (ks.expireAt(from) != Entry.NO_EXPIRY) {
            dst.setExpire(copy, ks.expireAt(from));
        }
        out.integer(1);
        journal.append(argv);
        dst.notifier().notify(Notifier.GENERIC, "copy_to", argv, 2);
    }

    /** A deep copy of {@code e}'s value: the two keys must not share what a later write changes. */
    private static Object copyOf(Entry e) {
        return switch (e.type()) {
            case STRING -> e.string().clone();
            case LIST -> e.list().copy();
            case SET -> e.set().copy();
            case ZSET -> e.zset().copy();
            case HASH -> e.hash().copy();
            case STREAM -> StreamCommands.stream(e).copy();
        };
    }

    /**
     * The commands that rebuild {@code key}'s value and TTL under the name {@code as} on an empty key
     * (SET, RPUSH, SADD, ZADD or HSET, then PEXPIREAT), or null if {@code key} is missing: what a
     * RENAME or COPY across shards runs and logs on the destination's shard. The values are copies.
     */
    public List<byte[][]> rebuild(byte[] key, byte[] as) {
        Entry e = ks.lookup(new Bytes(key));
        if (e == null) {
            return null;
        }
        List<byte[][]> commands = new ArrayList<>(2);
        switch (e.type()) {
            case STRING -> {
                commands.add(ks.expireAt(e) == Entry.NO_EXPIRY ? new byte[][] {SET, as, e.string().clone()}
                    : new byte[][] {SET, as, e.string().clone(), PXAT, Numbers.ascii(ks.expireAt(e))});
                if (e.rawString()) {
                    commands.add(new byte[][] {APPEND, as, new byte[0]}); // an APPEND of nothing keeps it raw, as Redis's copy is
                }
            }
            case LIST -> {
                byte[][] c = head(RPUSH, as, e.list().size());
                for (int i = 0; i < e.list().size(); i++) {
                    c[2 + i] = e.list().get(i);
                }
                commands.add(c);
            }
            case SET -> {
                byte[][] c = head(SADD, as, e.set().size());
                for (int i = 0; i < e.set().size(); i++) {
                    c[2 + i] = e.set().get(i).bytes;
                }
                commands.add(c);
            }
            case ZSET -> {
                byte[][] c = head(ZADD, as, 2 * e.zset().size());
                int i = 2;
                for (int r = 0; r < e.zset().size(); r++) {
                    c[i++] = Args.bytes(Double.toString(e.zset().scoreAt(r))); // round-trips exactly through strtod
                    c[i++] = e.zset().memberAt(r);
                }
                commands.add(c);
            }
            case HASH -> {
                byte[][] c = head(HSET, as, 2 * e.hash().size());
                int i = 2;
                for (byte[][] f : e.hash().pairList()) {
                    c[i++] = f[0];
                    c[i++] = f[1];
                }
                commands.add(c);
            }
            case STREAM -> commands.addAll(StreamRebuild.commands(StreamCommands.stream(e), as));
        }
        if (e.type() != ValueType.STRING && ks.expireAt(e) != Entry.NO_EXPIRY) {
            commands.add(new byte[][] {PEXPIREAT, as, Numbers.ascii(ks.expireAt(e))});
        }
        return commands;
    }

    private static byte[][] head(byte[] name, byte[] key, int n) {
        byte[][] c = new byte[2 + n][];
        c[0] = name;
        c[1] = key;
        return c;
    }
}
