package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;

/**
 * SWAPDB a b, the server-wide command on numbered databases (SELECT is the connection's, MOVE and
 * COPY ... DB run on the key's shard, FLUSHDB and FLUSHALL are in {@link AllShards}): the swap runs on
 * every shard, each on its own thread, and the reply comes once all did. Stateless; called on the
 * connection's shard.
 *
 * <p>Like the other commands over every shard, the swap is not one instant across shards: a client of
 * another shard may for a moment see some shards swapped and others not. Redis, single-threaded, cannot.
 */
final class DatabaseCommands {
    private DatabaseCommands() {
    }

    static Future<byte[]> swapdb(KvConnection c, Argv argv) {
        if (c.server.cluster() != null) {
            return Dispatcher.error("ERR SWAPDB is not allowed in cluster mode");
        }
        int a = index(argv.bytes(1));
        if (a == Integer.MIN_VALUE) {
            return Dispatcher.error("ERR invalid first DB index");
        }
        int b = index(argv.bytes(2));
        if (b == Integer.MIN_VALUE) {
            return Dispatcher.error("ERR invalid second DB index");
        }
        int count = c.server.config().databases();
        if (a < 0 || a >= count || b < 0 || b >= count) {
            return Dispatcher.error(Errors.DB_RANGE);
        }
        int protocol = c.protocol;
        return EveryShard.callAsync(c.shard(), () -> AllShards.local(c).swapDb(a, b))
                .map(v -> RespWriter.forReply(protocol).simple("OK").toByteArray());
    }

    /** An int as Redis' getIntFromObjectOrReply reads one, or MIN_VALUE (never a valid index) if it is not. */
    private static int index(byte[] arg) {
        Long v = ConnectionCommands.parseLong(arg);
        if (v == null || v != v.intValue()) {
            return Integer.MIN_VALUE;
        }
        return v == Integer.MIN_VALUE ? -1 : v.intValue(); // MIN_VALUE is out of range too, not "invalid"
    }
}
