package io.shardline.examples.kv.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A byte string used as a key, a set or hash field, or a sorted-set member, compared by content.
 * Immutable once built: the array is handed over and never changed again, so any thread may read it.
 *
 * <p>The 64-bit hash is computed once. {@link java.util.HashMap} uses it for buckets. It is seeded per
 * JVM so that nobody can pick members that all share one bucket; colliding members in a HashMap
 * bucket are kept in a tree because the class is {@link Comparable}, so flooding one bucket costs
 * O(log n), not O(n). The keyspace does not use this hash: {@link KeyTable} hashes key slices itself.
 */
final class Bytes implements Comparable<Bytes> {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SEED = new SplittableRandom().nextLong();

    final byte[] bytes;
    final long hash;

    /** Wraps {@code bytes} without copying; the caller must not change the array afterwards. */
    Bytes(byte[] bytes) {
        this.bytes = bytes;
        this.hash = hash64(bytes);
    }

    @Override
    public int hashCode() {
        return (int) (hash ^ (hash >>> 32));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && b.hash == hash && Arrays.equals(b.bytes, bytes);
    }

    /** memcmp order, shorter first on a common prefix: the order Redis gives equal-score members. */
    @Override
    public int compareTo(Bytes o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** A seeded 64-bit hash: 8-byte blocks mixed as in MurmurHash3, then its 64-bit finalizer. */
    static long hash64(byte[] b) {
        long h = SEED ^ (b.length * 0x9E3779B97F4A7C15L);
        int i = 0;
        for (; i + 8 <= b.length; i += 8) {
            h ^= mixBlock((long) LONGS.get(b, i));
            h = Long.rotateLeft(h, 27) * 5 + 0x52DCE729L;
        }
        long tail = 0;
        for (int shift = 0; i < b.length; i++, shift += 8) {
            tail |= (b[i] & 0xFFL) << shift;
        }
        h ^= mixBlock(tail);
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }

    private static long mixBlock(long k) {
        k *= 0x87C37B91114253D5L;
        k = Long.rotateLeft(k, 31);
        return k * 0x4CF5AD432745937FL;
    }
}
