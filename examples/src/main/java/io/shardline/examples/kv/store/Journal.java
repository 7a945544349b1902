package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
/**
 * Where a shard reports the writes it made, each as a command that replays to the same effect:
 * absolute expiry times, the members SPOP and ZPOPMIN actually took, INCRBYFLOAT as the SET of its
 * result, and a {@code DEL} for every key that expired. Called on the shard's thread.
 *
 * <p>Replaying the entries in order with {@link DataCommands#replay} rebuilds the same
 * keys, values and expiry times. The arguments may be shared with the keyspace, or be the request's
 * own view of the receive buffer: a journal must copy or serialize them before the call returns if it
 * keeps them, and must never change them.
 */
@FunctionalInterface
public interface Journal {
    /** Discards everything (for replay, and for callers that do not log). */
    Journal NONE = argv -> {
    };

    void append(Argv argv);

    /** Logs a command built from arrays that are never changed afterwards. */
    default void append(byte[]... argv) {
        append(Argv.of(argv));
    }
}
