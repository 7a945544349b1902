package io.shardline.examples.kv.store;

/**
 * The hash the keyspace's tables place keys by: {@link Bytes#hash64} folded to 32 bits, over a slice
 * so a lookup needs no copy, and the same for a {@link Bytes} probe, whose 64-bit hash is already
 * computed, so a key is hashed once per lookup. Seeded per JVM (through Bytes) so nobody can choose
 * keys that pile into one run of the open-addressing table. Stateless, any thread.
 */
final class KeyHash {
    private KeyHash() {
    }

    static int of(byte[] b, int off, int len) {
        return fold(Bytes.hash64(b, off, len));
    }

    static int of(Bytes key) {
        return fold(key.hash);
    }

    private static int fold(long h) {
        return (int) (h ^ (h >>> 32));
    }
}
