package io.shardline.examples.kv.store;

import java.util.LinkedHashMap;

/**
 * One key's value and expiry. Owned by one shard's {@link Keyspace}; not thread-safe.
 *
 * <p>The value's class follows {@link #type}: {@code byte[]} for a string, {@link ListValue},
 * {@link SetValue}, {@link ZSetValue}, or a {@code LinkedHashMap<Bytes, byte[]>} for a hash (insertion
 * order, as a small Redis hash replies).
 */
final class Entry {
    /** {@link #expireAt} of a key without a TTL (Redis' -1). */
    static final long NO_EXPIRY = -1;

    final Bytes key;
    ValueType type;
    Object value;
    /** Absolute Unix milliseconds after which the key is gone, or {@link #NO_EXPIRY}. */
    long expireAt = NO_EXPIRY;
    /** Set once the key leaves the keyspace, so an expiry-heap slot can tell it is stale in O(1). */
    boolean removed;
    /** Scratch for {@link ExpiryHeap#compact()}: the pass that last kept a slot for this entry. */
    int heapMark;

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

    @SuppressWarnings("unchecked") // the type field guarantees the value's class
    LinkedHashMap<Bytes, byte[]> hash() {
        return (LinkedHashMap<Bytes, byte[]>) value;
    }
}
