package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.store.Errors;

/**
 * Where a request goes in cluster mode, as Redis Cluster's getNodeByQuery decides: its keys must share
 * one slot (CROSSSLOT otherwise), that slot must be served (CLUSTERDOWN) and, unless the connection's
 * own node serves it, the client is sent there with {@code -MOVED <slot> <host>:<port>}. Stateless;
 * runs on the connection's shard.
 */
final class ClusterRedirect {
    static final String NOT_SERVED = "CLUSTERDOWN Hash slot not served";

    private ClusterRedirect() {
    }

    /** The error that answers {@code argv} instead of running it, or null to run it here. */
    static String check(KvConnection c, ClusterTopology t, CommandSpec spec, Argv argv) {
        int[] keys = ClusterKeys.of(spec, argv);
        if (keys.length == 0) {
            return null;
        }
        int slot = -1;
        for (int k : keys) {
            int s = HashSlot.of(argv.array(k), argv.offset(k), argv.length(k));
            if (slot < 0) {
                slot = s;
            } else if (s != slot) {
                return Errors.CROSSSLOT;
            }
        }
        int owner = t.ownerOf(slot);
        if (owner < 0) {
            return NOT_SERVED;
        }
        if (owner != t.localNode(c.shard().id())) {
            return "MOVED " + slot + " " + t.node(owner).address();
        }
        return singleDatabase(spec, argv);
    }

    /** A cluster has database 0 only: the commands that reach another one say so, as Redis' do. */
    private static String singleDatabase(CommandSpec spec, Argv argv) {
        switch (spec.name()) {
            case "move" -> {
                return "ERR MOVE is not allowed in cluster mode";
            }
            case "copy" -> {
                for (int i = 3; i + 1 < argv.count(); i++) {
                    if (ConnectionCommands.lower(argv.bytes(i)).equals("db")) {
                        Long db = ConnectionCommands.parseLong(argv.bytes(i + 1));
                        return db != null && db != 0 ? "ERR Copying to another database is not allowed in cluster mode" : null;
                    }
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }
}
