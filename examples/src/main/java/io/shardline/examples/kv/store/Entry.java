package io.shardline.examples.kv.store;

/**
 * One key's value and expiry. Owned by one shard's {@link Keyspace}; not thread-safe.
 *
 * <p>The value's class follows {@link #type}: {@code byte[]} for a string, {@link ListValue},
 * {@link SetValue}, {@link ZSetValue}, or {@link HashValue}.
 */
final class Entry {
    /** {@link #expireAt} of a key without a TTL (Redis' -1). */
    static final long NO_EXPIRY = -1;
    /** Redis's LRU_CLOCK_MAX: {@link #lru} keeps 24 bits. */
    static final int LRU_MAX = (1 << 24) - 1;

    final Bytes key;
    ValueType type;
    Object value;
    /** Absolute Unix milliseconds after which the key is gone, or {@link #NO_EXPIRY}. */
    long expireAt = NO_EXPIRY;
    /** Set once the key leaves the keyspace, so an expiry-heap slot can tell it is stale in O(1). */
    boolean removed;
    /** Scratch for {@link ExpiryHeap#compact()}: the pass that last kept a slot for this entry. */
    int heapMark;
    /** Redis's LRU clock at the last access: {@link Keyspace#lruClock()} seconds, 24 bits; for OBJECT IDLETIME. */
    int lru;

    Entry(Bytes key, ValueType type, Object value) {
        this.key = key;
        this.type = type;
        this.value = value;
    }

    byte[] string() {
        return (byte[]) value;
    }

    ListValue list() {
        return (ListValue) value;
    }

    SetValue set() {
        return (SetValue) value;
    }

    ZSetValue zset() {
        return (ZSetValue) value;
    }

    HashValue hash() {
        return (HashValue) value;
    }
}
