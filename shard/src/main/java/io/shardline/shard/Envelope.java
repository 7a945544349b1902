package io.shardline.shard;

import io.shardline.core.Promise;

/**
 * One reusable message slot for the ordered pair (from, to). Owned by the sending shard while free or
 * waiting for its reply; handed to the target shard through the SPSC queue from→to, which runs the
 * request, writes the outcome into the same slot and hands it back on the queue to→from.
 *
 * <p>Each hand-off is a release/acquire pair inside the queue, so the plain fields need no ordering
 * of their own. A pair has a fixed number of slots (its in-flight cap), allocated at start: steady
 * traffic allocates no message objects.
 */
final class Envelope {
    final int from;
    final int to;

    /** The request: a Callable, or a Supplier of a loop Future when {@link #async}. */
    Object request;
    boolean async;
    boolean isReply;
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
        async = false;
        isReply = false;
        promise = null;
        result = null;
        failure = null;
    }
}
