package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;
import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * A reply recorded to be written later, for a command that learns an aggregate's length only after
 * producing its elements (Redis' deferred lengths: XREAD over several streams). Owned by the running
 * command; not thread-safe.
 */
final class DeferredReply implements ReplySink {
    private final int protocol;
    private final ArrayList<Consumer<ReplySink>> ops = new ArrayList<>();

    DeferredReply(int protocol) {
        this.protocol = protocol;
    }

    /** Writes what was recorded to {@code out}, in order. */
    void writeTo(ReplySink out) {
        for (Consumer<ReplySink> op : ops) {
            op.accept(out);
        }
    }

    private ReplySink add(Consumer<ReplySink> op) {
        ops.add(op);
        return this;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public ReplySink simple(String text) {
        return add(o -> o.simple(text));
    }

    @Override
    public ReplySink error(String text) {
        return add(o -> o.error(text));
    }

    @Override
    public ReplySink integer(long value) {
        return add(o -> o.integer(value));
    }

    @Override
    public ReplySink bulk(byte[] value) {
        return add(o -> o.bulk(value));
    }

    @Override
    public ReplySink doubleText(String text) {
        return add(o -> o.doubleText(text));
    }

    @Override
    public ReplySink bulk(String value) {
        return add(o -> o.bulk(value));
    }

    @Override
    public ReplySink nullBulk() {
        return add(ReplySink::nullBulk);
    }

    @Override
    public ReplySink nullArray() {
        return add(ReplySink::nullArray);
    }

    @Override
    public ReplySink arrayHeader(long count) {
        return add(o -> o.arrayHeader(count));
    }

    @Override
    public ReplySink mapHeader(long pairs) {
        return add(o -> o.mapHeader(pairs));
    }

    @Override
    public ReplySink setHeader(long count) {
        return add(o -> o.setHeader(count));
    }

    @Override
    public ReplySink doubleValue(double value) {
        return add(o -> o.doubleValue(value));
    }

    @Override
    public ReplySink bool(boolean value) {
        return add(o -> o.bool(value));
    }
}
