package io.shardline.examples.kv.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A set of distinct 64-bit integers kept sorted in one {@code byte[]} at the narrowest width that
 * holds them all (2, 4 or 8 bytes), as Redis's intset: a small set of integers costs its width per
 * member. The width only grows (as intsetUpgradeAndAdd), never shrinks. Lookups are binary searches,
 * adds and removes shift the tail. Owned by one shard; not thread-safe.
 */
final class Intset {
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] data = new byte[0];
    private int width = 2;
    private int size;

    int size() {
        return size;
    }

    /** 2, 4 or 8: bytes per member. */
    int width() {
        return width;
    }

    /** The member at {@code index} in ascending order. */
    long get(int index) {
        return read(data, width, index);
    }

    long min() {
        return get(0);
    }

    long max() {
        return get(size - 1);
    }

    boolean contains(long v) {
        return widthOf(v) <= width && search(v) >= 0;
    }

    /** Adds {@code v}; false if present. */
    boolean add(long v) {
        int w = widthOf(v);
        if (w > width) {
            upgrade(w);
        }
        int at = search(v);
        if (at >= 0) {
            return false;
        }
        at = -at - 1;
        if ((size + 1) * width > data.length) {
            data = Arrays.copyOf(data, (size + 1 + Math.max(size >> 3, 1)) * width);
        }
        System.arraycopy(data, at * width, data, (at + 1) * width, (size - at) * width);
        write(data, width, at, v);
        size++;
        return true;
    }

    /** Removes {@code v}; false if absent. */
    boolean remove(long v) {
        if (widthOf(v) > width) {
            return false;
        }
        int at = search(v);
        if (at < 0) {
            return false;
        }
        removeAt(at);
        return true;
    }

    /** Removes the member at {@code index}. */
    void removeAt(int index) {
        System.arraycopy(data, (index + 1) * width, data, index * width, (size - index - 1) * width);
        size--;
    }

    /** Bytes held, for memory accounting. */
    int footprint() {
        return data.length + 32;
    }

    Intset copy() {
        Intset c = new Intset();
        c.data = Arrays.copyOf(data, size * width);
        c.width = width;
        c.size = size;
        return c;
    }

    /** The narrowest width that holds {@code v}, as _intsetValueEncoding. */
    static int widthOf(long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            return 8;
        }
        return v < Short.MIN_VALUE || v > Short.MAX_VALUE ? 4 : 2;
    }

    /** Index of {@code v}, or {@code -(insertion point) - 1}. */
    private int search(long v) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long m = get(mid);
            if (m < v) {
                lo = mid + 1;
            } else if (m > v) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    private void upgrade(int w) {
        byte[] wider = new byte[Math.max(size * w, (size + 1) * w)];
        for (int i = 0; i < size; i++) {
            write(wider, w, i, get(i));
        }
        data = wider;
        width = w;
    }

    private static long read(byte[] a, int w, int i) {
        return switch (w) {
            case 2 -> (short) SHORTS.get(a, i * 2);
            case 4 -> (int) INTS.get(a, i * 4);
            default -> (long) LONGS.get(a, i * 8);
        };
    }

    private static void write(byte[] a, int w, int i, long v) {
        switch (w) {
            case 2 -> SHORTS.set(a, i * 2, (short) v);
            case 4 -> INTS.set(a, i * 4, (int) v);
            default -> LONGS.set(a, i * 8, v);
        }
    }
}
