package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;

/** Swallows replies, for journal replay. Stateless, any thread. */
final class DiscardingSink implements ReplySink {
    static final DiscardingSink INSTANCE = new DiscardingSink();

    private DiscardingSink() {
    }

    @Override
    public int protocol() {
        return 2;
    }

    @Override
    public ReplySink simple(String text) {
        return this;
    }

    @Override
    public ReplySink error(String text) {
        return this;
    }

    @Override
    public ReplySink integer(long value) {
        return this;
    }

    @Override
    public ReplySink bulk(byte[] value) {
        return this;
    }

    @Override
    public ReplySink bulk(byte[] value, int offset, int length) {
        return this;
    }

    @Override
    public ReplySink bulk(String value) {
        return this;
    }

    @Override
    public ReplySink nullBulk() {
        return this;
    }

    @Override
    public ReplySink nullArray() {
        return this;
    }

    @Override
    public ReplySink arrayHeader(long count) {
        return this;
    }

    @Override
    public ReplySink mapHeader(long pairs) {
        return this;
    }

    @Override
    public ReplySink setHeader(long count) {
        return this;
    }

    @Override
    public ReplySink doubleValue(double value) {
        return this;
    }

    @Override
    public ReplySink bool(boolean value) {
        return this;
    }
}
