package io.shardline.examples.kv;

import java.util.Arrays;

/**
 * A FIFO of small counts, one per pending reply entry of a {@link KvConnection}: how many replies the
 * entry stands for (1, or a forwarded run's length). Owned by the connection's shard; not thread-safe.
 * A growable ring of ints, so keeping the counts allocates nothing in the steady state.
 */
final class ReplyCounts {
    private int[] ring = new int[16];
    private int head;
    private int size;

    void add(int count) {
        if (size == ring.length) {
            int[] grown = new int[ring.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = ring[(head + i) & (ring.length - 1)];
            }
            ring = grown;
            head = 0;
        }
        ring[(head + size) & (ring.length - 1)] = count;
        size++;
    }

    /** Adds {@code n} to the newest count. */
    void addToLast(int n) {
        if (size == 0) {
            throw new IllegalStateException("no count to add to");
        }
        ring[(head + size - 1) & (ring.length - 1)] += n;
    }

    /** Removes and returns the oldest count. */
    int poll() {
        if (size == 0) {
            throw new IllegalStateException("no count to take");
        }
        int c = ring[head];
        head = (head + 1) & (ring.length - 1);
        size--;
        return c;
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(ring, 0);
        head = 0;
        size = 0;
    }
}
