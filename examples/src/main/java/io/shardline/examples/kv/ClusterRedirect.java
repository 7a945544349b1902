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
        int slot = -1;
        if (spec.name().equals("exec") && TransactionCommands.open(c)) {
            // EXEC's keys are those of every queued command: one slot for the whole transaction.
            for (Transaction.Queued q : c.tx.queued) {
                slot = slotOf(q.spec(), q.argv(), slot);
                if (slot == CROSS) {
                    return Errors.CROSSSLOT;
                }
            }
        } else {
            slot = slotOf(spec, argv, -1);
            if (slot == CROSS) {
                return Errors.CROSSSLOT;
            }
        }
        if (slot < 0) {
            return null;
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

    private static final int CROSS = -2;

    /** The one slot of {@code argv}'s keys and {@code slot} (-1: none yet), or {@link #CROSS} when they differ. */
    private static int slotOf(CommandSpec spec, Argv argv, int slot) {
        if (ClusterKeys.atTablePositions(spec)) { // walked in place: no array per request
            if (spec.firstKey() <= 0 || argv.count() <= spec.firstKey()) {
                return slot;
            }
            int step = Math.max(spec.keyStep(), 1);
            for (int k = spec.firstKey(); k <= ClusterKeys.last(spec, argv.count()); k += step) {
                slot = merge(slot, argv, k);
                if (slot == CROSS) {
                    return CROSS;
                }
            }
            return slot;
        }
        for (int k : ClusterKeys.of(spec, argv)) {
            slot = merge(slot, argv, k);
            if (slot == CROSS) {
                return CROSS;
            }
        }
        return slot;
    }

    /** {@code slot} (-1: none yet) with key {@code k}'s slot, or {@link #CROSS} when they differ. */
    private static int merge(int slot, Argv argv, int k) {
        int s = HashSlot.of(argv.array(k), argv.offset(k), argv.length(k));
        return slot < 0 || s == slot ? s : CROSS;
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
