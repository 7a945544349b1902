package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * The code of one data command, run on the shard that owns its keys after the caller checked its
 * arity. Stateless; runs on that shard's thread.
 *
 * @param <G> the command group it belongs to ({@link StringCommands}, {@link KeyCommands}, ...), one per keyspace
 */
@FunctionalInterface
public interface DataCommand<G> {
    /** Replies to {@code out} and logs its effect to {@code journal}. */
    void run(G group, Argv argv, ReplySink out, Journal journal);
}
