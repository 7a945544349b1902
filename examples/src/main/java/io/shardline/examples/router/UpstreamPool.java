package io.shardline.examples.router;

import io.shardline.core.Future;
import io.shardline.net.ConnectionOptions;
import io.shardline.net.http.HttpClient;
import io.shardline.net.http.HttpClientConnection;
import io.shardline.net.http.HttpClientOptions;
import java.util.ArrayDeque;

/**
 * One shard's view of one upstream server: its keep-alive connections (at most {@code maxIdle} kept
 * idle), the requests in flight to it (for least-connections), and its health, learned passively
 * (ejected for {@code failTimeout} after {@code maxFails} consecutive failures) and from active checks.
 * Owned by one shard; not thread-safe. No pool is shared between shards.
 */
final class UpstreamPool {
    final RouteSpec.Upstream upstream;
    private final ArrayDeque<HttpClientConnection> idle = new ArrayDeque<>();
    private HttpClientOptions options;
    private int maxIdle;
    private int maxFails;
    private long failTimeoutNanos;
    /** Requests sent or being sent here and not finished. */
    int active;
    private int consecutiveFailures;
    private long ejectedUntilNanos;
    private boolean ejected;
    /** The last active check failed: out until one passes. */
    private boolean checkFailed;
    /** An active check is running. */
    boolean checking;
    private boolean closed;

    UpstreamPool(RouteSpec.Upstream upstream, RouterConfig config) {
        this.upstream = upstream;
        configure(config);
    }

    /** Takes the limits of a (reloaded) config; connections in the pool stay. */
    void configure(RouterConfig config) {
        this.options = new HttpClientOptions(64 * 1024, Long.MAX_VALUE, config.connectTimeout(),
                ConnectionOptions.DEFAULT.withIdleTimeout(config.poolIdleTimeout()));
        this.maxIdle = config.maxIdle();
        this.maxFails = config.maxFails();
        this.failTimeoutNanos = config.failTimeout().toNanos();
        while (idle.size() > maxIdle) {
            idle.pollLast().close();
        }
    }

    /** A kept connection that is still open (the most recently used: warmest), or null. */
    HttpClientConnection takeIdle() {
        HttpClientConnection c;
        while ((c = idle.pollFirst()) != null) {
            if (c.isReusable() && c.pending() == 0) {
                return c;
            }
            c.close(); // the upstream closed it while it waited
        }
        return null;
    }

    /** A new connection; call on the shard. */
    Future<HttpClientConnection> connect() {
        return HttpClient.connect(upstream.address(), options);
    }

    /** Keeps {@code c} for the next request, or closes it when the pool is full, closed, or it is not reusable. */
    void release(HttpClientConnection c) {
        if (!closed && c.isReusable() && c.pending() == 0 && idle.size() < maxIdle) {
            idle.addFirst(c);
        } else {
            c.close();
        }
    }

    int idleCount() {
        return idle.size();
    }

    /** Whether new requests may go here at {@code nowNanos}: not ejected, and not failing its active checks. */
    boolean usable(long nowNanos) {
        if (ejected && nowNanos - ejectedUntilNanos >= 0) {
            ejected = false; // the ejection is over: try it again
        }
        return !ejected && !checkFailed;
    }

    /** A request here failed (connect error, reset, timeout): counts toward ejection. */
    void failed(long nowNanos) {
        if (++consecutiveFailures >= maxFails) {
            consecutiveFailures = 0;
            ejected = true;
            ejectedUntilNanos = nowNanos + failTimeoutNanos;
        }
    }

    /** A response head came back: the failure count starts over. */
    void succeeded() {
        consecutiveFailures = 0;
    }

    /** An active check answered: a 2xx or 3xx brings the upstream back, anything else takes it out. */
    void checked(boolean healthy) {
        checkFailed = !healthy;
        if (healthy) {
            ejected = false;
            consecutiveFailures = 0;
        }
    }

    boolean isEjected(long nowNanos) {
        return !usable(nowNanos);
    }

    /** Closes the idle connections; connections still in use close when their exchange ends. */
    void close() {
        closed = true;
        HttpClientConnection c;
        while ((c = idle.poll()) != null) {
            c.close();
        }
    }
}
