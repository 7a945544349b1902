package io.shardline.examples.kv.store;

import java.util.List;

/**
 * A value as a DUMP payload carries it, apart from how this keyspace stores it: what {@link RdbReader}
 * decodes and {@link RdbWriter} encodes, and {@link RdbObjects} converts to and from a key's value.
 * Immutable once built; owned by the thread handling one DUMP or RESTORE.
 *
 * @param type the value's type
 * @param string a string's bytes, else null
 * @param items a list's elements in order, a set's members, a hash's fields and values alternating, or a
 *     sorted set's members; null for a string
 * @param scores a sorted set's scores, parallel to {@code items}; else null
 * @param stream a stream, whole (its RDB form is its node and group structure, which {@link StreamValue}
 *     mirrors); else null
 */
record RdbValue(ValueType type, byte[] string, List<byte[]> items, double[] scores, StreamValue stream) {
    static RdbValue ofString(byte[] s) {
        return new RdbValue(ValueType.STRING, s, null, null, null);
    }

    static RdbValue of(ValueType type, List<byte[]> items) {
        return new RdbValue(type, null, items, null, null);
    }

    static RdbValue ofZset(List<byte[]> members, double[] scores) {
        return new RdbValue(ValueType.ZSET, null, members, scores, null);
    }

    static RdbValue ofStream(StreamValue s) {
        return new RdbValue(ValueType.STREAM, null, null, null, s);
    }
}
