package io.shardline.net;

import java.net.SocketTimeoutException;

/** A connection was closed by its idle or read timeout. Immutable. */
public final class ConnectionTimeoutException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    public ConnectionTimeoutException(String message) {
        super(message);
    }
}
