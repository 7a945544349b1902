package io.shardline.shard;

import java.util.Arrays;
import org.jctools.queues.SpscArrayQueue;

/**
 * Owned by the producing shard; not thread-safe: one outgoing mesh queue as that shard sees it, where
 * messages are either offered at once or staged and published together.
 *
 * <p>Why stage: a consumer that polls an empty queue keeps reading the slot the producer writes next,
 * so a producer that offers one message at a time while it works pays a cache miss on nearly every
 * offer. Published in a burst, a cache line of slots changes hands about once.
 */
final class Outbox {
    private final SpscArrayQueue<Object> queue;
    private final String name;
    private final Object[] staged;
    private int count;

    /** {@code capacity}: at most this many messages are ever in the queue and staged together. */
    Outbox(SpscArrayQueue<Object> queue, int capacity, String name) {
        this.queue = queue;
        this.staged = new Object[capacity];
        this.name = name;
    }

    /** Stages {@code message} until the next {@link #flush}. */
    void stage(Object message) {
        staged[count++] = message;
    }

    /** Offers {@code message} now. */
    void send(Object message) {
        if (!queue.offer(message)) {
            throw full();
        }
    }

    /** Offers every staged message, in order. */
    void flush() {
        int n = count;
        count = 0;
        for (int i = 0; i < n; i++) {
            Object message = staged[i];
            staged[i] = null;
            if (!queue.offer(message)) {
                Arrays.fill(staged, i + 1, n, null);
                throw full();
            }
        }
    }

    private IllegalStateException full() {
        // Cannot happen: a pair's messages in one direction never exceed its in-flight cap, the capacity.
        return new IllegalStateException("mesh queue " + name + " full");
    }
}
