package io.shardline.examples.kv.store;

import java.util.Arrays;

/**
 * The entries the running command looked up or added, each with the bytes the keyspace counted for
 * it then, so that the command's in-place changes (a list push, a SETRANGE) are counted once it ends
 * without the command reporting them. Owned by one shard's {@link Keyspace}; not thread-safe.
 *
 * <p>An entry is noted once per command (a flag in its record says so), so a command over n keys
 * costs O(n) here. Collections are estimated per element: the exact figure would need a walk of the
 * collection, and their classes change in place without telling the keyspace.
 */
final class Touched {
    /** Estimated heap bytes per element: a list slot and a short byte[]. */
    private static final long LIST_ELEMENT = 40;
    /** A member's Bytes and byte[], its map node and boxed slot number, its array slot. */
    private static final long SET_ELEMENT = 112;
    /** A member's Bytes and byte[], its skip-list node and its map node. */
    private static final long ZSET_ELEMENT = 144;
    /** A field's Bytes and byte[], the value's byte[], the linked map node. */
    private static final long HASH_ELEMENT = 128;
    /** A stream entry: its two id longs and slot in a node, its field/value array and one pair's arrays. */
    private static final long STREAM_ELEMENT = 96;
    /** A collection's own objects when empty (the value object and its first arrays or map). */
    private static final long COLLECTION_BASE = 96;

    private Entry[] entries = new Entry[8];
    private long[] counted = new long[8];
    private int size;

    /** The bytes the keyspace counts for {@code e} as it is now. */
    static long bytesOf(Entry e) {
        long perElement = switch (e.type()) {
            case STRING -> 0;
            case LIST -> LIST_ELEMENT;
            case SET -> SET_ELEMENT;
            case ZSET -> ZSET_ELEMENT;
            case HASH -> HASH_ELEMENT;
            case STREAM -> STREAM_ELEMENT;
        };
        return e.ownBytes() + (perElement == 0 ? 0 : COLLECTION_BASE + perElement * e.elements());
    }

    /** Notes {@code e}, just counted at {@link #bytesOf}, unless this command noted it already. */
    void note(Entry e) {
        if (e.touched()) {
            return;
        }
        e.markTouched(true);
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
            counted = Arrays.copyOf(counted, size * 2);
        }
        entries[size] = e;
        counted[size++] = bytesOf(e);
    }

    /** {@code e} leaves the keyspace: returns the bytes counted for it, and stops following it. */
    long forget(Entry e) {
        if (!e.touched()) {
            return bytesOf(e);
        }
        e.markTouched(false);
        for (int i = size - 1; i >= 0; i--) { // a command usually removes what it just looked up
            if (entries[i] == e) {
                entries[i] = null;
                return counted[i];
            }
        }
        throw new IllegalStateException("a touched entry that was not noted");
    }

    /** The change in bytes of every noted entry since it was noted; forgets them all. */
    long recount() {
        long delta = 0;
        for (int i = 0; i < size; i++) {
            Entry e = entries[i];
            if (e != null) {
                e.markTouched(false);
                delta += bytesOf(e) - counted[i];
                entries[i] = null;
            }
        }
        size = 0;
        shrink();
        return delta;
    }

    /** Forgets every noted entry without counting (the keyspace was emptied). */
    void clear() {
        for (int i = 0; i < size; i++) {
            if (entries[i] != null) {
                entries[i].markTouched(false);
                entries[i] = null;
            }
        }
        size = 0;
        shrink();
    }

    private void shrink() {
        if (entries.length > 1024) { // one huge MGET should not pin a large array for good
            entries = new Entry[8];
            counted = new long[8];
        }
    }
}
