package io.shardline.examples.kv.store;

import java.util.Arrays;

/**
 * A compact sequence of byte strings in one {@code byte[]}, the role of Redis's listpack: small hashes,
 * sets, sorted sets and lists live here instead of one object per element. Owned by one shard; not
 * thread-safe.
 *
 * <p>Layout (ours, not Redis's bytes): entries back to back, each {@code [length][bytes][length']}
 * where {@code length} is a little-endian base-128 varint and {@code length'} the same bytes reversed,
 * so the sequence walks both ways, as Redis's backlen allows. A string under 128 bytes costs 2 bytes
 * beyond its content. Index access walks from the nearest of the two ends and a cursor left by the last
 * access or change, so a forward or backward walk by index costs O(1) per step and a random index
 * O(n); callers keep these small (Redis's thresholds: 128 entries, 64-byte values by default).
 */
final class Listpack {
    private static final byte[] EMPTY = new byte[0];

    private byte[] buf = EMPTY;
    private int used;
    private int count;
    /** Some entry's index and offset (count and used mark the end); kept valid across every change. */
    private int cursorIndex;
    private int cursorOffset;

    int size() {
        return count;
    }

    /** Bytes the entries take (capacity aside). */
    int usedBytes() {
        return used;
    }

    /** Bytes held, capacity included, plus this object's fields: for memory accounting. */
    int footprint() {
        return buf.length + 32;
    }

    /** The entry at {@code index} (0..size-1), copied out. */
    byte[] get(int index) {
        int off = offset(index);
        int len = readLength(off);
        int data = off + varintSize(len);
        return Arrays.copyOfRange(buf, data, data + len);
    }

    /** The length of the entry at {@code index}. */
    int length(int index) {
        return readLength(offset(index));
    }

    /** Whether the entry at {@code index} holds exactly {@code value}. */
    boolean equalsAt(int index, byte[] value) {
        int off = offset(index);
        int len = readLength(off);
        int data = off + varintSize(len);
        return Arrays.equals(buf, data, data + len, value, 0, value.length);
    }

    /** memcmp order of the entry at {@code index} against {@code b}, shorter first on a common prefix. */
    int compareAt(int index, Bytes b) {
        int off = offset(index);
        int len = readLength(off);
        int data = off + varintSize(len);
        return Arrays.compareUnsigned(buf, data, data + len, b.bytes, b.offset(), b.offset() + b.length());
    }

    int compareAt(int index, byte[] value) {
        return compareAt(index, new Bytes(value));
    }

    int indexOf(byte[] value, int from, int step) {
        return indexOf(value, 0, value.length, from, step);
    }

    /** {@link #indexOf(byte[], int, int, int, int)} of {@code b}'s bytes (a probe's slice). */
    int indexOf(Bytes b, int from, int step) {
        return indexOf(b.bytes, b.offset(), b.length(), from, step);
    }

    /**
     * The first index {@code i = from + k·step} whose entry equals {@code a[off, off + len)}, or -1:
     * step 2 searches the fields of field/value pairs. One forward walk, O(bytes).
     */
    int indexOf(byte[] a, int aOff, int aLen, int from, int step) {
        if (from >= count) {
            return -1;
        }
        int off = offset(from);
        for (int i = from; i < count; i++) {
            int len = readLength(off);
            int h = varintSize(len);
            if ((i - from) % step == 0 && len == aLen && Arrays.equals(buf, off + h, off + h + len, a, aOff, aOff + aLen)) {
                cursorIndex = i;
                cursorOffset = off;
                return i;
            }
            off += 2 * h + len;
        }
        return -1;
    }

    void add(byte[] value) {
        insert(count, value, 0, value.length);
    }

    /** Appends {@code b}'s bytes (a probe's slice, copied in). */
    void add(Bytes b) {
        insert(count, b.bytes, b.offset(), b.length());
    }

    /** Inserts {@code value} so it becomes the entry at {@code index} (0..size). */
    void insert(int index, byte[] value) {
        insert(index, value, 0, value.length);
    }

    void insert(int index, Bytes b) {
        insert(index, b.bytes, b.offset(), b.length());
    }

    /** Inserts {@code a[aOff, aOff + aLen)} so it becomes the entry at {@code index} (0..size). */
    void insert(int index, byte[] a, int aOff, int aLen) {
        int off = offset(index);
        int need = entrySize(aLen);
        ensureCapacity(used + need);
        System.arraycopy(buf, off, buf, off + need, used - off);
        write(off, a, aOff, aLen);
        used += need;
        count++;
        cursorIndex = index;
        cursorOffset = off;
    }

    /** Replaces the entry at {@code index}. */
    void set(int index, byte[] value) {
        int off = offset(index);
        int oldSize = entrySize(readLength(off));
        int newSize = entrySize(value.length);
        if (newSize > oldSize) {
            ensureCapacity(used + newSize - oldSize);
        }
        System.arraycopy(buf, off + oldSize, buf, off + newSize, used - off - oldSize);
        write(off, value, 0, value.length);
        used += newSize - oldSize;
        cursorIndex = index;
        cursorOffset = off;
    }

    /** Removes {@code n} entries from {@code index}. */
    void remove(int index, int n) {
        if (n <= 0) {
            return;
        }
        int from = offset(index);
        int to = from;
        for (int i = 0; i < n; i++) {
            to += entrySize(readLength(to));
        }
        System.arraycopy(buf, to, buf, from, used - to);
        used -= to - from;
        count -= n;
        cursorIndex = index;
        cursorOffset = from;
        if (used < buf.length / 4) {
            buf = Arrays.copyOf(buf, used + (used >> 3)); // give back what a shrunk value no longer needs
        }
    }

    /** Empties the sequence. */
    void clear() {
        buf = EMPTY;
        used = 0;
        count = 0;
        cursorIndex = 0;
        cursorOffset = 0;
    }

    /** The offset of entry {@code index} (size: the end), walking from the nearest known position. */
    private int offset(int index) {
        if (index < 0 || index > count) {
            throw new IndexOutOfBoundsException(index);
        }
        int fromStart = index;
        int fromCursor = Math.abs(index - cursorIndex);
        int fromEnd = count - index;
        int i;
        int off;
        if (fromCursor <= fromStart && fromCursor <= fromEnd) {
            i = cursorIndex;
            off = cursorOffset;
        } else if (fromStart <= fromEnd) {
            i = 0;
            off = 0;
        } else {
            i = count;
            off = used;
        }
        while (i < index) {
            off += entrySize(readLength(off));
            i++;
        }
        while (i > index) {
            off -= entrySize(readBackLength(off));
            i--;
        }
        cursorIndex = index;
        cursorOffset = off;
        return off;
    }

    private void ensureCapacity(int needed) {
        if (needed > buf.length) {
            // 1/8 slack: small values are built by many small appends, but memory per element is the point
            buf = Arrays.copyOf(buf, needed + Math.max(needed >> 3, 8));
        }
    }

    private void write(int off, byte[] a, int aOff, int aLen) {
        int h = writeVarint(off, aLen);
        System.arraycopy(a, aOff, buf, off + h, aLen);
        int end = off + h + aLen;
        for (int i = 0; i < h; i++) {
            buf[end + i] = buf[off + h - 1 - i]; // the length again, reversed, for the backward walk
        }
    }

    /** Bytes an entry of {@code len} content bytes takes. */
    static int entrySize(int len) {
        return 2 * varintSize(len) + len;
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    private int writeVarint(int off, int v) {
        int n = 0;
        do {
            int b = v & 0x7F;
            v >>>= 7;
            buf[off + n++] = (byte) (v != 0 ? b | 0x80 : b);
        } while (v != 0);
        return n;
    }

    private int readLength(int off) {
        int v = 0;
        int shift = 0;
        int b;
        do {
            b = buf[off++];
            v |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return v;
    }

    /** The length of the entry that ends at {@code end}, read from its reversed copy. */
    private int readBackLength(int end) {
        int v = 0;
        int shift = 0;
        int b;
        do {
            b = buf[--end];
            v |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return v;
    }
}
