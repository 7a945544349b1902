package io.shardline.examples.kv.store;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The snapshot form of a stream (value type 6 of {@link Snapshot}), stateless:
 *
 * <pre>
 * id = long ms, long seq
 * id lastId, id firstId, id maxDeletedId, long entriesAdded
 * int nodes; per node: int slots; per slot: id, int n, |n| × bytes (n negative: a deleted entry; -1, from
 *     older snapshots: deleted, its fields not kept)
 * int groups; per group: bytes name, id lastId, long entriesRead,
 *     int consumers; per consumer: bytes name, long seenTime, long activeTime
 *     int pending; per entry: id, bytes consumer, long deliveryTime, long deliveryCount
 * </pre>
 *
 * Node boundaries and tombstones are kept, so approximate trims after a restart remove what they would
 * have removed before it.
 */
final class StreamSnapshot {
    private static final int MAX_BYTES = 512 * 1024 * 1024;

    private StreamSnapshot() {
    }

    static void write(DataOutput out, StreamValue s) throws IOException {
        id(out, s.lastId);
        id(out, s.firstId);
        id(out, s.maxDeletedId);
        out.writeLong(s.entriesAdded);
        out.writeInt(s.nodes.size());
        for (StreamNode n : s.nodes) {
            out.writeInt(n.slots);
            for (int i = 0; i < n.slots; i++) {
                out.writeLong(n.ms[i]);
                out.writeLong(n.seq[i]);
                byte[][] f = n.fields[i];
                out.writeInt(n.deleted(i) ? -f.length : f.length);
                for (byte[] b : f) {
                    bytes(out, b);
                }
            }
        }
        out.writeInt(s.groupCount());
        if (s.groups == null) {
            return;
        }
        for (Map.Entry<Bytes, StreamGroup> ge : s.groups.entrySet()) {
            StreamGroup g = ge.getValue();
            bytes(out, ge.getKey().bytes);
            id(out, g.lastId);
            out.writeLong(g.entriesRead);
            out.writeInt(g.consumers.size());
            for (StreamConsumer c : g.consumers.values()) {
                bytes(out, c.name.bytes);
                out.writeLong(c.seenTime);
                out.writeLong(c.activeTime);
            }
            out.writeInt(g.pel.size());
            for (Map.Entry<StreamId, StreamNack> p : g.pel.entrySet()) {
                id(out, p.getKey());
                bytes(out, p.getValue().consumer.name.bytes);
                out.writeLong(p.getValue().deliveryTime);
                out.writeLong(p.getValue().deliveryCount);
            }
        }
    }

    static StreamValue read(DataInput in, Bytes key) throws IOException {
        StreamValue s = new StreamValue();
        s.lastId = id(in);
        s.firstId = id(in);
        s.maxDeletedId = id(in);
        s.entriesAdded = in.readLong();
        int nodes = count(in, key);
        StreamId previous = null;
        for (int n = 0; n < nodes; n++) {
            StreamNode node = new StreamNode();
            int slots = count(in, key);
            for (int i = 0; i < slots; i++) {
                StreamId id = id(in);
                if (previous != null && id.compareTo(previous) <= 0 || id.compareTo(s.lastId) > 0) {
                    throw new IOException("snapshot stream " + key + " has ids out of order");
                }
                previous = id;
                int f = in.readInt();
                if (f == 0 || f != -1 && f % 2 != 0 || f == Integer.MIN_VALUE) {
                    throw new IOException("snapshot stream " + key + " has a bad field count " + f);
                }
                byte[][] fields = new byte[f == -1 ? 0 : Math.abs(f)][];
                for (int k = 0; k < fields.length; k++) {
                    fields[k] = bytes(in);
                }
                node.add(id.ms(), id.seq(), f == -1 ? new byte[][] {new byte[0], new byte[0]} : fields);
                if (f < 0) {
                    node.delete(node.slots - 1);
                }
            }
            if (node.live == 0) {
                throw new IOException("snapshot stream " + key + " has an empty node");
            }
            s.nodes.add(node);
            s.length += node.live;
        }
        int groups = count(in, key);
        if (groups > 0) {
            s.groups = new TreeMap<>();
        }
        for (int i = 0; i < groups; i++) {
            Bytes name = new Bytes(bytes(in));
            StreamGroup g = new StreamGroup(id(in), in.readLong());
            Map<Bytes, StreamConsumer> byName = new HashMap<>();
            for (int c = count(in, key); c > 0; c--) {
                StreamConsumer consumer = new StreamConsumer(new Bytes(bytes(in)), in.readLong());
                consumer.activeTime = in.readLong();
                g.consumers.put(consumer.name, consumer);
                byName.put(consumer.name, consumer);
            }
            for (int p = count(in, key); p > 0; p--) {
                StreamId id = id(in);
                StreamConsumer owner = byName.get(new Bytes(bytes(in)));
                if (owner == null) {
                    throw new IOException("snapshot stream " + key + " has a pending entry of an unknown consumer");
                }
                StreamNack nack = new StreamNack(owner, in.readLong(), in.readLong());
                g.pel.put(id, nack);
                owner.pel.put(id, nack);
            }
            if (s.groups.put(name, g) != null) {
                throw new IOException("snapshot stream " + key + " repeats a group");
            }
        }
        return s;
    }

    private static void id(DataOutput out, StreamId id) throws IOException {
        out.writeLong(id.ms());
        out.writeLong(id.seq());
    }

    private static StreamId id(DataInput in) throws IOException {
        return new StreamId(in.readLong(), in.readLong());
    }

    private static void bytes(DataOutput out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_BYTES) {
            throw new IOException("snapshot has a bad length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static int count(DataInput in, Bytes key) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("snapshot stream " + key + " has a bad count " + n);
        }
        return n;
    }
}
