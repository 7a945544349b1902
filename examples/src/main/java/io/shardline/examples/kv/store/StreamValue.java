package io.shardline.examples.kv.store;

import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream: entries in id order in {@link StreamNode}s (Redis' radix tree of listpacks), its counters
 * (length, last generated id, recorded first id, max deleted id, entries added) and its consumer
 * groups by name in byte order. Owned by one shard's {@link Keyspace}; not thread-safe.
 *
 * <p>Ids only grow, so an entry is always added to the last node; a lookup is a binary search over
 * nodes, then within one. The lag and entries-read arithmetic is Redis 7.2's ({@link #estimateDistance},
 * {@link #lag}, {@link #deliver}), not the corrected one of 7.4 and later, so replies match 7.2's.
 */
final class StreamValue {
    /** Redis' SCG_INVALID_ENTRIES_READ. */
    static final long INVALID_READ = -1;

    /** What a visit of {@link #range} sees: one live entry. Return false to stop. */
    @FunctionalInterface
    interface Visitor {
        boolean visit(StreamId id, byte[][] fieldValues);
    }

    final ArrayList<StreamNode> nodes = new ArrayList<>();
    long length;
    StreamId lastId = StreamId.MIN;
    StreamId firstId = StreamId.MIN;
    StreamId maxDeletedId = StreamId.MIN;
    long entriesAdded;
    /** By name in byte order, as Redis' rax lists them; null until the first group. */
    TreeMap<Bytes, StreamGroup> groups;

    /** Adds an entry whose id is above {@link #lastId} (the caller checked). */
    void append(StreamId id, byte[][] fieldValues) {
        StreamNode tail = nodes.isEmpty() ? null : nodes.get(nodes.size() - 1);
        if (tail == null || tail.full(fieldValues)) {
            tail = new StreamNode();
            nodes.add(tail);
        }
        tail.add(id.ms(), id.seq(), fieldValues);
        length++;
        entriesAdded++;
        lastId = id;
        if (length == 1) {
            firstId = id;
        }
    }

    /** The fields of the live entry {@code id}, or null. */
    byte[][] get(StreamId id) {
        int n = nodeFloor(id);
        if (n < 0) {
            return null;
        }
        StreamNode node = nodes.get(n);
        int slot = node.floor(id);
        return slot >= 0 && node.compare(slot, id) == 0 && !node.deleted(slot) ? node.fields[slot] : null;
    }

    /** XDEL of one id: false if no live entry has it. Updates the first id and max deleted id too. */
    boolean delete(StreamId id) {
        int n = nodeFloor(id);
        if (n < 0) {
            return false;
        }
        StreamNode node = nodes.get(n);
        int slot = node.floor(id);
        if (slot < 0 || node.compare(slot, id) != 0 || node.deleted(slot)) {
            return false;
        }
        if (node.live == 1) {
            nodes.remove(n);
        } else {
            node.delete(slot);
        }
        length--;
        if (id.compareTo(maxDeletedId) > 0) {
            maxDeletedId = id;
        }
        if (length == 0) {
            firstId = StreamId.MIN;
        } else if (id.equals(firstId)) {
            firstId = firstValidId();
        }
        return true;
    }

    /** Visits live entries from {@code start} to {@code end} inclusive, forward or back, until told to stop. */
    void range(StreamId start, StreamId end, boolean rev, Visitor v) {
        if (start.compareTo(end) > 0) {
            return;
        }
        if (!rev) {
            for (int n = Math.max(0, nodeFloor(start)); n < nodes.size(); n++) {
                StreamNode node = nodes.get(n);
                for (int s = node.ceiling(start); s < node.slots; s++) {
                    if (node.compare(s, end) > 0) {
                        return;
                    }
                    if (!node.deleted(s) && !v.visit(node.id(s), node.fields[s])) {
                        return;
                    }
                }
            }
        } else {
            for (int n = nodeFloor(end); n >= 0; n--) {
                StreamNode node = nodes.get(n);
                for (int s = node.floor(end); s >= 0; s--) {
                    if (node.compare(s, start) < 0) {
                        return;
                    }
                    if (!node.deleted(s) && !v.visit(node.id(s), node.fields[s])) {
                        return;
                    }
                }
            }
        }
    }

    /** The last live entry's id (streamLastValidID), or 0-0 when empty. */
    StreamId lastValidId() {
        StreamId[] found = {StreamId.MIN};
        range(StreamId.MIN, StreamId.MAX, true, (id, f) -> {
            found[0] = id;
            return false;
        });
        return found[0];
    }

    StreamId firstValidId() {
        StreamId[] found = {StreamId.MIN};
        range(StreamId.MIN, StreamId.MAX, false, (id, f) -> {
            found[0] = id;
            return false;
        });
        return found[0];
    }

    /** The id of the first slot, a tombstone included (streamGetEdgeID without skipping): a rewritten MINID. */
    StreamId firstSlotId() {
        return nodes.isEmpty() ? StreamId.MIN : nodes.get(0).firstSlotId();
    }

    /**
     * streamTrim: removes entries from the head by length ({@code minId} null) or below {@code minId};
     * with {@code approx}, whole nodes only; {@code limit} (0: none) caps the entries removed. Returns
     * how many it removed.
     */
    long trim(long maxLen, StreamId minId, boolean approx, long limit) {
        long deleted = 0;
        while (!nodes.isEmpty()) {
            if (minId == null && length <= maxLen) {
                break;
            }
            StreamNode node = nodes.get(0);
            long entries = node.live;
            if (limit != 0 && deleted + entries > limit) {
                break;
            }
            boolean whole = minId == null ? length - entries >= maxLen : node.lastSlotId().compareTo(minId) < 0;
            if (whole) {
                nodes.remove(0);
                length -= entries;
                deleted += entries;
                continue;
            }
            if (approx) {
                break;
            }
            for (int s = 0; s < node.slots; s++) {
                if (minId == null ? length <= maxLen : node.compare(s, minId) >= 0) {
                    break;
                }
                if (!node.deleted(s)) {
                    node.delete(s);
                    length--;
                    deleted++;
                }
            }
            break;
        }
        if (length == 0) {
            firstId = StreamId.MIN;
        } else if (deleted > 0) {
            firstId = firstValidId();
        }
        return deleted;
    }

    /** streamRangeHasTombstones from {@code start} to the end, as Redis 7.2 has it. */
    boolean rangeHasTombstones(StreamId start) {
        if (length == 0 || maxDeletedId.isZero() || firstId.compareTo(maxDeletedId) > 0) {
            return false; // no tombstone, or the latest one is before the first entry
        }
        return start.compareTo(maxDeletedId) <= 0;
    }

    /** streamEstimateDistanceFromFirstEverEntry: the entries-read counter of {@code id}, or {@link #INVALID_READ}. */
    long estimateDistance(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (length == 0 && id.compareTo(lastId) < 1) {
            return entriesAdded;
        }
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return INVALID_READ;
        }
        int cmpFirst = id.compareTo(firstId);
        if (maxDeletedId.isZero() || maxDeletedId.compareTo(firstId) < 0) {
            if (cmpFirst < 0) {
                return entriesAdded - length;
            } else if (cmpFirst == 0) {
                return entriesAdded - length + 1;
            }
        }
        return INVALID_READ;
    }

    /** streamReplyWithCGLag as in Redis 7.2: the group's lag, or null when Redis cannot tell it. */
    Long lag(StreamGroup g) {
        if (entriesAdded == 0) {
            return 0L;
        }
        if (g.entriesRead != INVALID_READ && !rangeHasTombstones(g.lastId)) {
            return entriesAdded - g.entriesRead;
        }
        long read = estimateDistance(g.lastId);
        return read == INVALID_READ ? null : entriesAdded - read;
    }

    /**
     * Moves {@code g}'s last-delivered id forward to {@code id} as a read delivers it, keeping its
     * entries-read counter as streamReplyWithRange does.
     */
    void deliver(StreamGroup g, StreamId id) {
        if (g.entriesRead != INVALID_READ && !rangeHasTombstones(id)) {
            g.entriesRead++;
        } else if (entriesAdded != 0) {
            g.entriesRead = estimateDistance(id);
        }
        g.lastId = id;
    }

    /** What OBJECT ENCODING reports for a stream: Redis has the one encoding. */
    String encoding() {
        return "stream";
    }

    StreamGroup group(byte[] name) {
        return groups == null ? null : groups.get(new Bytes(name));
    }

    int groupCount() {
        return groups == null ? 0 : groups.size();
    }

    /** A deep copy: nodes, counters, groups, consumers and pending entries (COPY). */
    StreamValue copy() {
        StreamValue c = new StreamValue();
        for (StreamNode n : nodes) {
            c.nodes.add(n.copy());
        }
        c.length = length;
        c.lastId = lastId;
        c.firstId = firstId;
        c.maxDeletedId = maxDeletedId;
        c.entriesAdded = entriesAdded;
        if (groups != null) {
            c.groups = new TreeMap<>();
            for (Map.Entry<Bytes, StreamGroup> g : groups.entrySet()) {
                c.groups.put(g.getKey(), g.getValue().copy());
            }
        }
        return c;
    }

    /** The index of the last node whose first slot is at most {@code id}, or -1. */
    private int nodeFloor(StreamId id) {
        int lo = 0;
        int hi = nodes.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (nodes.get(mid).compare(0, id) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }
}
