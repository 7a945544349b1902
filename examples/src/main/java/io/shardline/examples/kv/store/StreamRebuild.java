package io.shardline.examples.kv.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The commands that rebuild a stream under another name on an empty key, groups and pending entries
 * included: what RENAME or COPY across shards runs and logs on the destination's shard, in the spirit
 * of Redis' AOF rewrite of a stream. Stateless.
 *
 * <p>The copy has the same entries, ids, counters, groups, consumers and pending entries; node
 * boundaries start afresh, consumers' seen and active times are those of the rebuild, and a pending
 * entry whose stream entry was deleted is not carried (XCLAIM drops such entries).
 */
final class StreamRebuild {
    private StreamRebuild() {
    }

    static List<byte[][]> commands(StreamValue s, byte[] as) {
        List<byte[][]> out = new ArrayList<>();
        if (s.length == 0) {
            StreamId id = s.lastId.isZero() ? new StreamId(0, 1) : s.lastId;
            out.add(args("XADD", as, "MAXLEN", "0", id.toString(), "x", "y"));
        } else {
            s.range(StreamId.MIN, StreamId.MAX, false, (id, f) -> {
                byte[][] c = new byte[3 + f.length][];
                c[0] = Args.bytes("XADD");
                c[1] = as;
                c[2] = id.bytes();
                System.arraycopy(f, 0, c, 3, f.length);
                out.add(c);
                return true;
            });
        }
        out.add(args("XSETID", as, s.lastId.toString(), "ENTRIESADDED", Long.toString(s.entriesAdded), "MAXDELETEDID",
                s.maxDeletedId.toString()));
        if (s.groups == null) {
            return out;
        }
        for (Map.Entry<Bytes, StreamGroup> ge : s.groups.entrySet()) {
            StreamGroup g = ge.getValue();
            byte[] name = ge.getKey().bytes;
            out.add(new byte[][] {Args.bytes("XGROUP"), Args.bytes("CREATE"), as, name, g.lastId.bytes(),
                    Args.bytes("ENTRIESREAD"), Numbers.ascii(g.entriesRead)});
            for (StreamConsumer c : g.consumers.values()) {
                out.add(StreamJournal.createConsumer(as, name, c.name.bytes));
            }
            for (Map.Entry<StreamId, StreamNack> p : g.pel.entrySet()) {
                out.add(StreamJournal.claim(as, name, p.getKey(), p.getValue(), g));
            }
        }
        return out;
    }

    private static byte[][] args(String name, byte[] key, String... rest) {
        byte[][] c = new byte[2 + rest.length][];
        c[0] = Args.bytes(name);
        c[1] = key;
        for (int i = 0; i < rest.length; i++) {
            c[2 + i] = Args.bytes(rest[i]);
        }
        return c;
    }
}
