package io.shardline.net.http;

/**
 * A response the client received: its head, and its body arriving. Owned by the connection's shard;
 * not thread-safe. The connection reads the next pipelined response only once this body is consumed
 * (read to its end, {@link HttpBody#aggregate aggregated} or {@link HttpBody#discard discarded}).
 */
public final class ClientResponse {
    private final int minorVersion;
    private final int status;
    private final String reason;
    private final HttpHeaders headers;
    private final HttpBody body;

    ClientResponse(int minorVersion, int status, String reason, HttpHeaders headers, HttpBody body) {
        this.minorVersion = minorVersion;
        this.status = status;
        this.reason = reason;
        this.headers = headers;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** 1 for HTTP/1.1, 0 for HTTP/1.0. */
    public int minorVersion() {
        return minorVersion;
    }

    public HttpHeaders headers() {
        return headers;
    }

    /** The body; empty (already ended) for HEAD, 1xx, 204 and 304. */
    public HttpBody body() {
        return body;
    }

    @Override
    public String toString() {
        return "HTTP/1." + minorVersion + " " + status + " " + reason;
    }
}
