package io.shardline.examples.kv.store;

/**
 * The thresholds at which a small collection leaves its compact encoding (listpack, intset) for the
 * big one, as Redis's {@code *-max-listpack-*} and {@code set-max-intset-entries} settings. One
 * instance per shard, shared by that shard's {@link Keyspace}s (one per database); not thread-safe. CONFIG SET writes every
 * shard's instance through that shard's own thread.
 *
 * <p>The values read them on each write, so a lowered limit applies from the next write to a value, as
 * in Redis; an existing value is never converted by the CONFIG SET itself.
 */
public final class EncodingLimits {
    /** Redis's list-max-listpack-size -2 and the byte limits of its negative levels -1..-5. */
    private static final int[] LIST_SIZE_LEVELS = {4096, 8192, 16384, 32768, 65536};

    /** Redis's defaults; used by scratch values that never become a key. Never changed. */
    static final EncodingLimits DEFAULTS = new EncodingLimits();

    int hashEntries = 512; // Redis's default (config.c and redis.conf); zset's is 128
    int hashValue = 64;
    int setIntsetEntries = 512;
    int setEntries = 128;
    int setValue = 64;
    int zsetEntries = 128;
    int zsetValue = 64;
    int listSize = -2;

    /** The parameter names CONFIG knows, canonical names first, each alias beside its name. */
    public static final String[] NAMES = {
        "hash-max-listpack-entries", "hash-max-ziplist-entries", "hash-max-listpack-value", "hash-max-ziplist-value",
        "set-max-intset-entries", "set-max-listpack-entries", "set-max-listpack-value",
        "zset-max-listpack-entries", "zset-max-ziplist-entries", "zset-max-listpack-value", "zset-max-ziplist-value",
        "list-max-listpack-size", "list-max-ziplist-size",
    };

    /** The value of parameter {@code name} (lower case, any alias), or null if it is not one of these. */
    public Integer get(String name) {
        return switch (name) {
            case "hash-max-listpack-entries", "hash-max-ziplist-entries" -> hashEntries;
            case "hash-max-listpack-value", "hash-max-ziplist-value" -> hashValue;
            case "set-max-intset-entries" -> setIntsetEntries;
            case "set-max-listpack-entries" -> setEntries;
            case "set-max-listpack-value" -> setValue;
            case "zset-max-listpack-entries", "zset-max-ziplist-entries" -> zsetEntries;
            case "zset-max-listpack-value", "zset-max-ziplist-value" -> zsetValue;
            case "list-max-listpack-size", "list-max-ziplist-size" -> listSize;
            default -> null;
        };
    }

    /**
     * The smallest and largest value Redis accepts for {@code name} (config.c's bounds: sizes are
     * non-negative up to LONG_MAX, list-max-listpack-size is an int from INT_MIN), or null for an
     * unknown name.
     */
    public static long[] bounds(String name) {
        return switch (name) {
            case "list-max-listpack-size", "list-max-ziplist-size" -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            default -> NAMES_SET.contains(name) ? new long[] {0, Long.MAX_VALUE} : null;
        };
    }

    private static final java.util.Set<String> NAMES_SET = java.util.Set.of(NAMES);

    /** Sets parameter {@code name}, which {@link #bounds} accepted with {@code value} in range. */
    public void set(String name, long value) {
        int v = (int) Math.min(value, Integer.MAX_VALUE); // no collection reaches 2^31 entries or bytes
        switch (name) {
            case "hash-max-listpack-entries", "hash-max-ziplist-entries" -> hashEntries = v;
            case "hash-max-listpack-value", "hash-max-ziplist-value" -> hashValue = v;
            case "set-max-intset-entries" -> setIntsetEntries = v;
            case "set-max-listpack-entries" -> setEntries = v;
            case "set-max-listpack-value" -> setValue = v;
            case "zset-max-listpack-entries", "zset-max-ziplist-entries" -> zsetEntries = v;
            case "zset-max-listpack-value", "zset-max-ziplist-value" -> zsetValue = v;
            case "list-max-listpack-size", "list-max-ziplist-size" -> listSize = v;
            default -> throw new IllegalArgumentException("not an encoding limit: " + name);
        }
    }

    /** Copies every limit of {@code other} (a shard taking another shard's CONFIG SET). */
    public void copyFrom(EncodingLimits other) {
        hashEntries = other.hashEntries;
        hashValue = other.hashValue;
        setIntsetEntries = other.setIntsetEntries;
        setEntries = other.setEntries;
        setValue = other.setValue;
        zsetEntries = other.zsetEntries;
        zsetValue = other.zsetValue;
        listSize = other.listSize;
    }

    /** The most entries one list listpack may hold: Integer.MAX_VALUE under a byte limit. */
    int listEntryLimit() {
        return listSize >= 0 ? Math.max(listSize, 1) : Integer.MAX_VALUE;
    }

    /** The most (Redis-listpack) bytes one list listpack may hold: Integer.MAX_VALUE under a count limit. */
    int listByteLimit() {
        return listSize >= 0 ? Integer.MAX_VALUE : LIST_SIZE_LEVELS[Math.min(-listSize - 1, LIST_SIZE_LEVELS.length - 1)];
    }
}
