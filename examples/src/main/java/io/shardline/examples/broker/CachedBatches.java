package io.shardline.examples.broker;

/**
 * One partition's most recent batches as they were appended, oldest first and contiguous up to the log
 * end, so a fetch near the tail (a consumer keeping up, as most do) is answered from memory, not by reading
 * back what the log wrote with direct I/O a moment ago: Redpanda's batch cache, and what the page cache
 * gives Kafka. The shard's {@link BatchCache} bounds what all its partitions keep. Owned by the partition's
 * shard; not thread-safe.
 */
final class CachedBatches {
    private final BatchCache budget;
    private long[] bases = new long[16];
    private byte[][] batches = new byte[16][];
    private int head;
    private int size;

    CachedBatches(BatchCache budget) {
        this.budget = budget;
    }

    private int slot(int i) {
        return (head + i) & (bases.length - 1);
    }

    /** Keeps the batch just appended at {@code base} (the one after the last kept); may evict older ones here or elsewhere. */
    void add(long base, byte[] batch) {
        if (size == bases.length) {
            long[] b = new long[size * 2];
            byte[][] d = new byte[size * 2][];
            for (int i = 0; i < size; i++) {
                b[i] = bases[slot(i)];
                d[i] = batches[slot(i)];
            }
            bases = b;
            batches = d;
            head = 0;
        }
        int s = slot(size++);
        bases[s] = base;
        batches[s] = batch;
        budget.added(this, batch.length);
    }

    /** Drops the oldest batch kept; gives its size (0 if none is kept: it went with a {@link #clear}). */
    int evictOldest() {
        if (size == 0) {
            return 0;
        }
        byte[] b = batches[head];
        batches[head] = null;
        head = slot(1);
        size--;
        return b.length;
    }

    /** Forgets every batch (the log no longer matches, or the partition goes away). */
    void clear() {
        long freed = 0;
        while (size > 0) {
            freed += evictOldest();
        }
        budget.released(freed);
    }

    /** Whether {@code offset} falls in or after the oldest batch kept, so {@link #read} can answer for it. */
    boolean covers(long offset) {
        return size > 0 && offset >= bases[head];
    }

    /**
     * The whole batches from the one holding {@code fetchOffset} while their base is under {@code hw}, at
     * most {@code maxBytes} of them except that the first always comes whole (KIP-74); call only if it
     * {@link #covers} the offset. The arrays are the kept ones, not copies: nobody writes them after
     * {@link #add}, so they may be sent as they are, from any shard.
     */
    byte[][] read(long fetchOffset, long hw, int maxBytes) {
        int lo = 0;
        int hi = size - 1;
        while (lo < hi) { // the last batch whose base is at most fetchOffset
            int mid = (lo + hi + 1) >>> 1;
            if (bases[slot(mid)] <= fetchOffset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int total = 0;
        int end = lo;
        while (end < size && bases[slot(end)] < hw) {
            int len = batches[slot(end)].length;
            if (total > 0 && total + len > maxBytes) {
                break;
            }
            total += len;
            end++;
            if (total >= maxBytes) {
                break;
            }
        }
        byte[][] out = new byte[end - lo][];
        for (int i = lo; i < end; i++) {
            out[i - lo] = batches[slot(i)];
        }
        return out;
    }
}
