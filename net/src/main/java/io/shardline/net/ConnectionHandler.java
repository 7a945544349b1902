package io.shardline.net;

import java.nio.ByteBuffer;

/**
 * What a connection tells its owner. Called on the connection's loop only, one call at a time.
 */
public interface ConnectionHandler {

    /** The connection is open and registered; writes may start. */
    default void onOpen(Connection connection) {
    }

    /**
     * Bytes arrived. {@code data} is a pooled buffer the loop reuses after this call returns: read it
     * or copy what must outlive the call, never keep it.
     */
    void onData(Connection connection, ByteBuffer data);

    /**
     * The write queue crossed a watermark: {@code false} above the high one, {@code true} again below
     * the low one. A handler that produces output from input pauses reading while unwritable.
     */
    default void onWritabilityChanged(Connection connection, boolean writable) {
    }

    /** The peer shut down its output (half-close). By default this side finishes and closes too. */
    default void onInputClosed(Connection connection) {
        connection.close();
    }

    /** The connection is closed; {@code cause} is null for a graceful close, else what ended it. */
    default void onClosed(Connection connection, Throwable cause) {
    }
}
