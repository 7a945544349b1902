package io.shardline.examples.kv.store;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * One shard's keys: an open-addressing table (linear probing) of {@link Entry} references beside
 * their 32-bit hashes. Owned by the shard's {@link Keyspace}; not thread-safe.
 *
 * <p>Why this shape: two flat arrays cost about 8 bytes a slot, with no node object and no key
 * wrapper per key, and a probe compares hashes in one array before it touches an entry, so a lookup
 * by slice allocates nothing and usually reads one record. The table keeps between 1/8 and 3/4 of
 * its slots used (doubling or halving), so a run of used slots stays short. Deletion shifts the rest
 * of the run back (no tombstones), which keeps every key reachable from its home slot.
 *
 * <p>SCAN walks home slots in reverse-binary order, as Redis' dictScan walks buckets: a home slot's
 * keys are the run from it to the next free slot whose hash lands there, and because doubling splits
 * home {@code h} into {@code h} and {@code h + capacity/2} (halving merges them), which reverse-binary
 * order visits next to each other, a key present for the whole scan is returned at least once
 * however the table grows or shrinks in between.
 */
final class KeyTable implements Iterable<Entry> {
    private static final int MIN_CAPACITY = 16;
    /** The most slots: a Java array's reach with a power of two. */
    private static final int MAX_CAPACITY = 1 << 30;

    private Entry[] slots = new Entry[MIN_CAPACITY];
    private int[] hashes = new int[MIN_CAPACITY];
    private int mask = MIN_CAPACITY - 1;
    private int size;

    int size() {
        return size;
    }

    int capacity() {
        return slots.length;
    }

    /** Heap bytes of the two arrays. */
    long bytes() {
        return HeapLayout.array(slots.length, HeapLayout.REFERENCE) + HeapLayout.array(hashes.length, 4);
    }

    /** Whether one more key fits without passing {@link #MAX_CAPACITY}. */
    boolean hasRoom() {
        return size + 1 <= (MAX_CAPACITY >> 2) * 3;
    }

    /** The entry whose key is {@code key[off, off+len)}, hashing to {@code hash}, or null. */
    Entry find(byte[] key, int off, int len, int hash) {
        Entry[] s = slots;
        int[] h = hashes;
        int m = mask;
        for (int i = hash & m; ; i = (i + 1) & m) {
            Entry e = s[i];
            if (e == null) {
                return null;
            }
            if (h[i] == hash && e.keyEquals(key, off, len)) {
                return e;
            }
        }
    }

    /** Adds {@code e}, whose key the table does not hold; {@link #hasRoom()} must be true. */
    void insert(Entry e, int hash) {
        if (size + 1 > (slots.length >> 2) * 3) {
            resize(slots.length << 1);
        }
        place(e, hash);
        size++;
    }

    /** Removes {@code e} (by identity), which the table holds under {@code hash}. */
    void delete(Entry e, int hash) {
        int m = mask;
        int i = hash & m;
        while (slots[i] != e) {
            if (slots[i] == null) {
                throw new IllegalStateException("delete of an entry the table does not hold");
            }
            i = (i + 1) & m;
        }
        // Backward shift: pull later keys of the run into the hole unless their home lies after it.
        for (int j = (i + 1) & m; slots[j] != null; j = (j + 1) & m) {
            int home = hashes[j] & m;
            boolean movable = i <= j ? home <= i || home > j : home <= i && home > j;
            if (movable) {
                slots[i] = slots[j];
                hashes[i] = hashes[j];
                i = j;
            }
        }
        slots[i] = null;
        hashes[i] = 0;
        size--;
        if (slots.length > MIN_CAPACITY && size < slots.length >> 3) {
            resize(slots.length >> 1);
        }
    }

    /** Empties the table and returns it to its smallest size. */
    void clear() {
        slots = new Entry[MIN_CAPACITY];
        hashes = new int[MIN_CAPACITY];
        mask = MIN_CAPACITY - 1;
        size = 0;
    }

    /** An entry at a random place, or null if empty: a random slot, then the first used one after it. */
    Entry random(SplittableRandom random) {
        if (size == 0) {
            return null;
        }
        for (int i = random.nextInt(slots.length); ; i = (i + 1) & mask) {
            if (slots[i] != null) {
                return slots[i];
            }
        }
    }

    /**
     * Adds to {@code out} the entries of home slots from {@code cursor} on, until at least {@code count}
     * were added or {@code 10 × count} home slots were visited (Redis' bound on empty buckets), and
     * returns the cursor to continue from, 0 once every home slot was visited.
     */
    long scan(long cursor, int count, List<Entry> out) {
        long m = mask;
        long v = cursor;
        long visits = Math.max(count, 1) * 10L;
        int wanted = out.size() + Math.max(count, 1);
        do {
            int home = (int) (v & m);
            for (int i = home; slots[i] != null; i = (i + 1) & mask) {
                if ((hashes[i] & mask) == home) {
                    out.add(slots[i]);
                }
            }
            v |= ~m;
            v = Long.reverse(Long.reverse(v) + 1);
        } while (v != 0 && --visits > 0 && out.size() < wanted);
        return v;
    }

    /** The entries in slot order, for a walk that changes nothing meanwhile (a snapshot). */
    @Override
    public Iterator<Entry> iterator() {
        return new Iterator<>() {
            private int slot = skipFree(0);

            private int skipFree(int from) {
                int i = from;
                while (i < slots.length && slots[i] == null) {
                    i++;
                }
                return i;
            }

            @Override
            public boolean hasNext() {
                return slot < slots.length;
            }

            @Override
            public Entry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Entry e = slots[slot];
                slot = skipFree(slot + 1);
                return e;
            }
        };
    }

    private void place(Entry e, int hash) {
        int i = hash & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = e;
        hashes[i] = hash;
    }

    private void resize(int capacity) {
        Entry[] oldSlots = slots;
        int[] oldHashes = hashes;
        slots = new Entry[capacity];
        hashes = new int[capacity];
        mask = capacity - 1;
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] != null) {
                place(oldSlots[i], oldHashes[i]);
            }
        }
    }
}
