package io.shardline.examples.kv.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * The hash the keyspace's tables place keys by, over a slice so a probe needs no copy. Seeded per JVM
 * so nobody can choose keys that pile into one run of the open-addressing table. Stateless, any thread.
 */
final class KeyHash {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SEED = new SplittableRandom().nextLong();

    private KeyHash() {
    }

    /** 8-byte blocks mixed as in MurmurHash3, then its 64-bit finalizer, folded to 32 bits. */
    static int of(byte[] b, int off, int len) {
        long h = SEED ^ (len * 0x9E3779B97F4A7C15L);
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            h ^= mix((long) LONGS.get(b, i));
            h = Long.rotateLeft(h, 27) * 5 + 0x52DCE729L;
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
            tail |= (b[i] & 0xFFL) << shift;
        }
        h ^= mix(tail);
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h;
    }

    private static long mix(long k) {
        k *= 0x87C37B91114253D5L;
        k = Long.rotateLeft(k, 31);
        return k * 0x4CF5AD432745937FL;
    }
}
