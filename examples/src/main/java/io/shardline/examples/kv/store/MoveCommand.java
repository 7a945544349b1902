package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.util.function.Supplier;

/**
 * MOVE key db, as Redis 7 runs it (db.c moveCommand): the key leaves this keyspace for database
 * {@code db} of the same shard (a key's slot, so its shard, is the same in every database). Owned
 * by one shard; not thread-safe.
 *
 * <p>Journal form: logged as sent, under the source database; it replays to the same move.
 */
public final class MoveCommand {
    private final Keyspace ks;
    private final Supplier<Databases> databases;
    private final Bytes probe = Bytes.probe();

    MoveCommand(Keyspace ks, Supplier<Databases> databases) {
        this.ks = ks;
        this.databases = databases;
    }

    public void move(Argv argv, ReplySink out, Journal journal) {
        Databases all = databases.get();
        int db = targetDb(argv.bytes(2), all, out);
        if (db < 0) {
            return;
        }
        if (all.indexOf(ks) == db) {
            out.error(Errors.SAME_OBJECT);
            return;
        }
        Entry from = ks.lookup(probe.point(argv, 1));
        if (from == null) {
            out.integer(0);
            return;
        }
        Keyspace dst = all.keyspace(db);
        if (dst.lookup(probe.point(argv, 1)) != null) {
            out.integer(0);
            return;
        }
        Entry moved = dst.add(new Bytes(argv.bytes(1)), from.type(), from.value());
        if (from.type() == ValueType.STRING && from.rawString()) {
            moved.markRaw();
        }
        long at = ks.expireAt(from);
        if (at != Entry.NO_EXPIRY) {
            dst.setExpire(moved, at);
        }
        ks.remove(from);
        out.integer(1);
        journal.append(argv);
        ks.notifier().notify(Notifier.GENERIC, "move_from", argv, 1); // after dbAdd's "new" in dst, as db.c
        dst.notifier().notify(Notifier.GENERIC, "move_to", argv, 1);
    }

    /**
     * A database index argument as Redis reads one (a long, else "value is not an integer"; an int,
     * else "value is out of range"; below the count, else "DB index is out of range"), or -1 after
     * replying the error.
     */
    static int targetDb(byte[] arg, Databases all, ReplySink out) {
        if (!Numbers.isLong(arg)) {
            out.error(Errors.NOT_INTEGER);
            return -1;
        }
        if (Numbers.toLong(arg) != (int) Numbers.toLong(arg)) {
            out.error(Errors.INT_RANGE);
            return -1;
        }
        long db = Numbers.toLong(arg);
        if (db < 0 || db >= all.count()) {
            out.error(Errors.DB_RANGE);
            return -1;
        }
        return (int) db;
    }
}
