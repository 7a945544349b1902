package io.shardline.examples.router;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The router's settings as one source gives them (the command line or the config file), each null
 * where that source says nothing. Mutable, used by one thread (main or the reload signal's) to build
 * a {@link RouterConfig}: the flags {@link #over overlay} the file, then defaults fill the rest.
 */
public final class RouterSettings {
    /** A route as a source gives it: upstream names unresolved, balance null for the default. */
    record Route(String host, String prefix, List<String> upstreams, String balance) {
    }

    String listen;
    Integer shards;
    String balance;
    final List<Route> routes = new ArrayList<>();
    Duration connectTimeout;
    Duration responseTimeout;
    Duration poolIdleTimeout;
    Integer maxIdle;
    Integer maxFails;
    Duration failTimeout;
    Duration healthInterval;
    String healthPath;
    Path accessLog;

    /** Adds a {@code --route} value ({@code [host]/prefix=host:port,...}), checked for shape now and resolved later. */
    void addRoute(String spec, String routeBalance) {
        RouteSpec.parse(spec, Balance.ROUND_ROBIN); // fails early on a malformed value
        int eq = spec.lastIndexOf('=');
        String where = spec.substring(0, eq);
        int slash = where.indexOf('/');
        routes.add(new Route(slash == 0 ? null : where.substring(0, slash), where.substring(slash),
                List.of(spec.substring(eq + 1).split(",")), routeBalance));
    }

    /** These settings laid over {@code base}: each value from here where given, else base's; a route here replaces base's of the same host and prefix. */
    RouterSettings over(RouterSettings base) {
        RouterSettings m = new RouterSettings();
        m.listen = pick(listen, base.listen);
        m.shards = pick(shards, base.shards);
        m.balance = pick(balance, base.balance);
        m.connectTimeout = pick(connectTimeout, base.connectTimeout);
        m.responseTimeout = pick(responseTimeout, base.responseTimeout);
        m.poolIdleTimeout = pick(poolIdleTimeout, base.poolIdleTimeout);
        m.maxIdle = pick(maxIdle, base.maxIdle);
        m.maxFails = pick(maxFails, base.maxFails);
        m.failTimeout = pick(failTimeout, base.failTimeout);
        m.healthInterval = pick(healthInterval, base.healthInterval);
        m.healthPath = pick(healthPath, base.healthPath);
        m.accessLog = pick(accessLog, base.accessLog);
        Map<String, Route> byWhere = new LinkedHashMap<>();
        for (Route r : base.routes) {
            byWhere.put(where(r), r);
        }
        for (Route r : routes) {
            byWhere.put(where(r), r); // the overlay's route replaces the base's for the same host and prefix
        }
        m.routes.addAll(byWhere.values());
        return m;
    }

    private static String where(Route r) {
        return (r.host() == null ? "" : r.host().toLowerCase(java.util.Locale.ROOT)) + r.prefix();
    }

    private static <T> T pick(T top, T base) {
        return top != null ? top : base;
    }

    /** The validated config, defaults filled in; an {@link IllegalArgumentException} says what is wrong. */
    public RouterConfig toConfig() {
        InetSocketAddress at = RouteSpec.address(listen != null ? listen : "127.0.0.1:8080");
        Balance fallback = balance != null ? Balance.parse(balance) : Balance.ROUND_ROBIN;
        List<RouteSpec> specs = new ArrayList<>();
        for (Route r : routes) {
            specs.add(RouteSpec.of(r.host(), r.prefix(), r.upstreams().stream().map(String::strip).toList(),
                    r.balance() != null ? Balance.parse(r.balance()) : fallback));
        }
        Duration interval = pick(healthInterval, Duration.ZERO);
        return new RouterConfig(at, pick(shards, Runtime.getRuntime().availableProcessors()), specs,
                pick(connectTimeout, Duration.ofSeconds(5)), pick(responseTimeout, Duration.ofSeconds(60)),
                pick(poolIdleTimeout, Duration.ofSeconds(60)), pick(maxIdle, 32), pick(maxFails, 3),
                pick(failTimeout, Duration.ofSeconds(10)), interval, pick(healthPath, "/health"), accessLog);
    }
}
