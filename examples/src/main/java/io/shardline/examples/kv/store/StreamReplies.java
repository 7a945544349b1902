package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.IndexedSlices;
import io.shardline.examples.kv.resp.ReplySink;

/** How stream entries are written in replies: {@code [id, [field, value, ...]]}. Stateless. */
final class StreamReplies {
    private StreamReplies() {
    }

    static void entry(ReplySink out, StreamId id, byte[][] fieldValues) {
        out.arrayHeader(2);
        out.bulk(id.bytes());
        out.arrayHeader(fieldValues.length);
        for (byte[] b : fieldValues) {
            out.bulk(b);
        }
    }

    /** An array of the live entries from {@code start} to {@code end}, at most {@code count} (0: all). */
    static int range(ReplySink out, StreamValue s, StreamId start, StreamId end, long count, boolean rev) {
        return range(out, s, start, end, count, rev, false);
    }

    /**
     * {@link #range(ReplySink, StreamValue, StreamId, StreamId, long, boolean)}, in slices when long and
     * {@code whole} says this array is the whole reply (XRANGE, not one stream of an XREAD).
     */
    static int range(ReplySink out, StreamValue s, StreamId start, StreamId end, long count, boolean rev, boolean whole) {
        int[] n = {0};
        s.range(start, end, rev, (id, f) -> {
            n[0]++;
            return count == 0 || n[0] < count;
        });
        out.arrayHeader(n[0]);
        if (whole && Slices.worth(out, n[0])) {
            StreamId[] ids = new StreamId[n[0]];
            byte[][][] fields = new byte[n[0]][][];
            int[] at = {0};
            s.range(start, end, rev, (id, f) -> {
                ids[at[0]] = id;
                fields[at[0]] = f;
                return ++at[0] < ids.length;
            });
            out.defer(new IndexedSlices(ids.length, (i, w) -> entry(w, ids[(int) i], fields[(int) i])));
            return n[0];
        }
        int[] left = {n[0]};
        if (left[0] > 0) {
            s.range(start, end, rev, (id, f) -> {
                entry(out, id, f);
                return --left[0] > 0;
            });
        }
        return n[0];
    }
}
