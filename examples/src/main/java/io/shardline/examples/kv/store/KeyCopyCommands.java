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
    private static final byte[] PXAT = Args.bytes("PXAT");
    private static final byte[] RPUSH = Args.bytes("RPUSH");
    private static final byte[] SADD = Args.bytes("SADD");
    private static final byte[] ZADD = Args.bytes("ZADD");
    private static final byte[] HSET = Args.bytes("HSET");
    private static final byte[] PEXPIREAT = Args.bytes("PEXPIREAT");

    private final Keyspace ks;
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

    /**
     * COPY's options: whether REPLACE was given, or null after replying the error. There is one
     * database, so DB must name 0.
     */
    public static Boolean copyOptions(Argv argv, ReplySink out) {
        boolean replace = false;
        for (int j = 3; j < argv.count(); j++) {
            if (argv.equalsIgnoreCase(j, "replace")) {
                replace = true;
            } else if (argv.equalsIgnoreCase(j, "db") && j < argv.count() - 1) {
                byte[] db = argv.bytes(++j);
                if (!Numbers.isLong(db) || Numbers.toLong(db) != (int) Numbers.toLong(db)) {
                    out.error(Errors.NOT_INTEGER);
                    return null;
                }
                if (Numbers.toLong(db) != 0) {
                    out.error(Errors.DB_RANGE);
                    return null;
                }
            } else {
                out.error(Errors.SYNTAX);
                return null;
            }
        }
        if (java.util.Arrays.equals(argv.bytes(1), argv.bytes(2))) {
            out.error(Errors.SAME_OBJECT);
            return null;
        }
        return replace;
    }

    /** COPY source destination [DB 0] [REPLACE]. */
    public void copy(Argv argv, ReplySink out, Journal journal) {
        Boolean replace = copyOptions(argv, out);
        if (replace == null) {
            return;
        }
        Entry from = ks.lookup(probe.point(argv, 1));
        if (from == null) {
            out.integer(0);
            return;
        }
        Bytes toKey = new Bytes(argv.bytes(2));
        Entry to = ks.lookup(toKey);
        if (to != null) {
            if (!replace) {
                out.integer(0);
                return;
            }
            ks.remove(to);
        }
        Entry copy = ks.add(toKey, from.type(), copyOf(from));
        if (ks.expireAt(from) != Entry.NO_EXPIRY) {
            ks.setExpire(copy, ks.expireAt(from));
        }
        out.integer(1);
        journal.append(argv);
        ks.notifier().notify(Notifier.GENERIC, "copy_to", argv, 2);
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
            case STRING -> commands.add(ks.expireAt(e) == Entry.NO_EXPIRY ? new byte[][] {SET, as, e.string().clone()}
                    : new byte[][] {SET, as, e.string().clone(), PXAT, Numbers.ascii(ks.expireAt(e))});
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
