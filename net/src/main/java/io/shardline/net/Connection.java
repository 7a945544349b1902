package io.shardline.net;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One TCP connection, living and dying on one loop. Owned by that loop; not thread-safe: call it from
 * its loop (a handler callback, a task, a confined virtual thread), which {@code -ea} asserts.
 *
 * <p>Writes never wait. Depending on the transport, a write to an empty queue goes to the socket at
 * once, or is copied into the queue and sent with the other connections' writes of the loop's pass
 * in one system call. Either way, what the socket does not take waits in a per-connection queue. The queue has a high and a low watermark and a hard limit ({@link ConnectionOptions});
 * above the limit the connection is closed with an error, so a peer that stops reading can never
 * make the process buffer without bound. Bytes written before {@link #close()}, a half-close or the
 * loop's own close are sent first.
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

    /** Bytes queued and not yet taken by the socket (a write waiting for its pass's send counts). */
    long queuedBytes();

    /**
     * Stops reading from the socket (TCP backpressure reaches the peer) until {@link #resumeReading()};
     * no data is delivered meanwhile. Bytes a transport had already received when another
     * connection's handler paused this one are held and delivered, in order, after reading resumes.
     */
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
