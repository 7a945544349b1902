package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.BitCommands;
import io.shardline.examples.kv.store.Errors;
import io.shardline.examples.kv.store.KeyCopyCommands;
import io.shardline.examples.kv.store.Keyspace;
import io.shardline.examples.kv.store.Notifier;
import io.shardline.examples.kv.store.StringRangeCommands;
import io.shardline.shard.Shard;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The cross-shard forms of BITOP, LCS, MSETNX, RENAME, RENAMENX and COPY, which {@link CrossShard#of}
 * gives {@link SameShard} (which runs the command whole when its keys share a shard and sets the
 * connection's barrier while a form's chain runs): the values are gathered from their shards and the
 * result is written on the destination's shard, through the same logged commands a single shard would
 * log. Stateless; runs on the connection's shard.
 *
 * <p>Each form has {@link SameShard.Across}' shape {@code (connection, argv, shard of each key position)}.
 *
 * <p>Atomicity: {@link SameShard#run} runs each form under intent locks on all its keys
 * ({@link TxExec#locked}), as a transaction: no other client's command on those keys runs between the
 * gather and the write, so none sees a RENAME's source and destination both present, or MSETNX half done.
 */
final class GatherThenWrite {
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] APPEND = "APPEND".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MSET = "MSET".getBytes(StandardCharsets.US_ASCII);

    private GatherThenWrite() {
    }

    static Future<byte[]> lcs(KvConnection c, Argv argv, int[] owner) {
        int protocol = c.protocol;
        return Futures.all(List.of(readString(c, argv.bytes(1)), readString(c, argv.bytes(2)))).map(values -> {
            RespWriter out = RespWriter.forReply(protocol);
            if (values.get(0) == Keyspace.NOT_A_STRING || values.get(1) == Keyspace.NOT_A_STRING) {
                out.error(Errors.LCS_TYPES);
            } else {
                StringRangeCommands.lcs(orEmpty(values.get(0)), orEmpty(values.get(1)), argv, out);
            }
            return out.toByteArray();
        });
    }

    static Future<byte[]> bitop(KvConnection c, Argv argv, int[] owner) {
        int protocol = c.protocol;
        int db = c.db;
        RespWriter check = RespWriter.forReply(protocol);
        int op = BitCommands.bitopOp(argv, check);
        if (op < 0) {
            return Future.succeeded(check.toByteArray());
        }
        List<Future<byte[]>> reads = new ArrayList<>();
        for (int i = 3; i < argv.count(); i++) {
            reads.add(readString(c, argv.bytes(i)));
        }
        return Futures.all(reads).flatMap(values -> {
            byte[][] sources = new byte[values.size()][];
            for (int i = 0; i < sources.length; i++) {
                if (values.get(i) == Keyspace.NOT_A_STRING) {
                    return Dispatcher.error(Errors.WRONGTYPE);
                }
                sources[i] = values.get(i);
            }
            byte[] result = BitCommands.bitop(op, sources);
            byte[][] write = result.length > 0 ? new byte[][] {SET, argv.bytes(2), result} : new byte[][] {DEL, argv.bytes(2)};
            long length = result.length;
            return onKey(c, argv.bytes(2), () -> {
                Future<byte[]> set = local(c).execute(CommandTable.lookup(write[0]), write, protocol, db);
                if (result.length == 0) {
                    return set;
                }
                byte[][] raw = {APPEND, argv.bytes(2), new byte[0]}; // run at once, in the same step: BITOP's result is raw
                Future<byte[]> append = KeyspaceEvents.quietly(local(c), db,
                        () -> local(c).execute(CommandTable.lookup(APPEND), raw, protocol, db)); // BITOP's event is the SET's
                return Futures.all(List.of(set, append)).map(replies -> replies.get(0));
            }).map(reply -> isError(reply) ? reply : RespWriter.forReply(protocol).integer(length).toByteArray());
        });
    }

    static Future<byte[]> msetnx(KvConnection c, Argv argv, int[] owner) {
        int protocol = c.protocol;
        int db = c.db;
        List<Future<Boolean>> checks = new ArrayList<>();
        for (int i = 1; i < argv.count(); i += 2) {
            byte[] key = argv.bytes(i);
            checks.add(c.shard().id() == shardOf(c, key) ? Future.succeeded(local(c).keyspace(db).exists(key))
                    : c.shard().submitTo(shardOf(c, key), () -> local(c).keyspace(db).exists(key)));
        }
        return Futures.all(checks).flatMap(found -> {
            if (found.contains(Boolean.TRUE)) {
                return Future.succeeded(RespWriter.forReply(protocol).integer(0).toByteArray());
            }
            List<Future<byte[]>> writes = new ArrayList<>();
            CommandSpec mset = CommandTable.lookup(MSET);
            for (int i = 1; i < argv.count(); i += 2) {
                byte[][] pair = {MSET, argv.bytes(i), argv.bytes(i + 1)};
                writes.add(onKey(c, argv.bytes(i), () -> local(c).execute(mset, pair, protocol, db)));
            }
            return Futures.all(writes).map(replies -> {
                for (byte[] r : replies) {
                    if (isError(r)) {
                        return r;
                    }
                }
                return RespWriter.forReply(protocol).integer(1).toByteArray();
            });
        });
    }

    static Future<byte[]> rename(KvConnection c, Argv argv, int[] owner) {
        return move(c, argv, false, false, false, c.db);
    }

    static Future<byte[]> renamenx(KvConnection c, Argv argv, int[] owner) {
        return move(c, argv, true, false, false, c.db);
    }

    /** COPY across shards; with DB n the destination is written in database n of its shard. */
    static Future<byte[]> copy(KvConnection c, Argv argv, int[] owner) {
        RespWriter check = RespWriter.forReply(c.protocol);
        KeyCopyCommands.CopyOptions options = KeyCopyCommands.copyOptions(argv, c.db, c.server.config().databases(), check);
        if (options == null) {
            return Future.succeeded(check.toByteArray());
        }
        return move(c, argv, !options.replace(), true, true, options.db());
    }

    /**
     * RENAME, RENAMENX and COPY across shards: the source's rebuilding commands are read on its shard,
     * run (and logged) on the destination's after a DEL of what was there, unless {@code keepExisting}
     * and it exists; then a RENAME deletes the source.
     */
    private static Future<byte[]> move(KvConnection c, Argv argv, boolean keepExisting, boolean isCopy, boolean intReply,
            int toDb) {
        int protocol = c.protocol;
        int db = c.db;
        byte[] from = argv.bytes(1);
        byte[] to = argv.bytes(2);
        Future<List<byte[][]>> rebuilt = onKeyValue(c, from, () -> local(c).commands(db).keyCopies().rebuild(from, to));
        return rebuilt.flatMap(commands -> {
            if (commands == null) {
                return isCopy ? Future.succeeded(RespWriter.forReply(protocol).integer(0).toByteArray())
                        : Dispatcher.error(Errors.NO_SUCH_KEY);
            }
            Future<byte[]> placed = onKey(c, to, () -> {
                KvShard shard = local(c);
                if (keepExisting && shard.keyspace(toDb).exists(to)) {
                    return Future.succeeded((byte[]) null);
                }
                Future<byte[]> written = KeyspaceEvents.quietly(shard, toDb, () -> {
                    Future<byte[]> last = shard.execute(CommandTable.lookup(DEL), new byte[][] {DEL, to}, protocol, toDb);
                    for (byte[][] command : commands) {
                        Future<byte[]> r = shard.execute(CommandTable.lookup(command[0]), command, protocol, toDb);
                        last = last.flatMap(previous -> isError(previous) ? Future.succeeded(previous) : r);
                    }
                    return last;
                });
                // Redis' events for the destination (dbAdd's, then the command's); the source's rename_from follows
                // from its own shard, so a subscriber may see it after rename_to, not before as from Redis.
                Notifier events = shard.keyspace(toDb).notifier();
                events.notify(Notifier.NEW, "new", to);
                events.notify(Notifier.GENERIC, isCopy ? "copy_to" : "rename_to", to);
                return written;
            });
            return placed.flatMap(reply -> {
                if (reply == null) {
                    return Future.succeeded(RespWriter.forReply(protocol).integer(0).toByteArray());
                }
                if (isError(reply)) {
                    return Future.succeeded(reply);
                }
                byte[] done = intReply || keepExisting ? RespWriter.forReply(protocol).integer(1).toByteArray()
                        : RespWriter.forReply(protocol).simple("OK").toByteArray();
                if (isCopy) {
                    return Future.succeeded(done);
                }
                return onKey(c, from, () -> {
                    KvShard shard = local(c);
                    Future<byte[]> deleted = KeyspaceEvents.quietly(shard, db,
                            () -> shard.execute(CommandTable.lookup(DEL), new byte[][] {DEL, from}, protocol, db));
                    shard.keyspace(db).notifier().notify(Notifier.GENERIC, "rename_from", from);
                    return deleted;
                }).map(r -> isError(r) ? r : done);
            });
        });
    }

    /** {@code key}'s string in the connection's database as of now (see {@link SameShard#on}). */
    static Future<byte[]> readString(KvConnection c, byte[] key) {
        int db = c.db;
        return onKeyValue(c, key, () -> local(c).keyspace(db).readString(key));
    }

    private static <T> Future<T> onKeyValue(KvConnection c, byte[] key, Supplier<T> fn) {
        int s = shardOf(c, key);
        return s == c.shard().id() ? Future.succeeded(fn.get()) : c.shard().submitTo(s, fn::get);
    }

    static Future<byte[]> onKey(KvConnection c, byte[] key, Supplier<Future<byte[]>> fn) {
        return on(c, shardOf(c, key), fn);
    }

    private static Future<byte[]> on(KvConnection c, int shard, Supplier<Future<byte[]>> fn) {
        Shard here = c.shard();
        return shard == here.id() ? fn.get() : here.submitToAsync(shard, fn);
    }

    private static int shardOf(KvConnection c, byte[] key) {
        return c.server.slots().shardOf(key);
    }

    static KvShard local(KvConnection c) {
        return c.server.shards().local();
    }

    static boolean isError(byte[] reply) {
        return reply.length > 0 && reply[0] == '-';
    }

    private static byte[] orEmpty(byte[] b) {
        return b == null ? new byte[0] : b;
    }
}
