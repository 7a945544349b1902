package io.shardline.examples.router;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Everything the router runs by, validated; immutable, so one instance is shared by every shard and a
 * reload swaps it whole. Built by {@link RouterSettings#toConfig()} from flags and the config file.
 *
 * @param listen           where to accept clients
 * @param shards           how many shards serve them
 * @param routes           the routes, at least one; no two with the same host and prefix
 * @param connectTimeout   an upstream connect taking longer fails over (idempotent) or answers 504
 * @param responseTimeout  an upstream response head not there this long after the request answers 504
 * @param poolIdleTimeout  a pooled upstream connection unused this long is closed
 * @param maxIdle          idle connections kept per upstream per shard; more are closed
 * @param maxFails         consecutive failures after which a shard ejects an upstream (passive health)
 * @param failTimeout      how long an ejected upstream stays out
 * @param healthInterval   how often each shard sends {@code GET healthPath} to each upstream; zero: never
 * @param healthPath       the path active checks ask for
 * @param accessLog        where the combined-format access log goes, or null for none
 */
public record RouterConfig(InetSocketAddress listen, int shards, List<RouteSpec> routes, Duration connectTimeout,
                           Duration responseTimeout, Duration poolIdleTimeout, int maxIdle, int maxFails,
                           Duration failTimeout, Duration healthInterval, String healthPath, Path accessLog) {

    public RouterConfig {
        Objects.requireNonNull(listen, "listen");
        routes = List.copyOf(routes);
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("no routes: give --route or routes: in the config file");
        }
        HashSet<String> seen = new HashSet<>();
        for (RouteSpec r : routes) {
            if (!seen.add(r.where())) {
                throw new IllegalArgumentException("route " + r.where() + " is given twice");
            }
        }
        if (shards < 1 || shards > 1024) {
            throw new IllegalArgumentException("shards must be 1..1024, was " + shards);
        }
        if (!connectTimeout.isPositive() || !responseTimeout.isPositive() || !poolIdleTimeout.isPositive()
                || !failTimeout.isPositive()) {
            throw new IllegalArgumentException("connect, response, pool idle and fail timeouts must be positive");
        }
        if (maxIdle < 0 || maxFails < 1) {
            throw new IllegalArgumentException("max-idle must be at least 0 and max-fails at least 1");
        }
        if (healthInterval.isNegative() || !healthPath.startsWith("/")) {
            throw new IllegalArgumentException("health path must start with '/', was '" + healthPath + "'");
        }
    }

    /** A reload may change everything but where the router listens and how many shards it has. */
    boolean sameListener(RouterConfig other) {
        return listen.equals(other.listen) && shards == other.shards;
    }
}
