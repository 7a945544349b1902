package io.shardline.net.http;

import io.shardline.net.ServerOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * An HTTP server's limits and timeouts; immutable.
 *
 * @param maxUriBytes      a longer request target is answered 414
 * @param maxHeaderBytes   longer header fields (all of them, as sent) are answered 431
 * @param maxBodyBytes     a longer body is answered 413 (at the head when its length is declared)
 * @param headerTimeout    a request head not complete this long after its first byte gets 408 and a close,
 *                         and a new connection that sends nothing for this long is closed (slowloris)
 * @param idleTimeout      a keep-alive connection with no request for this long is closed
 * @param server           placement and per-connection write limits
 */
public record HttpServerOptions(int maxUriBytes, int maxHeaderBytes, long maxBodyBytes, Duration headerTimeout,
                                Duration idleTimeout, ServerOptions server) {

    public static final HttpServerOptions DEFAULT = new HttpServerOptions(8 * 1024, 8 * 1024, 16L * 1024 * 1024,
            Duration.ofSeconds(60), Duration.ofSeconds(75), ServerOptions.DEFAULT);

    public HttpServerOptions {
        Objects.requireNonNull(server, "server options");
        if (maxUriBytes < 16 || maxHeaderBytes < 64 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("limits too small: uri " + maxUriBytes + ", headers " + maxHeaderBytes
                    + ", body " + maxBodyBytes);
        }
        if (!headerTimeout.isPositive() || !idleTimeout.isPositive()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public HttpServerOptions withMaxBodyBytes(long max) {
        return new HttpServerOptions(maxUriBytes, maxHeaderBytes, max, headerTimeout, idleTimeout, server);
    }

    public HttpServerOptions withHeaderTimeout(Duration t) {
        return new HttpServerOptions(maxUriBytes, maxHeaderBytes, maxBodyBytes, t, idleTimeout, server);
    }

    public HttpServerOptions withIdleTimeout(Duration t) {
        return new HttpServerOptions(maxUriBytes, maxHeaderBytes, maxBodyBytes, headerTimeout, t, server);
    }

    public HttpServerOptions withServer(ServerOptions s) {
        return new HttpServerOptions(maxUriBytes, maxHeaderBytes, maxBodyBytes, headerTimeout, idleTimeout, s);
    }
}
