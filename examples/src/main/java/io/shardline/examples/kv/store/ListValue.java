package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;

/**
 * A list value in Redis 7.2's two encodings: a {@link Listpack} while it fits one quicklist node
 * ({@code list-max-listpack-size}: 8 KiB by default), else a growable ring of byte strings with O(1)
 * push and pop at both ends and O(1) indexed reads, reported as {@code quicklist}. Owned by one shard;
 * not thread-safe.
 *
 * <p>Conversions follow t_list.c: a push, LINSERT or LSET first asks {@link #prepareFor} whether the
 * listpack would pass the node limit with the new elements' bytes (listTypeTryConversionAppend); a
 * change that shrinks the list goes back to a listpack once it fits half the limit
 * (listTypeTryConvertQuicklist), so a list near the limit does not flip back and forth. Sizes are
 * counted as Redis's listpack would store the elements ({@link #redisEntrySize}), so the switch
 * happens at the lengths Redis switches at. Redis's quicklist is a chain of listpack nodes and converts
 * back only when it has one node; ours has no nodes, so "one node" is read as "fits one node".
 */
final class ListValue {
    /** A Redis listpack's header (total bytes, count) and end byte. */
    private static final int LP_HEADER = 7;

    private final EncodingLimits limits;
    private Listpack pack = new Listpack();
    private byte[][] items;
    private int head;
    private int size;
    /** The bytes Redis's listpack would take for these elements (header included), in either encoding. */
    private long redisBytes = LP_HEADER;

    ListValue(EncodingLimits limits) {
        this.limits = limits;
    }

    /** A scratch list with Redis's default limits. */
    ListValue() {
        this(EncodingLimits.DEFAULTS);
    }

    /** {@code listpack} or {@code quicklist}, as OBJECT ENCODING names it. */
    String encoding() {
        return pack != null ? "listpack" : "quicklist";
    }

    int size() {
        return pack != null ? pack.size() : size;
    }

    /** The element at {@code index} from the head, 0-based. */
    byte[] get(int index) {
        return pack != null ? pack.get(index) : items[(head + index) & (items.length - 1)];
    }

    /** Before adding {@code argv[from..to)}: leaves the listpack if they would take it past one node. */
    void prepareFor(Argv argv, int from, int to) {
        if (pack == null) {
            return;
        }
        long add = 0;
        for (int i = from; i < to; i++) {
            add += argv.length(i);
        }
        if (exceeds(redisBytes + add, pack.size() + (to - from), false)) {
            toRing();
        }
    }

    /** {@link #prepareFor(Argv, int, int)} for one element. */
    void prepareFor(byte[] v) {
        if (pack != null && exceeds(redisBytes + v.length, pack.size() + 1, false)) {
            toRing();
        }
    }

    /** Appends {@code v} after the conversion check a push makes: for loaders and copies. */
    void append(byte[] v) {
        prepareFor(v);
        addLast(v);
    }

    void addFirst(byte[] v) {
        redisBytes += redisEntrySize(v);
        if (pack != null) {
            pack.insert(0, v);
            return;
        }
        growIfFull();
        head = (head - 1) & (items.length - 1);
        items[head] = v;
        size++;
    }

    void addLast(byte[] v) {
        redisBytes += redisEntrySize(v);
        if (pack != null) {
            pack.add(v);
            return;
        }
        growIfFull();
        items[(head + size) & (items.length - 1)] = v;
        size++;
    }

    /** Removes and returns the head; the list must not be empty. */
    byte[] pollFirst() {
        byte[] v = pack != null ? removePacked(0) : ringPollFirst();
        shrunk(v);
        return v;
    }

    /** Removes and returns the tail; the list must not be empty. */
    byte[] pollLast() {
        byte[] v = pack != null ? removePacked(pack.size() - 1) : ringPollLast();
        shrunk(v);
        return v;
    }

    /** Replaces the element at {@code index} (LSET, after {@link #prepareFor}). */
    void set(int index, byte[] v) {
        byte[] old = get(index);
        redisBytes += redisEntrySize(v);
        if (pack != null) {
            pack.set(index, v);
            redisBytes -= redisEntrySize(old);
            return;
        }
        ringSet(index, v);
        shrunk(old);
    }

    /** Inserts {@code v} so it becomes the element at {@code index} (0..size), shifting the shorter side. */
    void insert(int index, byte[] v) {
        if (pack != null) {
            redisBytes += redisEntrySize(v);
            pack.insert(index, v);
            return;
        }
        if (index <= size / 2) {
            addFirst(v);
            for (int i = 0; i < index; i++) {
                ringSet(i, get(i + 1));
            }
        } else {
            addLast(v);
            for (int i = size - 1; i > index; i--) {
                ringSet(i, get(i - 1));
            }
        }
        ringSet(index, v);
    }

    /** Removes the element at {@code index}, shifting the shorter side. */
    void removeAt(int index) {
        if (pack != null) {
            removePacked(index);
            return;
        }
        byte[] v = get(index);
        if (index < size / 2) {
            for (int i = index; i > 0; i--) {
                ringSet(i, get(i - 1));
            }
            ringPollFirst();
        } else {
            for (int i = index; i < size - 1; i++) {
                ringSet(i, get(i + 1));
            }
            ringPollLast();
        }
        shrunk(v);
    }

    /**
     * Keeps only the elements for which {@code keep} is set, in order, in one pass: LREM's removal of
     * many matches costs O(n), not O(n) per match.
     */
    void retain(boolean[] keep) {
        int n = size();
        if (pack != null) {
            for (int i = n - 1; i >= 0; i--) { // from the tail: the indexes still to visit stay put
                if (!keep[i]) {
                    removePacked(i);
                }
            }
            return;
        }
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                ringSet(kept++, get(i));
            } else {
                redisBytes -= redisEntrySize(get(i));
            }
        }
        while (size > kept) {
            ringPollLast();
        }
        shrunk(null);
    }

    /** An independent copy in the same encoding (COPY, as listTypeDup). */
    ListValue copy() {
        ListValue c = new ListValue(limits);
        if (pack == null) {
            c.toRing();
        }
        for (int i = 0; i < size(); i++) {
            c.addLast(get(i));
        }
        return c;
    }

    /**
     * The bytes one element takes in a Redis listpack: an integer-looking string is stored as an
     * integer of 1 to 9 bytes, anything else as a 1, 2 or 5 byte header and its bytes; then its
     * back-length (lpEncodeBacklen).
     */
    static int redisEntrySize(byte[] v) {
        int encoded;
        if (Numbers.isLong(v)) {
            long x = Numbers.toLong(v);
            encoded = x >= 0 && x <= 127 ? 1 : x >= -4096 && x <= 4095 ? 2 : x >= Short.MIN_VALUE && x <= Short.MAX_VALUE ? 3
                    : x >= -(1 << 23) && x < (1 << 23) ? 4 : x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE ? 5 : 9;
        } else {
            encoded = (v.length < 64 ? 1 : v.length < 4096 ? 2 : 5) + v.length;
        }
        int back = encoded < 128 ? 1 : encoded < 16384 ? 2 : encoded < 2097152 ? 3 : encoded < 268435456 ? 4 : 5;
        return encoded + back;
    }

    /** quicklistNodeExceedsLimit (halved when shrinking, as listTypeTryConvertQuicklist). */
    private boolean exceeds(long bytes, long count, boolean shrinking) {
        long byteLimit = limits.listByteLimit();
        long countLimit = limits.listEntryLimit();
        if (shrinking) {
            return limits.listSize < 0 ? bytes > byteLimit / 2 : count > countLimit / 2;
        }
        return bytes > byteLimit || count > countLimit;
    }

    /** Removes the listpack's element at {@code index}, counted out of {@link #redisBytes}. */
    private byte[] removePacked(int index) {
        byte[] v = pack.get(index);
        pack.remove(index, 1);
        redisBytes -= redisEntrySize(v);
        return v;
    }

    private byte[] ringPollFirst() {
        byte[] v = items[head];
        items[head] = null; // let the element be collected
        head = (head + 1) & (items.length - 1);
        size--;
        return v;
    }

    private byte[] ringPollLast() {
        int i = (head + size - 1) & (items.length - 1);
        byte[] v = items[i];
        items[i] = null;
        size--;
        return v;
    }

    /**
     * After a change that may have shrunk the list: counts {@code removed} out (null: nothing more to
     * count; a listpack counts its own removals), then goes back to a listpack if half a node holds it.
     */
    private void shrunk(byte[] removed) {
        if (pack != null) {
            return;
        }
        if (removed != null) {
            redisBytes -= redisEntrySize(removed);
        }
        if (!exceeds(redisBytes, size, true)) {
            Listpack p = new Listpack();
            for (int i = 0; i < size; i++) {
                p.add(get(i));
            }
            pack = p;
            items = null;
            head = 0;
            size = 0;
        }
    }

    private void toRing() {
        int n = pack.size();
        int cap = 8;
        while (cap < n + 1) {
            cap <<= 1;
        }
        byte[][] ring = new byte[cap][];
        for (int i = 0; i < n; i++) {
            ring[i] = pack.get(i);
        }
        items = ring;
        head = 0;
        size = n;
        pack = null;
    }

    private void ringSet(int index, byte[] v) {
        items[(head + index) & (items.length - 1)] = v;
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
