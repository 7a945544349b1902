package io.shardline.examples.router;

import io.shardline.net.Net;
import io.shardline.net.http.HttpServer;
import io.shardline.net.http.HttpServerOptions;
import io.shardline.shard.ShardRuntime;
import io.shardline.shard.Sharded;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running router: N shards, each accepting on the listen address (SO_REUSEPORT), parsing and
 * forwarding on its own with its own {@link ShardProxy}. The handle is thread-safe; {@link #reload}
 * and {@link #close} are for the main thread or the signal handler, one at a time.
 */
public final class RouterServer implements AutoCloseable {
    private final ShardRuntime runtime;
    private final Sharded<ShardProxy> proxies;
    private final HttpServer http;
    private volatile RouterConfig config;
    private AccessLog accessLog;

    private RouterServer(ShardRuntime runtime, Sharded<ShardProxy> proxies, HttpServer http, RouterConfig config,
                         AccessLog accessLog) {
        this.runtime = runtime;
        this.proxies = proxies;
        this.http = http;
        this.config = config;
        this.accessLog = accessLog;
    }

    public static RouterServer start(RouterConfig config) {
        RouteTable table = new RouteTable(config);
        AccessLog log = config.accessLog() != null ? new AccessLog(config.accessLog()) : null;
        ShardRuntime rt = Net.install(ShardRuntime.builder().shards(config.shards())).start();
        try {
            Sharded<ShardProxy> proxies = rt.sharded(s -> new ShardProxy(s.loop(), table, log));
            // Bodies stream through, so the proxy sets no body limit of its own (the upstream may).
            HttpServerOptions options = HttpServerOptions.DEFAULT.withMaxBodyBytes(Long.MAX_VALUE);
            HttpServer http = HttpServer.start(rt, config.listen(), options, req -> proxies.local().handle(req));
            return new RouterServer(rt, proxies, http, config, log);
        } catch (RuntimeException e) {
            rt.close();
            if (log != null) {
                log.close();
            }
            throw e;
        }
    }

    /**
     * Switches every shard to {@code next}: requests in flight finish on the routes they matched, pooled
     * connections to upstreams still named stay, and no connection is dropped. The listen address and
     * the shard count cannot change without a restart ({@link IllegalArgumentException}).
     */
    public synchronized void reload(RouterConfig next) {
        if (!next.sameListener(config)) {
            throw new IllegalArgumentException("listen address and shards cannot change on reload (restart for that): "
                    + config.listen() + " x" + config.shards() + " -> " + next.listen() + " x" + next.shards());
        }
        RouteTable table = new RouteTable(next); // Maglev tables are built here, off the shards
        if (next.accessLog() != null) {
            if (accessLog == null) {
                accessLog = new AccessLog(next.accessLog());
            } else {
                accessLog.reopen(next.accessLog()); // also picks up a rotated file
            }
        }
        AccessLog log = accessLog;
        runtime.submitToAll(() -> {
            proxies.local().swap(table, log);
            return null;
        }).join();
        config = next;
    }

    public RouterConfig config() {
        return config;
    }

    public int port() {
        return http.port();
    }

    public int shards() {
        return runtime.shards();
    }

    /** The calling shard's counters; call on a shard of this router. */
    RouterStats localStats() {
        return proxies.local().stats();
    }

    /** The runtime the router's shards run on (for the metrics exporter). */
    public ShardRuntime runtime() {
        return runtime;
    }

    /** A copy of every shard's counters, in shard order (each taken on its shard). */
    public CompletableFuture<List<RouterStats.Snapshot>> stats() {
        return runtime.submitToAll(() -> proxies.local().stats().snapshot());
    }

    /** Idle pooled connections to {@code upstreamName}, per shard. */
    List<Integer> idleConnections(String upstreamName) throws Exception {
        return runtime.submitToAll(() -> proxies.local().idleConnections(upstreamName)).get(30, TimeUnit.SECONDS);
    }

    /** Requests in flight to {@code upstreamName}, per shard. */
    List<Integer> activeRequests(String upstreamName) throws Exception {
        return runtime.submitToAll(() -> proxies.local().activeRequests(upstreamName)).get(30, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void close() {
        http.close();
        proxies.close();
        runtime.close();
        if (accessLog != null) {
            accessLog.close();
        }
    }
}
