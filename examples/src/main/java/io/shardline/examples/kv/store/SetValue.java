package io.shardline.examples.kv.store;

import java.util.HashMap;
import java.util.SplittableRandom;

/**
 * A set value in one of Redis 7.2's three encodings, converted one way as t_set.c does: an
 * {@link Intset} while every member is an integer and there are at most {@code set-max-intset-entries}
 * of them; a {@link Listpack} (insertion order) while small otherwise; and a hash table (a dense member
 * array plus a member-to-slot map, so SPOP takes a uniformly random member in O(1)). Owned by one
 * shard; not thread-safe.
 *
 * <p>Iteration ({@link #get}) follows the encoding, as SMEMBERS does in Redis: ascending for an
 * intset, insertion order for a listpack, slot order (insertion order disturbed by removals) for the
 * table.
 */
final class SetValue {
    private final EncodingLimits limits;
    private Intset ints;
    private Listpack pack;
    private HashMap<Bytes, Integer> slots;
    private Bytes[] members;
    private int size;

    /** An empty set starting as an intset, as SINTERSTORE's destination does. */
    SetValue(EncodingLimits limits) {
        this.limits = limits;
        this.ints = new Intset();
    }

    /** A scratch set (set algebra's working sets): a hash table from the start, for O(1) membership. */
    SetValue() {
        this(EncodingLimits.DEFAULTS);
        toTable();
    }

    /**
     * setTypeCreate: the encoding a new set gets for its first member when about {@code sizeHint} members
     * will be added (SADD's argument count).
     */
    static SetValue create(EncodingLimits limits, boolean firstIsInteger, long sizeHint) {
        SetValue s = new SetValue(limits);
        if (!(firstIsInteger && sizeHint <= limits.setIntsetEntries)) {
            if (sizeHint <= limits.setEntries) {
                s.toListpack();
            } else {
                s.toTable();
            }
        }
        return s;
    }

    /** setTypeMaybeConvert: about to add {@code sizeHint} members, past a compact limit goes to the table. */
    void prepareFor(long sizeHint) {
        if ((pack != null && sizeHint > limits.setEntries) || (ints != null && sizeHint > intsetMax())) {
            toTable();
        }
    }

    /** {@code intset}, {@code listpack} or {@code hashtable}, as OBJECT ENCODING names it. */
    String encoding() {
        return ints != null ? "intset" : pack != null ? "listpack" : "hashtable";
    }

    int size() {
        return ints != null ? ints.size() : pack != null ? pack.size() : size;
    }

    boolean contains(Bytes m) {
        if (ints != null) {
            return isLong(m) && ints.contains(toLong(m));
        }
        return pack != null ? pack.indexOf(m, 0, 1) >= 0 : slots.containsKey(m);
    }

    /** The member at position {@code i} of the iteration order. */
    Bytes get(int i) {
        return ints == null && pack == null ? members[i] : new Bytes(member(i));
    }

    /** The bytes of the member at position {@code i} of the iteration order. */
    byte[] member(int i) {
        if (ints != null) {
            return Numbers.ascii(ints.get(i));
        }
        return pack != null ? pack.get(i) : members[i].bytes;
    }

    /** Adds {@code m} (a probe is copied); false if it was there already. */
    boolean add(Bytes m) {
        if (ints != null) {
            if (isLong(m)) {
                if (!ints.add(toLong(m))) {
                    return false;
                }
                if (ints.size() > intsetMax()) {
                    toTable();
                }
                return true;
            }
            intsetTakes(m.length());
        }
        if (pack != null) {
            if (pack.indexOf(m, 0, 1) >= 0) {
                return false;
            }
            if (pack.size() < limits.setEntries && m.length() <= limits.setValue) {
                pack.add(m);
                return true;
            }
            toTable();
        }
        return tableAdd(m.owned());
    }

    /** Removes {@code m}; false if it was absent. */
    boolean remove(Bytes m) {
        if (ints != null) {
            return isLong(m) && ints.remove(toLong(m));
        }
        if (pack != null) {
            int i = pack.indexOf(m, 0, 1);
            if (i < 0) {
                return false;
            }
            pack.remove(i, 1);
            return true;
        }
        Integer slot = slots.remove(m);
        if (slot == null) {
            return false;
        }
        removeSlot(slot);
        return true;
    }

    /** Removes and returns a uniformly random member; the set must not be empty. */
    Bytes popRandom(SplittableRandom random) {
        int i = random.nextInt(size());
        Bytes m = get(i);
        if (ints != null) {
            ints.removeAt(i);
        } else if (pack != null) {
            pack.remove(i, 1);
        } else {
            slots.remove(m);
            removeSlot(i);
        }
        return m;
    }

    /** An independent copy in the same encoding (COPY, as setTypeDup). */
    SetValue copy() {
        SetValue c = new SetValue(limits);
        if (ints != null) {
            c.ints = ints.copy();
            return c;
        }
        if (pack != null) {
            c.toListpack();
        } else {
            c.toTable();
        }
        for (int i = 0; i < size(); i++) {
            if (c.pack != null) {
                c.pack.add(member(i));
            } else {
                c.tableAdd(members[i]);
            }
        }
        return c;
    }

    private static boolean isLong(Bytes m) {
        return Numbers.isLong(m.bytes, m.offset(), m.length());
    }

    private static long toLong(Bytes m) {
        return Numbers.toLong(m.bytes, m.offset(), m.length());
    }

    private int intsetMax() {
        return Math.min(limits.setIntsetEntries, 1 << 30);
    }

    /**
     * An intset about to take a non-integer of {@code len} bytes: a listpack if the integers' longest
     * spelling, the new member and the count fit its limits, else the table (setTypeAddAux).
     */
    private void intsetTakes(int len) {
        int longest = ints.size() == 0 ? 0 : Math.max(Numbers.ascii(ints.min()).length, Numbers.ascii(ints.max()).length);
        if (ints.size() < limits.setEntries && len <= limits.setValue && longest <= limits.setValue) {
            toListpack();
        } else {
            toTable();
        }
    }

    private void toListpack() {
        Listpack p = new Listpack();
        for (int i = 0; i < size(); i++) {
            p.add(member(i));
        }
        pack = p;
        ints = null;
    }

    private void toTable() {
        int n = size();
        HashMap<Bytes, Integer> map = new HashMap<>(Math.max(4, n * 2));
        Bytes[] array = new Bytes[Math.max(4, n)];
        for (int i = 0; i < n; i++) {
            array[i] = new Bytes(member(i));
            map.put(array[i], i);
        }
        slots = map;
        members = array;
        size = n;
        ints = null;
        pack = null;
    }

    private boolean tableAdd(Bytes m) {
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
