package io.shardline.examples.kv.store;

/**
 * A list value: a growable ring of byte strings with O(1) push and pop at both ends and O(1)
 * indexed reads (LRANGE starts anywhere without walking). Owned by one shard; not thread-safe.
 */
final class ListValue {
    private byte[][] items = new byte[8][];
    private int head;
    private int size;

    int size() {
        return size;
    }

    /** The element at {@code index} from the head, 0-based. */
    byte[] get(int index) {
        return items[(head + index) & (items.length - 1)];
    }

    void addFirst(byte[] v) {
        growIfFull();
        head = (head - 1) & (items.length - 1);
        items[head] = v;
        size++;
    }

    void addLast(byte[] v) {
        growIfFull();
        items[(head + size) & (items.length - 1)] = v;
        size++;
    }

    /** Removes and returns the head; the list must not be empty. */
    byte[] pollFirst() {
        byte[] v = items[head];
        items[head] = null; // let the element be collected
        head = (head + 1) & (items.length - 1);
        size--;
        return v;
    }

    /** Removes and returns the tail; the list must not be empty. */
    byte[] pollLast() {
        int i = (head + size - 1) & (items.length - 1);
        byte[] v = items[i];
        items[i] = null;
        size--;
        return v;
    }

    /** Replaces the element at {@code index}. */
    void set(int index, byte[] v) {
        items[(head + index) & (items.length - 1)] = v;
    }

    /** Inserts {@code v} so it becomes the element at {@code index} (0..size), shifting the shorter side. */
    void insert(int index, byte[] v) {
        if (index <= size / 2) {
            addFirst(v);
            for (int i = 0; i < index; i++) {
                set(i, get(i + 1));
            }
        } else {
            addLast(v);
            for (int i = size - 1; i > index; i--) {
                set(i, get(i - 1));
            }
        }
        set(index, v);
    }

    /** Removes the element at {@code index}, shifting the shorter side. */
    void removeAt(int index) {
        if (index < size / 2) {
            for (int i = index; i > 0; i--) {
                set(i, get(i - 1));
            }
            pollFirst();
        } else {
            for (int i = index; i < size - 1; i++) {
                set(i, get(i + 1));
            }
            pollLast();
        }
    }

    /**
     * Keeps only the elements for which {@code keep} is set, in order, in one pass: LREM's removal of
     * many matches costs O(n), not O(n) per match.
     */
    void retain(boolean[] keep) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (keep[i]) {
                set(kept++, get(i));
            }
        }
        while (size > kept) {
            pollLast();
        }
    }

    private void growIfFull() {
        if (size < items.length) {
            return;
        }
        byte[][] bigger = new byte[items.length * 2][]; // capacity stays a power of two for the masks
        for (int i = 0; i < size; i++) {
            bigger[i] = get(i);
        }
        items = bigger;
        head = 0;
    }
}
