package io.shardline.examples.kv.store;

import java.util.Arrays;

/**
 * Keys with a TTL as a binary min-heap of (expireAt, entry), so the periodic sweep finds due keys in
 * O(expired · log n). Owned by one shard; not thread-safe.
 *
 * <p>Slots are invalidated lazily: a TTL change or a delete leaves the old slot behind, and a slot
 * counts only while its entry is still in the keyspace with that same expiry. Stale slots stay
 * bounded because the keyspace calls {@link #compact()} when they outnumber the live TTLs.
 * Two parallel arrays, not node objects, so a push allocates nothing once the arrays have grown.
 */
final class ExpiryHeap {
    private long[] times = new long[16];
    private Entry[] entries = new Entry[16];
    private int size;
    private int compactions;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Expiry of the earliest slot; the heap must not be empty. */
    long peekTime() {
        return times[0];
    }

    /** Entry of the earliest slot; the heap must not be empty. */
    Entry peekEntry() {
        return entries[0];
    }

    /** Whether a slot (time, entry) still describes its entry. */
    static boolean current(long time, Entry e) {
        return !e.removed && e.expireAt == time;
    }

    void push(long time, Entry e) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            entries = Arrays.copyOf(entries, size * 2);
        }
        siftUp(size++, time, e);
    }

    /** Removes the earliest slot; the heap must not be empty. */
    void pop() {
        int last = --size;
        long t = times[last];
        Entry e = entries[last];
        entries[last] = null;
        if (last > 0) {
            siftDown(0, t, e);
        }
    }

    void clear() {
        Arrays.fill(entries, 0, size, null);
        size = 0;
    }

    /** Keeps one current slot per entry, drops the rest, and rebuilds the heap: O(size). */
    void compact() {
        int mark = ++compactions;
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Entry e = entries[i];
            if (current(times[i], e) && e.heapMark != mark) {
                e.heapMark = mark;
                times[kept] = times[i];
                entries[kept++] = e;
            }
        }
        Arrays.fill(entries, kept, size, null);
        size = kept;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, times[i], entries[i]);
        }
    }

    private void siftUp(int i, long t, Entry e) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (times[parent] <= t) {
                break;
            }
            times[i] = times[parent];
            entries[i] = entries[parent];
            i = parent;
        }
        times[i] = t;
        entries[i] = e;
    }

    private void siftDown(int i, long t, Entry e) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && times[child + 1] < times[child]) {
                child++;
            }
            if (t <= times[child]) {
                break;
            }
            times[i] = times[child];
            entries[i] = entries[child];
            i = child;
        }
        times[i] = t;
        entries[i] = e;
    }
}
