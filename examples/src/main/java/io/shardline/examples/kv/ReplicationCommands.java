package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Promise;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import java.time.Duration;

/**
 * ROLE and WAIT, as a Redis master without replicas answers them: this server never replicates, so
 * its replication offset stays 0, its replica list is empty (as INFO replication reports) and no
 * replica ever acknowledges a write. Stateless; called on the connection's shard.
 */
final class ReplicationCommands {
    private ReplicationCommands() {
    }

    /** ROLE: {@code master}, the replication offset, the (empty) list of replicas. */
    static void role(KvConnection c, Argv argv, RespWriter out) {
        out.arrayHeader(3);
        out.bulk("master");
        out.integer(0);
        out.arrayHeader(0);
    }

    private static final byte[] NO_ACKS = {':', '0', '\r', '\n'};

    /**
     * WAIT numreplicas timeout (milliseconds, 0: forever): 0 acknowledgements at once when none are
     * asked for or the client may not block (inside EXEC); otherwise 0 when the timeout ends, as
     * waitCommand answers with no replica attached. The connection's later requests wait behind it,
     * as behind a blocked client in Redis.
     */
    static Future<byte[]> waitCommand(KvConnection c, Argv argv) {
        Long replicas = ConnectionCommands.parseLong(argv.bytes(1));
        if (replicas == null) {
            return Dispatcher.error(Errors.NOT_INTEGER);
        }
        Long timeout = ConnectionCommands.parseLong(argv.bytes(2));
        if (timeout == null) {
            return Dispatcher.error("ERR timeout is not an integer or out of range");
        }
        if (timeout < 0) {
            return Dispatcher.error("ERR timeout is negative");
        }
        if (timeout > Long.MAX_VALUE - System.currentTimeMillis()) {
            return Dispatcher.error("ERR timeout is out of range");
        }
        if (replicas <= 0 || c.inExec) {
            return Future.succeeded(NO_ACKS);
        }
        KvShard shard = c.server.shards().local();
        Promise<byte[]> reply = new Promise<>(shard.loop());
        if (timeout > 0) {
            shard.loop().schedule(Duration.ofMillis(timeout), () -> reply.trySucceed(NO_ACKS));
        }
        return reply;
    }
}
