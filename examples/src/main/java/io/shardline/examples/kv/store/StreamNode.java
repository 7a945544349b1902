package io.shardline.examples.kv.store;

/**
 * One node of a {@link StreamValue}: up to {@link #MAX_ENTRIES} entries in id order, as one of Redis'
 * listpacks in the stream's radix tree. Owned by the stream's shard; not thread-safe.
 *
 * <p>Entries are parallel arrays (ids as two longs, the field/value pairs as one array), not an object
 * each. A deleted entry stays as a tombstone (flagged, its fields kept, as Redis keeps them in the
 * listpack and a DUMP writes them) until the whole node is empty, as Redis only flags it: node boundaries, and so what an approximate ({@code ~}) trim removes, follow
 * Redis' rules (a node closes at 100 entries, live or deleted, or near 4 KiB of listpack bytes; the byte
 * count here is an estimate of Redis' encoding, exact for the small entries of the tests).
 */
final class StreamNode {
    /** Redis' stream-node-max-entries default. */
    static final int MAX_ENTRIES = 100;
    /** Redis' stream-node-max-bytes default. */
    static final int MAX_BYTES = 4096;

    long[] ms = new long[4];
    long[] seq = new long[4];
    /** Field/value pairs of each slot, a deleted one's included. */
    byte[][][] fields = new byte[4][][];
    /** Which slots are deleted (Redis' STREAM_ITEM_FLAG_DELETED). */
    boolean[] dead = new boolean[4];
    /** Slots used, deleted ones included. */
    int slots;
    /** Entries not deleted. */
    int live;
    /** Estimated listpack bytes. */
    int bytes;
    /** The first entry's field names, as Redis' master entry: entries with the same names encode smaller. */
    private byte[][] master;

    /** Whether an entry of {@code fieldValues} must open a new node (streamAppendItem's test). */
    boolean full(byte[][] fieldValues) {
        long total = 0;
        for (byte[] b : fieldValues) {
            total += b.length;
        }
        return bytes + total >= MAX_BYTES || slots >= MAX_ENTRIES;
    }

    void add(long ms, long seq, byte[][] fieldValues) {
        if (slots == this.ms.length) {
            // past MAX_ENTRIES only for a node RESTORE loaded from a Redis with a larger stream-node-max-entries
            int n = slots < MAX_ENTRIES ? Math.min(MAX_ENTRIES, slots * 2) : slots * 2;
            this.ms = java.util.Arrays.copyOf(this.ms, n);
            this.seq = java.util.Arrays.copyOf(this.seq, n);
            this.fields = java.util.Arrays.copyOf(this.fields, n);
            this.dead = java.util.Arrays.copyOf(this.dead, n);
        }
        if (slots == 0) {
            master = new byte[fieldValues.length / 2][];
            bytes = 7 + 2 + 2 + 2 + 1; // header, count, deleted, field count, terminator
            for (int i = 0; i < master.length; i++) {
                master[i] = fieldValues[2 * i];
                bytes += element(master[i].length);
            }
        }
        this.ms[slots] = ms;
        this.seq[slots] = seq;
        this.fields[slots] = fieldValues;
        slots++;
        live++;
        bytes += estimate(ms - this.ms[0], seq - this.seq[0], fieldValues);
    }

    StreamId id(int slot) {
        return new StreamId(ms[slot], seq[slot]);
    }

    StreamId firstSlotId() {
        return id(0);
    }

    StreamId lastSlotId() {
        return id(slots - 1);
    }

    boolean deleted(int slot) {
        return dead[slot];
    }

    void delete(int slot) {
        dead[slot] = true;
        live--;
    }

    /** The first entry's field names: the node's master entry. */
    byte[][] masterFields() {
        return master;
    }

    /** Whether {@code fieldValues} has exactly the master entry's field names (STREAM_ITEM_FLAG_SAMEFIELDS). */
    boolean sameFields(byte[][] fieldValues) {
        boolean same = fieldValues.length == 2 * master.length;
        for (int i = 0; same && i < master.length; i++) {
            same = java.util.Arrays.equals(master[i], fieldValues[2 * i]);
        }
        return same;
    }

    /** The first slot whose id is at least {@code id}, or {@link #slots} if none. */
    int ceiling(StreamId id) {
        int lo = 0;
        int hi = slots;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(mid, id) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The last slot whose id is at most {@code id}, or -1 if none. */
    int floor(StreamId id) {
        int lo = 0;
        int hi = slots;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(mid, id) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }

    int compare(int slot, StreamId id) {
        int c = Long.compareUnsigned(ms[slot], id.ms());
        return c != 0 ? c : Long.compareUnsigned(seq[slot], id.seq());
    }

    /** A copy sharing the field arrays, which are never changed once added. */
    StreamNode copy() {
        StreamNode n = new StreamNode();
        n.ms = ms.clone();
        n.seq = seq.clone();
        n.fields = fields.clone();
        n.dead = dead.clone();
        n.slots = slots;
        n.live = live;
        n.bytes = bytes;
        n.master = master;
        return n;
    }

    private int estimate(long msDelta, long seqDelta, byte[][] fieldValues) {
        boolean same = sameFields(fieldValues);
        int b = 2 + integer(msDelta) + integer(seqDelta) + 2; // flags, ids, lp-count
        if (!same) {
            b += 2;
        }
        for (int i = 0; i < fieldValues.length; i++) {
            if (same && i % 2 == 0) {
                continue;
            }
            b += element(fieldValues[i].length);
        }
        return b;
    }

    /** Listpack bytes of a string element of {@code n} bytes, with its back-length. */
    private static int element(int n) {
        int header = n < 64 ? 1 : n < 4096 ? 2 : 5;
        int total = header + n;
        return total + (total < 128 ? 1 : total < 16384 ? 2 : 3);
    }

    /** Listpack bytes of an integer element, with its back-length. */
    private static int integer(long v) {
        return v >= 0 && v < 128 ? 2 : v >= -4096 && v < 4096 ? 3 : v == (short) v ? 4 : v == (v << 40 >> 40) ? 5 : v == (int) v ? 6 : 10;
    }
}
