package io.shardline.examples.kv;

/**
 * Which shard owns each of Redis Cluster's 16384 {@link HashSlot hash slots}. Immutable, any thread.
 *
 * <p>The table is the placement: a key lives on the shard of its slot, so data written under one
 * shard count can be placed again under another by moving slots, and a data directory is not bound
 * to the shard count that wrote it. {@link #evenSplit} gives each shard one contiguous range of
 * about 16384 / N slots, as redis-cli's cluster creation spreads slots over masters.
 */
public final class SlotTable {
    private final short[] owner;
    private final int shards;

    private SlotTable(short[] owner, int shards) {
        this.owner = owner;
        this.shards = shards;
    }

    /** Shard i owns slots {@code [i * 16384 / n, (i + 1) * 16384 / n)}. */
    public static SlotTable evenSplit(int shards) {
        if (shards < 1 || shards > HashSlot.SLOTS) {
            throw new IllegalArgumentException("shards must be 1.." + HashSlot.SLOTS + ", was " + shards);
        }
        short[] owner = new short[HashSlot.SLOTS];
        for (int slot = 0; slot < HashSlot.SLOTS; slot++) {
            owner[slot] = (short) evenOwner(slot, shards);
        }
        return new SlotTable(owner, shards);
    }

    /** A table from each slot's shard ({@code shardOf[slot]}, copied) over {@code shards} shards. */
    static SlotTable of(short[] shardOf, int shards) {
        if (shardOf.length != HashSlot.SLOTS) {
            throw new IllegalArgumentException("a slot table has " + HashSlot.SLOTS + " slots, not " + shardOf.length);
        }
        return new SlotTable(shardOf.clone(), shards);
    }

    /** Whether this table places every slot where {@code other} does. */
    boolean samePlacement(SlotTable other) {
        return shards == other.shards && java.util.Arrays.equals(owner, other.owner);
    }

    /**
     * The shard of {@code slot} in {@link #evenSplit}: the last shard whose range starts at or before it,
     * {@code floor(((slot + 1) * n - 1) / 16384)}.
     */
    static int evenOwner(int slot, int shards) {
        return (int) (((slot + 1L) * shards - 1) / HashSlot.SLOTS);
    }

    /** The shard that owns {@code key}. */
    public int shardOf(byte[] key) {
        return owner[HashSlot.of(key)];
    }

    /** The shard that owns the key in {@code bytes[offset, offset + length)}. */
    public int shardOf(byte[] bytes, int offset, int length) {
        return owner[HashSlot.of(bytes, offset, length)];
    }

    /** The shard that owns {@code slot}. */
    public int shardOfSlot(int slot) {
        return owner[slot];
    }

    public int shards() {
        return shards;
    }
}
