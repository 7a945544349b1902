package io.shardline.net.http;

/**
 * A request or response the codec refuses, with the status a server answers it with; immutable, any
 * thread. Thrown by the parsers on the connection's shard; carries no stack trace, as bad input from a
 * peer is routine, not a bug.
 */
public final class HttpException extends RuntimeException {
    private final int status;

    public HttpException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The status to answer with: 400, 413, 414, 431, 501, 505... */
    public int status() {
        return status;
    }
}
