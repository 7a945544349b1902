package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection's MULTI state and WATCHed keys. Owned by the {@link KvConnection}; used on its shard
 * only. The shards that hold the watched keys keep their own part ({@link Watches}), by client id.
 */
final class Transaction {
    /** A command queued between MULTI and EXEC, with its own copy of the arguments. */
    record Queued(CommandSpec spec, Argv argv) {
    }

    /** A WATCHed key and the shard it lives on. */
    record Watched(int shard, TxLocks.Key key) {
    }

    /** Between MULTI and EXEC/DISCARD. */
    boolean open;
    /** A queuing error (unknown command, wrong arity...) was answered: EXEC answers EXECABORT. */
    boolean failed;
    final List<Queued> queued = new ArrayList<>();
    final List<Watched> watched = new ArrayList<>();

    void begin() {
        open = true;
        failed = false;
        queued.clear();
    }

    /** Ends the MULTI state (EXEC, DISCARD, RESET); the watched keys are ended by the caller. */
    void end() {
        open = false;
        failed = false;
        queued.clear();
        watched.clear();
    }
}
