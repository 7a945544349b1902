package io.shardline.net;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One TCP connection, living and dying on one loop. Owned by that loop; not thread-safe: call it from
 * its loop (a handler callback, a task, a confined virtual thread), which {@code -ea} asserts.
 *
 * <p>Writes are eager: what the socket takes now is written at once, the rest is copied into a
 * per-connection queue. The queue has a high and a low watermark and a hard limit
 * ({@link ConnectionOptions}); above the limit the connection is closed with an error, so a peer
 * that stops reading can never make the process buffer without bound.
 */
public interface Connection {

    Loop loop();

    SocketAddress remoteAddress();

    SocketAddress localAddress();

    /**
     * Writes {@code data} (all its remaining bytes; the buffer is consumed). Returns false, and closes
     * the connection with {@link BufferLimitExceededException}, if queueing it would pass the limit;
     * false too if the connection is already closed.
     */
    boolean write(ByteBuffer data);

    /** False while the write queue is above its high watermark. */
    boolean isWritable();

    /** Bytes queued and not yet taken by the socket. */
    long queuedBytes();

    /** Stops reading from the socket (TCP backpressure reaches the peer) until {@link #resumeReading()}. */
    void pauseReading();

    void resumeReading();

    /** Half-close: shuts down output once queued bytes are written; reading goes on. */
    void shutdownOutput();

    /** Graceful close: writes what is queued, then closes. The future completes once closed. */
    Future<Void> close();

    /** Closes at once with a reset, dropping queued bytes. */
    void abort();

    boolean isOpen();

    /** Completes when the connection has closed, for whatever reason (failed with it if abnormal). */
    Future<Void> closeFuture();
}
