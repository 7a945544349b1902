package io.shardline.examples.kv.store;

import java.util.List;
import java.util.TreeMap;

/**
 * A stream's RDB object (rdb.c's stream branches of rdbSaveObject and rdbLoadObject), stateless:
 *
 * <pre>
 * len nodes; per node: string master id (16 bytes, big-endian ms, seq), string listpack
 * len length, len lastId.ms, len lastId.seq
 * [types 19, 21] len firstId.ms, len firstId.seq, len maxDeletedId.ms, len maxDeletedId.seq, len entriesAdded
 * len groups; per group: string name, len lastId.ms, len lastId.seq, [19, 21] len entriesRead,
 *     len pending; per entry: raw id (16 bytes), ms deliveryTime (8 bytes LE), len deliveryCount
 *     len consumers; per consumer: string name, ms seenTime, [21] ms activeTime,
 *         len pending; per entry: raw id (which must be in the group's)
 * </pre>
 *
 * A node's listpack (t_stream.c) is its master entry, {@code count, deleted, #fields, field..., 0}, then
 * per entry {@code flags, ms-diff, seq-diff} (from the master id), then {@code #fields, field, value...}
 * or, when flag SAMEFIELDS (2) says the names are the master's, the values alone, and last the
 * entry's element count ({@code lp-count}). A deleted entry keeps its place, flagged DELETED (1).
 *
 * <p>Writes type {@value RdbReader#TYPE_STREAM_LISTPACKS_3}, Redis 7.2's. Reads types 15, 19 and 21 with
 * 7.2's defaults for what older ones lack: entries-added is the length, max-deleted 0-0, the recorded
 * first id the first live one, a group's entries-read estimated from its last id, and a consumer's
 * active time its seen time. Loading is as strict as Redis' deep sanitisation: listpacks parsed whole,
 * counts, id order and the group/consumer PEL links checked, anything else is {@link RdbInput.Corrupt}.
 */
final class StreamRdb {
    private static final int FLAG_DELETED = 1;
    private static final int FLAG_SAMEFIELDS = 2;
    private static final int ID_BYTES = 16;

    private StreamRdb() {
    }

    static void write(RdbWriter w, StreamValue s) {
        w.length(s.nodes.size());
        for (StreamNode n : s.nodes) {
            w.length(ID_BYTES);
            w.rawId(n.firstSlotId());
            w.string(listpack(n));
        }
        w.length(s.length);
        id(w, s.lastId);
        id(w, s.firstId);
        id(w, s.maxDeletedId);
        w.length(s.entriesAdded);
        w.length(s.groupCount());
        if (s.groups == null) {
            return;
        }
        for (var ge : s.groups.entrySet()) {
            StreamGroup g = ge.getValue();
            w.string(ge.getKey().bytes);
            id(w, g.lastId);
            w.length(g.entriesRead); // SCG_INVALID_ENTRIES_READ (-1) goes out as 2^64-1, as Redis' unsigned rdbSaveLen
            w.length(g.pel.size());
            for (var p : g.pel.entrySet()) {
                w.rawId(p.getKey());
                w.littleEndian(p.getValue().deliveryTime, 8);
                w.length(p.getValue().deliveryCount);
            }
            w.length(g.consumers.size());
            for (StreamConsumer c : g.consumers.values()) {
                w.string(c.name.bytes);
                w.littleEndian(c.seenTime, 8);
                w.littleEndian(c.activeTime, 8);
                w.length(c.pel.size());
                for (StreamId id : c.pel.keySet()) {
                    w.rawId(id);
                }
            }
        }
    }

    static StreamValue read(RdbInput in, int type) {
        boolean v2 = type != RdbReader.TYPE_STREAM_LISTPACKS;
        StreamValue s = new StreamValue();
        long nodes = in.readLength();
        if (nodes > in.remaining()) {
            throw new RdbInput.Corrupt("stream node count larger than the payload");
        }
        long live = 0;
        StreamId previous = null;
        for (long i = 0; i < nodes; i++) {
            byte[] key = in.readString();
            if (key.length != ID_BYTES) {
                throw new RdbInput.Corrupt("stream node key is not an id");
            }
            byte[] lp = in.readString();
            StreamNode node = node(new RdbInput(key, 0, ID_BYTES).readRawId(), ListpackReader.entries(lp), previous);
            node.bytes = lp.length;
            previous = node.lastSlotId();
            s.nodes.add(node);
            live += node.live;
        }
        s.length = in.readUnsigned();
        s.lastId = new StreamId(in.readUnsigned(), in.readUnsigned());
        if (s.length != live) {
            throw new RdbInput.Corrupt("stream length differs from its entries");
        }
        if (previous != null && previous.compareTo(s.lastId) > 0) {
            throw new RdbInput.Corrupt("stream entry above the last id");
        }
        if (v2) {
            s.firstId = new StreamId(in.readUnsigned(), in.readUnsigned());
            s.maxDeletedId = new StreamId(in.readUnsigned(), in.readUnsigned());
            s.entriesAdded = in.readUnsigned();
        } else { // streamGetEdgeID(s, 1, 1): the first live entry, or the highest id when there is none
            s.entriesAdded = s.length;
            s.firstId = s.length == 0 ? StreamId.MAX : s.firstValidId();
        }
        long groups = in.readLength();
        if (groups > in.remaining()) {
            throw new RdbInput.Corrupt("group count larger than the payload");
        }
        if (groups > 0) {
            s.groups = new TreeMap<>();
        }
        for (long i = 0; i < groups; i++) {
            Bytes name = new Bytes(in.readString());
            StreamId last = new StreamId(in.readUnsigned(), in.readUnsigned());
            StreamGroup g = new StreamGroup(last, v2 ? in.readUnsigned() : s.estimateDistance(last));
            if (s.groups.put(name, g) != null) {
                throw new RdbInput.Corrupt("duplicated consumer group name");
            }
            readPel(in, g);
            readConsumers(in, g, type == RdbReader.TYPE_STREAM_LISTPACKS_3);
        }
        return s;
    }

    /** The group's PEL, each entry without its consumer until {@link #readConsumers} links it. */
    private static void readPel(RdbInput in, StreamGroup g) {
        long pending = in.readLength();
        if (pending > in.remaining()) {
            throw new RdbInput.Corrupt("PEL size larger than the payload");
        }
        for (long p = 0; p < pending; p++) {
            StreamId id = in.readRawId();
            StreamNack nack = new StreamNack(null, in.readMillis(), in.readUnsigned());
            if (g.pel.put(id, nack) != null) {
                throw new RdbInput.Corrupt("duplicated global PEL entry");
            }
        }
    }

    private static void readConsumers(RdbInput in, StreamGroup g, boolean activeTime) {
        long consumers = in.readLength();
        if (consumers > in.remaining()) {
            throw new RdbInput.Corrupt("consumer count larger than the payload");
        }
        for (long c = 0; c < consumers; c++) {
            Bytes name = new Bytes(in.readString());
            StreamConsumer consumer = new StreamConsumer(name, in.readMillis());
            consumer.activeTime = activeTime ? in.readMillis() : consumer.seenTime; // 7.2's best estimate
            if (g.consumers.put(name, consumer) != null) {
                throw new RdbInput.Corrupt("duplicate stream consumer");
            }
            long pending = in.readLength();
            if (pending > in.remaining()) {
                throw new RdbInput.Corrupt("consumer PEL size larger than the payload");
            }
            for (long p = 0; p < pending; p++) {
                StreamId id = in.readRawId();
                StreamNack nack = g.pel.get(id);
                if (nack == null || nack.consumer != null) {
                    throw new RdbInput.Corrupt("consumer PEL entry not in the group's, or owned twice");
                }
                nack.consumer = consumer;
                consumer.pel.put(id, nack);
            }
        }
        for (StreamNack nack : g.pel.values()) {
            if (nack.consumer == null) {
                throw new RdbInput.Corrupt("group PEL entry without a consumer");
            }
        }
    }

    /** The listpack of one node, as streamAppendItem and streamIteratorRemoveEntry leave it. */
    private static byte[] listpack(StreamNode n) {
        ListpackWriter lp = new ListpackWriter();
        byte[][] master = n.masterFields();
        lp.add(n.live).add(n.slots - n.live).add(master.length);
        for (byte[] f : master) {
            lp.add(f);
        }
        lp.add(0);
        for (int s = 0; s < n.slots; s++) {
            byte[][] fv = n.fields[s];
            boolean same = n.sameFields(fv);
            lp.add((same ? FLAG_SAMEFIELDS : 0) | (n.deleted(s) ? FLAG_DELETED : 0));
            lp.add(n.ms[s] - n.ms[0]).add(n.seq[s] - n.seq[0]);
            if (!same) {
                lp.add(fv.length / 2);
            }
            for (int i = same ? 1 : 0; i < fv.length; i += same ? 2 : 1) {
                lp.add(fv[i]);
            }
            lp.add(same ? fv.length / 2 + 3 : fv.length + 4);
        }
        return lp.toBytes();
    }

    /**
     * A node from its listpack's elements. The first entry must be the master (its id and field names):
     * Redis never removes it from a node, only flags it, so any other shape is not a Redis payload.
     */
    private static StreamNode node(StreamId master, List<byte[]> e, StreamId previous) {
        if (e.isEmpty()) {
            throw new RdbInput.Corrupt("empty listpack inside stream");
        }
        int[] p = {0};
        long count = number(e, p);
        long deleted = number(e, p);
        long fieldCount = number(e, p);
        if (fieldCount <= 0 || fieldCount > e.size()) {
            throw new RdbInput.Corrupt("stream master field count");
        }
        byte[][] fields = new byte[(int) fieldCount][];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = element(e, p);
        }
        if (number(e, p) != 0) {
            throw new RdbInput.Corrupt("stream master entry terminator");
        }
        StreamNode node = new StreamNode();
        while (p[0] < e.size()) {
            long flags = number(e, p);
            StreamId id = new StreamId(master.ms() + number(e, p), master.seq() + number(e, p));
            boolean same = (flags & FLAG_SAMEFIELDS) != 0;
            long pairs = same ? fields.length : number(e, p);
            if (pairs <= 0 || pairs > e.size()) {
                throw new RdbInput.Corrupt("stream entry field count");
            }
            byte[][] fv = new byte[(int) (2 * pairs)][];
            for (int i = 0; i < pairs; i++) {
                fv[2 * i] = same ? fields[i] : element(e, p);
                fv[2 * i + 1] = element(e, p);
            }
            if (number(e, p) != (same ? pairs + 3 : 2 * pairs + 4) || (flags & ~(FLAG_DELETED | FLAG_SAMEFIELDS)) != 0) {
                throw new RdbInput.Corrupt("stream entry lp-count or flags");
            }
            if (previous != null && id.compareTo(previous) <= 0) {
                throw new RdbInput.Corrupt("stream ids out of order");
            }
            previous = id;
            node.add(id.ms(), id.seq(), fv);
            if (node.slots == 1 && (!id.equals(master) || !java.util.Arrays.deepEquals(fields, node.masterFields()))) {
                throw new RdbInput.Corrupt("stream node does not open with its master entry");
            }
            if ((flags & FLAG_DELETED) != 0) {
                node.delete(node.slots - 1);
            }
        }
        if (node.live == 0 || node.live != count || node.slots - node.live != deleted) {
            throw new RdbInput.Corrupt("stream node counts");
        }
        return node;
    }

    private static void id(RdbWriter w, StreamId id) {
        w.length(id.ms());
        w.length(id.seq());
    }

    private static byte[] element(List<byte[]> e, int[] p) {
        if (p[0] >= e.size()) {
            throw new RdbInput.Corrupt("stream listpack ends inside an entry");
        }
        return e.get(p[0]++);
    }

    private static long number(List<byte[]> e, int[] p) {
        byte[] b = element(e, p);
        if (!Numbers.isLong(b)) {
            throw new RdbInput.Corrupt("stream listpack number");
        }
        return Numbers.toLong(b);
    }
}
