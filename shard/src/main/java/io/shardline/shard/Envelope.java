package io.shardline.shard;

import io.shardline.core.Future;
import io.shardline.core.Promise;
import java.util.function.Supplier;

/**
 * Owned by the sending shard while free or waiting for its reply, and by the target shard while it
 * serves the call: one reusable slot for an asynchronous call from shard {@code from} to shard
 * {@code to}, whose reply can come back out of order. The target gets it through the request queue
 * from→to, stores the outcome in it once the call's future completes and hands it back on the reply
 * queue to→from.
 *
 * <p>Each hand-off is a release/acquire pair inside the queue, so the plain fields need no ordering
 * of their own. A pair has a fixed number of slots (its in-flight cap), allocated at start: steady
 * traffic allocates no message objects.
 */
final class Envelope {
    final int from;
    final int to;

    /** The call, run on the target. */
    Supplier<? extends Future<Object>> request;
    /** The sender's future; touched only on the sender's shard. */
    Promise<Object> promise;
    Object result;
    Throwable failure;

    Envelope(int from, int to) {
        this.from = from;
        this.to = to;
    }

    void clear() {
        request = null;
        promise = null;
        result = null;
        failure = null;
    }
}
