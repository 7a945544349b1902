package io.shardline.net;

import java.io.IOException;

/** A connection's write queue would have passed its limit; the connection was closed. Immutable. */
public final class BufferLimitExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    public BufferLimitExceededException(String message) {
        super(message);
    }
}
