package io.shardline.examples.kv.store;

/**
 * MurmurHash64A, the 64-bit hash Redis feeds HyperLogLog elements through. Hand-written because
 * register indexes must match Redis's bit for bit and no dependency of ours ships this variant.
 * Stateless; any thread.
 */
final class Murmur64A {
    private Murmur64A() {
    }

    /** MurmurHash64A of {@code a[off..off+n)}, reading 8-byte blocks little-endian as Redis does on every platform. */
    static long hash(byte[] a, int off, int n, long seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        long h = seed ^ (n * m);
        int end = off + (n & ~7);
        int i = off;
        for (; i < end; i += 8) {
            long k = 0;
            for (int j = 7; j >= 0; j--) {
                k = (k << 8) | (a[i + j] & 0xff);
            }
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int tail = n & 7;
        if (tail > 0) {
            for (int j = tail - 1; j >= 0; j--) {
                h ^= (long) (a[i + j] & 0xff) << (8 * j);
            }
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }
}
