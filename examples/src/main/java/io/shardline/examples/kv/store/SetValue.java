package io.shardline.examples.kv.store;

import java.util.HashMap;
import java.util.SplittableRandom;

/**
 * A set value: members in a dense array plus a member-to-slot map, so membership is O(1) and SPOP
 * takes a uniformly random member in O(1) (swap with the last slot). Owned by one shard; not
 * thread-safe.
 */
final class SetValue {
    private final HashMap<Bytes, Integer> slots = new HashMap<>();
    private Bytes[] members = new Bytes[4];
    private int size;

    int size() {
        return size;
    }

    boolean contains(Bytes m) {
        return slots.containsKey(m);
    }

    /** The member in slot {@code i} (iteration order: insertion order, disturbed by removals). */
    Bytes get(int i) {
        return members[i];
    }

    /** Adds {@code m}; false if it was there already. */
    boolean add(Bytes m) {
        if (slots.putIfAbsent(m, size) != null) {
            return false;
        }
        if (size == members.length) {
            Bytes[] bigger = new Bytes[size * 2];
            System.arraycopy(members, 0, bigger, 0, size);
            members = bigger;
        }
        members[size++] = m;
        return true;
    }

    /** Removes {@code m}; false if it was absent. */
    boolean remove(Bytes m) {
        Integer slot = slots.remove(m);
        if (slot == null) {
            return false;
        }
        removeSlot(slot);
        return true;
    }

    /** Removes and returns a uniformly random member; the set must not be empty. */
    Bytes popRandom(SplittableRandom random) {
        int slot = random.nextInt(size);
        Bytes m = members[slot];
        slots.remove(m);
        removeSlot(slot);
        return m;
    }

    private void removeSlot(int slot) {
        int last = --size;
        if (slot != last) {
            Bytes moved = members[last];
            members[slot] = moved;
            slots.put(moved, slot);
        }
        members[last] = null;
    }
}
