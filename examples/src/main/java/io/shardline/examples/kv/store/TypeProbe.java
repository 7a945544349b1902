package io.shardline.examples.kv.store;

/**
 * Which type a key holds, read without touching its LRU clock: what a blocked client's shard checks
 * before it tries to serve it (Redis only retries a blocked client on a key of the type it waits for).
 * Stateless; called on the keyspace's shard.
 */
public final class TypeProbe {
    private TypeProbe() {
    }

    /** TYPE's name for {@code key}: "none", "string", "list", "set", "zset", "hash" or "stream". */
    public static String of(Keyspace ks, byte[] key) {
        Entry e = ks.peek(key, 0, key.length, KeyHash.of(key, 0, key.length));
        return e == null ? "none" : e.type().redisName();
    }
}
