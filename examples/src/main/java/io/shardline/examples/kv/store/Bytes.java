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
 * The exception is a {@link #probe()}: a reusable view of a slice (a key where the request arrived),
 * owned by one shard's command code, re-aimed for each lookup with {@link #point} so that finding a
 * key allocates nothing. A probe is never stored; {@link #owned()} gives the copy to store.
 *
 * <p>The 64-bit hash is computed once. {@link java.util.HashMap} uses it for buckets, and the keyspace's
 * {@link KeyTable} its folded form ({@link KeyHash}), so a probe is hashed once per lookup. It is
 * seeded per JVM so that nobody can pick keys or members that all share one bucket or run; colliding
 * members in a HashMap bucket are kept in a tree because the class is {@link Comparable}, so flooding
 * one bucket costs O(log n), not O(n).
 */
final class Bytes implements Comparable<Bytes> {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SEED = new SplittableRandom().nextLong();
    private static final byte[] EMPTY = new byte[0];

    /** The whole key for an owned instance; for a probe, the array its slice lies in. */
    byte[] bytes;
    private int offset;
    private int length;
    long hash;
    private final boolean probe;

    /** Wraps {@code bytes} without copying; the caller must not change the array afterwards. */
    Bytes(byte[] bytes) {
        this.bytes = bytes;
        this.length = bytes.length;
        this.hash = hash64(bytes, 0, bytes.length);
        this.probe = false;
    }

    private Bytes(long hash, boolean probe) {
        this.bytes = EMPTY;
        this.hash = hash;
        this.probe = probe;
    }

    /** A reusable lookup view, aimed with {@link #point}; owned by one thread, never stored. */
    static Bytes probe() {
        return new Bytes(hash64(EMPTY, 0, 0), true);
    }

    /** Aims this probe at {@code array[offset, offset + length)}, read in place; returns it. */
    Bytes point(byte[] array, int offset, int length) {
        if (!probe) {
            throw new IllegalStateException("only a probe is re-aimed");
        }
        this.bytes = array;
        this.offset = offset;
        this.length = length;
        this.hash = hash64(array, offset, length);
        return this;
    }

    /** Aims this probe at argument {@code i} of {@code argv}. */
    Bytes point(io.shardline.examples.kv.resp.Argv argv, int i) {
        return point(argv.array(i), argv.offset(i), argv.length(i));
    }

    /** This key as an instance that may be stored: itself, or for a probe a copy of its slice. */
    Bytes owned() {
        return probe ? new Bytes(Arrays.copyOfRange(bytes, offset, offset + length)) : this;
    }

    /** The key's bytes as an array of their own: the array itself, or for a probe a copy. */
    byte[] ownedBytes() {
        return probe ? Arrays.copyOfRange(bytes, offset, offset + length) : bytes;
    }

    /** Where the key starts in {@link #bytes} (0 unless this is a probe). */
    int offset() {
        return offset;
    }

    /** The key's length in bytes. */
    int length() {
        return length;
    }

    @Override
    public int hashCode() {
        return (int) (hash ^ (hash >>> 32));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && b.hash == hash
                && Arrays.equals(b.bytes, b.offset, b.offset + b.length, bytes, offset, offset + length);
    }

    /** memcmp order, shorter first on a common prefix: the order Redis gives equal-score members. */
    @Override
    public int compareTo(Bytes o) {
        return Arrays.compareUnsigned(bytes, offset, offset + length, o.bytes, o.offset, o.offset + o.length);
    }

    @Override
    public String toString() {
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }

    /** A seeded 64-bit hash: 8-byte blocks mixed as in MurmurHash3, then its 64-bit finalizer. */
    static long hash64(byte[] b) {
        return hash64(b, 0, b.length);
    }

    /** {@link #hash64(byte[])} of {@code b[offset, offset + length)}. */
    static long hash64(byte[] b, int offset, int length) {
        long h = SEED ^ (length * 0x9E3779B97F4A7C15L);
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            h ^= mixBlock((long) LONGS.get(b, i));
            h = Long.rotateLeft(h, 27) * 5 + 0x52DCE729L;
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
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
