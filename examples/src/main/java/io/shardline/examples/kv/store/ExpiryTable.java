package io.shardline.examples.kv.store;

/**
 * The TTLs of one shard's keys: entry to absolute expiry (Unix ms), an open-addressing table apart
 * from the key table as Redis keeps its {@code expires} dict apart, so a key without a TTL pays
 * nothing but a flag bit in its record. Owned by the shard's {@link Keyspace}; not thread-safe.
 *
 * <p>Entries are found by identity from their key's hash. The active sweep walks
 * the slots from a cursor that survives between sweeps, like Redis' activeExpireCycle sampling the
 * expires dict, so each sweep costs what it examines and no index orders keys by time.
 */
final class ExpiryTable {
    private static final int MIN_CAPACITY = 16;

    private Entry[] entries = new Entry[MIN_CAPACITY];
    private int[] hashes = new int[MIN_CAPACITY];
    private long[] times = new long[MIN_CAPACITY];
    private int mask = MIN_CAPACITY - 1;
    private int size;
    /** Where the sweep resumes. */
    private int cursor;
    /** Set while a sweep runs: removals then leave the arrays where they are so slot numbers hold. */
    private boolean holdSize;

    int size() {
        return size;
    }

    int capacity() {
        return entries.length;
    }

    long bytes() {
        return HeapLayout.array(entries.length, HeapLayout.REFERENCE) + HeapLayout.array(hashes.length, 4)
                + HeapLayout.array(times.length, 8);
    }

    /** The expiry of {@code e}, or {@link Entry#NO_EXPIRY}. */
    long get(Entry e, int hash) {
        int i = indexOf(e, hash);
        return i < 0 ? Entry.NO_EXPIRY : times[i];
    }

    void put(Entry e, int hash, long time) {
        int i = indexOf(e, hash);
        if (i >= 0) {
            times[i] = time;
            return;
        }
        if (size + 1 > (entries.length >> 2) * 3) {
            resize(entries.length << 1);
        }
        place(e, hash, time);
        size++;
    }

    /** Drops the TTL of {@code e}; false if it had none. */
    boolean remove(Entry e, int hash) {
        int i = indexOf(e, hash);
        if (i < 0) {
            return false;
        }
        int m = mask;
        for (int j = (i + 1) & m; entries[j] != null; j = (j + 1) & m) {
            int home = hashes[j] & m;
            boolean movable = i <= j ? home <= i || home > j : home <= i && home > j;
            if (movable) {
                entries[i] = entries[j];
                hashes[i] = hashes[j];
                times[i] = times[j];
                i = j;
            }
        }
        entries[i] = null;
        size--;
        if (!holdSize) {
            shrinkIfSparse();
        }
        return true;
    }

    void clear() {
        entries = new Entry[MIN_CAPACITY];
        hashes = new int[MIN_CAPACITY];
        times = new long[MIN_CAPACITY];
        mask = MIN_CAPACITY - 1;
        size = 0;
        cursor = 0;
    }

    /** Starts a sweep: until {@link #endSweep()}, removals keep slot numbers. */
    void beginSweep() {
        holdSize = true;
    }

    void endSweep() {
        holdSize = false;
        shrinkIfSparse();
    }

    /** The entry in the slot the sweep is at, or null. */
    Entry entryAtCursor() {
        return entries[cursor & mask];
    }

    /** The expiry in the slot the sweep is at; meaningful only when {@link #entryAtCursor()} is not null. */
    long timeAtCursor() {
        return times[cursor & mask];
    }

    /** Moves the sweep to the next slot. A sweep that removes the entry at its cursor stays there instead, since the removal may shift the next key of the run into that slot. */
    void advanceCursor() {
        cursor = (cursor + 1) & mask;
    }

    private int indexOf(Entry e, int hash) {
        int m = mask;
        for (int i = hash & m; ; i = (i + 1) & m) {
            Entry x = entries[i];
            if (x == null) {
                return -1;
            }
            if (x == e) {
                return i;
            }
        }
    }

    private void shrinkIfSparse() {
        int capacity = entries.length;
        while (capacity > MIN_CAPACITY && size < capacity >> 3) {
            capacity >>= 1;
        }
        if (capacity != entries.length) {
            resize(capacity);
        }
    }

    private void place(Entry e, int hash, long time) {
        int i = hash & mask;
        while (entries[i] != null) {
            i = (i + 1) & mask;
        }
        entries[i] = e;
        hashes[i] = hash;
        times[i] = time;
    }

    private void resize(int capacity) {
        Entry[] oldEntries = entries;
        int[] oldHashes = hashes;
        long[] oldTimes = times;
        entries = new Entry[capacity];
        hashes = new int[capacity];
        times = new long[capacity];
        mask = capacity - 1;
        cursor &= mask;
        for (int i = 0; i < oldEntries.length; i++) {
            if (oldEntries[i] != null) {
                place(oldEntries[i], oldHashes[i], oldTimes[i]);
            }
        }
    }
}
