package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.IndexedSlices;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * Long replies of a data command handed to the connection in slices ({@link ReplySink#defer}) instead
 * of encoded at once. Stateless; called on the keyspace's shard.
 *
 * <p>Consistency by snapshot: the command copies the references of the elements it will send, at the
 * moment it runs, and the slices encode from that copy. Elements are never changed in place once
 * stored (writes replace them), so the reply is the value as it was when the command ran, whatever
 * writes come between slices, as in Redis. The copy costs a reference per element (8 MB for a million)
 * and one pass over them, a few milliseconds, far less than encoding them; the encoding, the
 * expensive part, is what is spread over the loop passes.
 */
final class Slices {
    /** Replies of fewer elements are written whole: slicing them would cost more than it saves. */
    static final int MIN_ELEMENTS = 4096;

    private Slices() {
    }

    /** Whether a reply of {@code n} elements to {@code out} goes in slices. */
    static boolean worth(ReplySink out, long n) {
        return n >= MIN_ELEMENTS && out.canDefer();
    }

    /** Hands over the bulk strings {@code items}, after the header the caller wrote. */
    static void bulks(ReplySink out, byte[][] items) {
        out.defer(new IndexedSlices(items.length, (i, w) -> w.bulk(items[(int) i])));
    }
}
