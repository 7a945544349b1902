package io.shardline.examples.kv.resp;

/**
 * A {@link SlicedReply} of {@code count} elements, the i-th written by a function of i (over a
 * snapshot the command took). Owned by the connection it was handed to; not thread-safe.
 */
public final class IndexedSlices implements SlicedReply {
    /** Writes element {@code index} of the reply. */
    @FunctionalInterface
    public interface Element {
        void write(long index, RespWriter out);
    }

    private final long count;
    private final Element element;
    private long next;

    public IndexedSlices(long count, Element element) {
        this.count = count;
        this.element = element;
    }

    @Override
    public boolean writeSlice(RespWriter out, int maxBytes) {
        long limit = (long) out.size() + maxBytes;
        while (next < count && out.size() < limit) {
            element.write(next++, out);
        }
        return next == count;
    }
}
