package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.RespWriter;
import java.nio.ByteBuffer;

/**
 * A {@link ReplySink} that encodes into a {@link RespWriter} and hands the reply out as bytes, which
 * can travel between shards. Owned by one thread at a time; not thread-safe.
 */
final class ReplyBuffer implements ReplySink {
    private final RespWriter writer;

    ReplyBuffer(int protocol) {
        this.writer = new RespWriter(64, 1 << 20, false);
        writer.protocol(protocol);
    }

    /** The bytes written since the last call; the buffer is then empty again. */
    byte[] toByteArray() {
        ByteBuffer b = writer.take();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        writer.clear();
        return out;
    }

    void clear() {
        writer.clear();
    }

    /** One error reply, encoded in either protocol (errors look the same in both). */
    static byte[] errorBytes(String text) {
        ReplyBuffer b = new ReplyBuffer(2);
        b.error(text);
        return b.toByteArray();
    }

    void protocol(int version) {
        writer.protocol(version);
    }

    @Override
    public int protocol() {
        return writer.protocol();
    }

    @Override
    public void simple(String text) {
        writer.simple(text);
    }

    @Override
    public void error(String text) {
        writer.error(text);
    }

    void error(byte[] text) {
        writer.error(text);
    }

    @Override
    public void integer(long value) {
        writer.integer(value);
    }

    @Override
    public void bulk(byte[] value) {
        writer.bulk(value);
    }

    @Override
    public void bulk(String value) {
        writer.bulk(value);
    }

    @Override
    public void nullBulk() {
        writer.nullBulk();
    }

    @Override
    public void nullArray() {
        writer.nullArray();
    }

    @Override
    public void arrayHeader(int count) {
        writer.arrayHeader(count);
    }

    @Override
    public void mapHeader(int pairs) {
        writer.mapHeader(pairs);
    }

    @Override
    public void setHeader(int count) {
        writer.setHeader(count);
    }

    @Override
    public void doubleValue(double value) {
        writer.doubleValue(value);
    }

    @Override
    public void bool(boolean value) {
        writer.bool(value);
    }
}
