package io.shardline.net.http;

import java.nio.ByteBuffer;

/**
 * Where an outgoing body is written in parts: the codec frames them (chunked, counted against a
 * Content-Length, or raw to an HTTP/1.0 peer) straight into the connection's outbound buffer. Owned
 * by the connection's shard; not thread-safe.
 *
 * <p>Backpressure: when {@link #write} returns false the connection is over its high watermark; stop
 * and continue from {@link #whenWritable}. Writing on regardless is allowed up to the connection's
 * hard limit, past which the connection closes.
 */
public interface BodySink {

    /** Writes all remaining bytes of {@code part} (consumed); returns {@link #isWritable()}. */
    boolean write(ByteBuffer part);

    default boolean write(byte[] part) {
        return write(ByteBuffer.wrap(part));
    }

    boolean isWritable();

    /** Runs {@code action} once the connection is writable: at once if it is now. One waiter at a time. */
    void whenWritable(Runnable action);

    /** Ends the body. */
    default void end() {
        end(null);
    }

    /** Ends the body, with trailer fields where the body is chunked (dropped otherwise). */
    void end(HttpHeaders trailers);

    /** The body cannot be completed: the connection is closed with {@code cause}, so the peer sees a broken message. */
    void abort(Throwable cause);
}
