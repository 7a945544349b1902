package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;

/**
 * ROLE, as a Redis master without replicas answers it: this server never replicates, so its
 * replication offset stays 0 and its replica list empty, as INFO replication reports. Stateless;
 * called on the connection's shard.
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
}
