package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.PopRequest.Kind;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.BlockTimeout;
import io.shardline.examples.kv.store.Errors;
import io.shardline.examples.kv.store.MpopArgs;

/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX and BZMPOP as the connection's shard
 * takes them: their arguments checked in Redis' order (the timeout first for BLPOP and BZPOP*, after
 * the ends for BLMOVE, after numkeys, the end and COUNT for BLMPOP and BZMPOP), then a
 * {@link BlockedCall} that serves or waits, on whichever shards the keys live. Stateless; called on the
 * connection's shard.
 */
final class BlockingCommands {
    private BlockingCommands() {
    }

    static Future<byte[]> blpop(KvConnection c, Argv argv) {
        return pop(c, argv, Kind.LIST, true);
    }

    static Future<byte[]> brpop(KvConnection c, Argv argv) {
        return pop(c, argv, Kind.LIST, false);
    }

    static Future<byte[]> bzpopmin(KvConnection c, Argv argv) {
        return pop(c, argv, Kind.ZSET, true);
    }

    static Future<byte[]> bzpopmax(KvConnection c, Argv argv) {
        return pop(c, argv, Kind.ZSET, false);
    }

    /** BLPOP key [key ...] timeout, and the others of that shape. */
    private static Future<byte[]> pop(KvConnection c, Argv argv, Kind kind, boolean first) {
        RespWriter error = RespWriter.forReply(c.protocol);
        long timeout = timeout(c, argv, argv.count() - 1, error);
        if (timeout < 0) {
            return Future.succeeded(error.toByteArray());
        }
        byte[][] keys = new byte[argv.count() - 2][];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = argv.bytes(1 + k);
        }
        return run(c, new PopRequest(kind, keys, first, false, null, 0, c.protocol, c.db), timeout, -1);
    }

    /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
    static Future<byte[]> blmove(KvConnection c, Argv argv) {
        boolean fromLeft = argv.equalsIgnoreCase(3, "left");
        boolean toLeft = argv.equalsIgnoreCase(4, "left");
        if ((!fromLeft && !argv.equalsIgnoreCase(3, "right")) || (!toLeft && !argv.equalsIgnoreCase(4, "right"))) {
            return Dispatcher.error(Errors.SYNTAX);
        }
        return move(c, argv, fromLeft, toLeft, 5);
    }

    /** BRPOPLPUSH source destination timeout: BLMOVE source destination RIGHT LEFT. */
    static Future<byte[]> brpoplpush(KvConnection c, Argv argv) {
        return move(c, argv, false, true, 3);
    }

    private static Future<byte[]> move(KvConnection c, Argv argv, boolean fromLeft, boolean toLeft, int timeoutArg) {
        RespWriter error = RespWriter.forReply(c.protocol);
        long timeout = timeout(c, argv, timeoutArg, error);
        if (timeout < 0) {
            return Future.succeeded(error.toByteArray());
        }
        PopRequest req = new PopRequest(Kind.MOVE, new byte[][] {argv.bytes(1)}, fromLeft, toLeft, argv.bytes(2), 0, c.protocol, c.db);
        return run(c, req, timeout, c.server.slots().shardOf(argv.bytes(2)));
    }

    static Future<byte[]> blmpop(KvConnection c, Argv argv) {
        return mpop(c, argv, Kind.LMPOP);
    }

    static Future<byte[]> bzmpop(KvConnection c, Argv argv) {
        return mpop(c, argv, Kind.ZMPOP);
    }

    /** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count], and BZMPOP with MIN|MAX. */
    private static Future<byte[]> mpop(KvConnection c, Argv argv, Kind kind) {
        RespWriter error = RespWriter.forReply(c.protocol);
        byte[][] rest = new byte[argv.count() - 1][]; // as LMPOP and ZMPOP see them: no timeout
        rest[0] = argv.bytes(0);
        for (int i = 2; i < argv.count(); i++) {
            rest[i - 1] = argv.bytes(i);
        }
        MpopArgs a = kind == Kind.LMPOP ? MpopArgs.parse(Argv.of(rest), error) : MpopArgs.parseZ(Argv.of(rest), error);
        if (a == null) {
            return Future.succeeded(error.toByteArray());
        }
        long timeout = timeout(c, argv, 1, error);
        if (timeout < 0) {
            return Future.succeeded(error.toByteArray());
        }
        byte[][] keys = new byte[a.keys()][];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = argv.bytes(3 + k);
        }
        return run(c, new PopRequest(kind, keys, a.first(), false, null, a.count(), c.protocol, c.db), timeout, -1);
    }

    private static long timeout(KvConnection c, Argv argv, int i, RespWriter error) {
        return BlockTimeout.parseSeconds(argv.bytes(i), c.server.config().clock().getAsLong(), error);
    }

    private static Future<byte[]> run(KvConnection c, PopRequest req, long timeoutMillis, int destinationShard) {
        int[] owner = new int[req.keys().length];
        for (int k = 0; k < owner.length; k++) {
            owner[k] = c.server.slots().shardOf(req.keys()[k]);
        }
        return new BlockedCall(c, req, owner, destinationShard, timeoutMillis).start();
    }
}
