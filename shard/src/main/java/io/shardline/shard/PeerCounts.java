package io.shardline.shard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One count per other shard (messages sent to it, or received from it): written by the owning
 * shard's thread only, read from any thread. Single writer, so a bump is a plain read and an opaque
 * store; readers (a metrics scrape) want recent values, not a consistent set. The counts sit between
 * pads because each shard's arrays are allocated side by side and written by different cores.
 */
final class PeerCounts {
    /** Longs on each side of the counts: a cache line (and the array header's neighbour) apart. */
    private static final int PAD = 8;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] counts;

    PeerCounts(int shards) {
        this.counts = new long[PAD + shards + PAD];
    }

    /** Owner only. */
    void add(int peer, long n) {
        int i = PAD + peer;
        SLOT.setOpaque(counts, i, counts[i] + n); // the owner is the only writer: its plain read is current
    }

    /** Any thread. */
    long get(int peer) {
        return (long) SLOT.getOpaque(counts, PAD + peer);
    }
}
