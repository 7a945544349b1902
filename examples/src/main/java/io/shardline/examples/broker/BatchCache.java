package io.shardline.examples.broker;

import java.util.ArrayDeque;

/**
 * One shard's budget for the recent batches its partitions keep in memory ({@link CachedBatches}): past
 * {@link #DEFAULT_BYTES} the oldest batch of the shard goes first, whichever partition holds it, so a busy
 * partition's tail stays and an idle one's ages out. Owned by that shard; not thread-safe.
 */
final class BatchCache {
    /** Per shard: a few seconds of a fast producer's tail, small beside the JVM's default heap. */
    static final long DEFAULT_BYTES = 64L << 20;

    private final long capacity;
    /** One entry per batch kept, in the order they were added: whose it is, so eviction is oldest first. */
    private final ArrayDeque<CachedBatches> order = new ArrayDeque<>();
    private long used;

    BatchCache(long capacity) {
        this.capacity = capacity;
    }

    /** A partition kept a batch of {@code bytes}: evicts the shard's oldest ones until it fits. */
    void added(CachedBatches owner, int bytes) {
        order.add(owner);
        used += bytes;
        while (used > capacity && !order.isEmpty()) {
            used -= order.poll().evictOldest();
        }
    }

    /** A partition dropped {@code bytes} of batches at once; its entries stay in line and evict its later batches a little early. */
    void released(long bytes) {
        used -= bytes;
    }

    long used() {
        return used;
    }
}
