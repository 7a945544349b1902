package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;

/**
 * CLUSTER KEYSLOT, answered as a cluster-mode Redis answers it (this server places keys by the same
 * slots); every other CLUSTER subcommand gets what a standalone Redis says, that cluster support is
 * disabled. Stateless, any thread.
 */
final class ClusterCommand {
    static final String DISABLED = "ERR This instance has cluster support disabled";

    private ClusterCommand() {
    }

    static void run(KvConnection c, Argv argv, RespWriter out) {
        String sub = ConnectionCommands.lower(argv.bytes(1));
        if (sub.equals("keyslot")) {
            if (argv.count() != 3) {
                out.error("ERR wrong number of arguments for 'cluster|keyslot' command");
            } else {
                out.integer(HashSlot.of(argv.bytes(2)));
            }
            return;
        }
        out.error(DISABLED);
    }
}
