package io.shardline.net.http;

import java.nio.ByteBuffer;

/**
 * Takes a body's parts as they arrive; called on the connection's shard, one call at a time.
 * Pausing the {@link HttpBody} inside {@link #onData} stops the next call until it resumes; the
 * socket stops being read meanwhile, so the peer feels the backpressure.
 */
public interface BodyReader {

    /** The next part; {@code part} is only valid during the call (it is a slice of the receive buffer). */
    void onData(ByteBuffer part);

    /** The body is complete; {@code trailers} holds a chunked body's trailer fields, or is null. */
    void onEnd(HttpHeaders trailers);

    /** The body cannot complete: the connection failed or the body broke a limit or the framing. */
    default void onError(Throwable cause) {
    }
}
