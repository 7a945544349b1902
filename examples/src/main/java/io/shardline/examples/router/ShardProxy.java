package io.shardline.examples.router;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.net.http.HttpRequest;
import io.shardline.net.http.HttpResponse;
import io.shardline.net.http.HttpStatus;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The router on one shard: its route table, its connection pool and health view per upstream, its
 * balancing state, counters and access-log buffer. Owned by one shard; not thread-safe: every method
 * runs on that shard (the HTTP server calls {@link #handle}; a reload calls {@link #swap} there).
 *
 * <p>Nothing here is shared with another shard: each learns upstream health on its own (passively, and
 * from its own active checks), as nginx's workers do without a shared zone. What every shard agrees on
 * comes from the immutable {@link RouteTable}: the same key hashes to the same upstream everywhere.
 */
final class ShardProxy implements AutoCloseable {
    /** The router's own short error bodies, {@code "502 Bad Gateway\n"}, made once for every status. */
    private static final byte[][] ERROR_BODIES = new byte[600][];

    static {
        for (int s = 100; s < ERROR_BODIES.length; s++) {
            ERROR_BODIES[s] = (s + " " + HttpStatus.reason(s) + "\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final Loop loop;
    private final RouterStats stats = new RouterStats();
    private final Map<String, UpstreamPool> pools = new HashMap<>();
    private final HealthCheck health;
    private RouteTable table;
    private AccessLogBuffer log;
    /** Per route (by {@link RouteTable.Route#index}): its pools, counters, latency and round-robin cursor. */
    private UpstreamPool[][] routePools;
    private RouterStats.Requests[][] routeCounts;
    private RouterStats.Requests[] routeNoUpstream;
    private RouterStats.Latency[] routeLatency;
    private int[] cursor;
    private SocketAddress lastClient;
    private String lastClientIp;
    private final RouterStats.Requests unrouted = stats.requests(RouterStats.NO_UPSTREAM, RouterStats.NO_UPSTREAM);
    private final RouterStats.Latency unroutedLatency = stats.latency(RouterStats.NO_UPSTREAM);

    ShardProxy(Loop loop, RouteTable table, AccessLog accessLog) {
        this.loop = loop;
        this.health = new HealthCheck(loop, pools);
        swap(table, accessLog);
    }

    /** Serves {@code r}: forwards it along its route, or answers 404 when no route matches. */
    Future<HttpResponse> handle(HttpRequest r) {
        RouteTable.Route route = table.match(r);
        if (route == null) {
            unrouted.count(404);
            unroutedLatency.observe(0);
            if (log != null) {
                log.log(r, 404, r.method().equals("HEAD") ? 0 : errorBody(404).length, System.currentTimeMillis());
            }
            return Future.succeeded(error(404));
        }
        return new ProxyExchange(this, route, r).start();
    }

    /**
     * Takes a new route table (a reload): upstreams still named keep their pools and health, new ones
     * get pools, and the pools of upstreams no longer named close their idle connections (exchanges in
     * flight on them finish on their own). Requests already in flight keep the route they matched.
     */
    void swap(RouteTable t, AccessLog accessLog) {
        RouterConfig c = t.config();
        Map<String, Boolean> named = new HashMap<>();
        RouteTable.Route[] rs = t.routes();
        UpstreamPool[][] rp = new UpstreamPool[rs.length][];
        RouterStats.Requests[][] rc = new RouterStats.Requests[rs.length][];
        RouterStats.Requests[] rn = new RouterStats.Requests[rs.length];
        RouterStats.Latency[] rl = new RouterStats.Latency[rs.length];
        for (RouteTable.Route r : rs) {
            int n = r.upstreams();
            rp[r.index] = new UpstreamPool[n];
            rc[r.index] = new RouterStats.Requests[n];
            for (int i = 0; i < n; i++) {
                RouteSpec.Upstream u = r.spec.upstreams().get(i);
                String key = u.name() + "@" + u.address();
                UpstreamPool p = pools.get(key);
                if (p == null) {
                    p = new UpstreamPool(u, c);
                    pools.put(key, p);
                } else if (named.get(key) == null) {
                    p.configure(c);
                }
                named.put(key, Boolean.TRUE);
                rp[r.index][i] = p;
                rc[r.index][i] = stats.requests(r.name(), u.name());
            }
            rn[r.index] = stats.requests(r.name(), RouterStats.NO_UPSTREAM);
            rl[r.index] = stats.latency(r.name());
        }
        for (Iterator<Map.Entry<String, UpstreamPool>> it = pools.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, UpstreamPool> e = it.next();
            if (!named.containsKey(e.getKey())) {
                e.getValue().close();
                it.remove();
            }
        }
        this.table = t;
        this.routePools = rp;
        this.routeCounts = rc;
        this.routeNoUpstream = rn;
        this.routeLatency = rl;
        this.cursor = new int[rs.length];
        if (log != null && (accessLog == null || c.accessLog() == null)) {
            log.flush();
        }
        this.log = accessLog != null && c.accessLog() != null
                ? (log != null ? log : new AccessLogBuffer(loop, accessLog)) : null;
        health.configure(c);
    }

    /**
     * The upstream (index in the route) for {@code r}, skipping those in {@code tried} and those out of
     * service; -1 if none is left. When every upstream is out of service and none has been tried, all
     * are candidates again (a route never blacks out on health alone, as nginx does).
     */
    int pick(RouteTable.Route route, HttpRequest r, long tried) {
        UpstreamPool[] ps = routePools[route.index];
        long now = loop.clock().nanoTime();
        int u = pick(route, r, ps, tried, now, false);
        if (u < 0 && tried == 0) {
            u = pick(route, r, ps, tried, now, true);
        }
        return u;
    }

    private int pick(RouteTable.Route route, HttpRequest r, UpstreamPool[] ps, long tried, long now, boolean panic) {
        int n = ps.length;
        Balance b = route.spec.balance();
        if (b.mode() == Balance.Mode.HASH) {
            String key = b.key(r);
            if (key != null) {
                return route.maglev.pick(key, i -> usable(ps, i, tried, now, panic));
            }
        }
        int start = cursor[route.index];
        if (b.mode() == Balance.Mode.LEAST_CONN) {
            int best = -1;
            for (int k = 0; k < n; k++) {
                int i = (start + k) % n; // ties go round-robin, so equal upstreams share the load
                if (usable(ps, i, tried, now, panic) && (best < 0 || ps[i].active < ps[best].active)) {
                    best = i;
                }
            }
            cursor[route.index] = (start + 1) % n;
            return best;
        }
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            if (usable(ps, i, tried, now, panic)) {
                cursor[route.index] = (i + 1) % n;
                return i;
            }
        }
        return -1;
    }

    private static boolean usable(UpstreamPool[] ps, int i, long tried, long now, boolean panic) {
        return (i >= 64 || (tried & (1L << i)) == 0) && (panic || ps[i].usable(now));
    }

    /**
     * {@code client}'s IP as text, for {@code X-Forwarded-For}: the last one is kept, as a keep-alive
     * connection's requests share one address object and would otherwise each format it again.
     */
    String clientIp(SocketAddress client) {
        if (client != lastClient || lastClientIp == null) {
            lastClientIp = ForwardHeaders.ip(client);
            lastClient = client;
        }
        return lastClientIp;
    }

    UpstreamPool pool(RouteTable.Route route, int upstream) {
        return routePools[route.index][upstream];
    }

    /** Counts a finished exchange ({@code upstream} -1: none reached) and logs it. */
    void record(RouteTable.Route route, int upstream, HttpRequest r, int status, long bodyBytes, long startNanos) {
        RouteTable.Route[] now = table.routes();
        if (route.index < now.length && now[route.index] == route) {
            (upstream < 0 ? routeNoUpstream[route.index] : routeCounts[route.index][upstream]).count(status);
            routeLatency[route.index].observe(loop.clock().nanoTime() - startNanos);
        } else {
            // matched under a table a reload has since replaced: count it under its names
            stats.requests(route.name(), upstream < 0 ? RouterStats.NO_UPSTREAM
                    : route.spec.upstreams().get(upstream).name()).count(status);
            stats.latency(route.name()).observe(loop.clock().nanoTime() - startNanos);
        }
        if (log != null) {
            log.log(r, status, bodyBytes, System.currentTimeMillis());
        }
    }

    /** The router's own answer to a failed exchange: the status and its reason as a short text body. */
    static HttpResponse error(int status) {
        return HttpResponse.of(status, "text/plain; charset=utf-8", errorBody(status));
    }

    static byte[] errorBody(int status) {
        return ERROR_BODIES[status];
    }

    Loop loop() {
        return loop;
    }

    long nanoTime() {
        return loop.clock().nanoTime();
    }

    RouterConfig config() {
        return table.config();
    }

    RouterStats stats() {
        return stats;
    }

    /** Idle pooled connections to {@code upstreamName} on this shard (for tests and stats). */
    int idleConnections(String upstreamName) {
        return sum(upstreamName, UpstreamPool::idleCount);
    }

    /** Requests in flight to {@code upstreamName} on this shard (for tests and stats). */
    int activeRequests(String upstreamName) {
        return sum(upstreamName, p -> p.active);
    }

    private int sum(String upstreamName, ToIntFunction<UpstreamPool> count) {
        int n = 0;
        for (UpstreamPool p : pools.values()) {
            if (p.upstream.name().equals(upstreamName)) {
                n += count.applyAsInt(p);
            }
        }
        return n;
    }

    /** Stops the health checks, closes idle connections and hands the last log lines to the writer. */
    @Override
    public void close() {
        health.stop();
        for (UpstreamPool p : pools.values()) {
            p.close();
        }
        if (log != null) {
            log.flush();
        }
    }
}
