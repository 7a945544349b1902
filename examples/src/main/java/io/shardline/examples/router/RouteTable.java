package io.shardline.examples.router;

import io.shardline.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The routes of one config, ready to match: by Host first (routes naming the request's host, then
 * those for any host), then by the longest path prefix. Immutable once built (Maglev tables
 * included), so one table serves every shard; a reload builds a new one and each shard swaps to it.
 *
 * <p>A prefix matches as nginx's prefix {@code location} does: {@code /api} matches {@code /api},
 * {@code /api/x} and {@code /apix}. Host matching ignores case and the port.
 */
public final class RouteTable {
    /** One route: its spec, its upstreams' names, and its Maglev table when it hashes. */
    public static final class Route {
        final int index;
        final RouteSpec spec;
        final Maglev maglev;

        Route(int index, RouteSpec spec) {
            this.index = index;
            this.spec = spec;
            this.maglev = spec.balance().mode() == Balance.Mode.HASH
                    ? new Maglev(spec.upstreams().stream().map(RouteSpec.Upstream::name).toList()) : null;
        }

        public RouteSpec spec() {
            return spec;
        }

        /** The route's name in stats and logs: {@code host/prefix}, or {@code /prefix} for any host. */
        public String name() {
            return spec.where();
        }

        int upstreams() {
            return spec.upstreams().size();
        }
    }

    private final RouterConfig config;
    private final Route[] routes;
    /** Routes in match order: host-specific first, each group by prefix length, longest first. */
    private final Route[] order;
    private final boolean anyHostRoute;

    public RouteTable(RouterConfig config) {
        this.config = config;
        List<Route> all = new ArrayList<>();
        for (RouteSpec s : config.routes()) {
            all.add(new Route(all.size(), s));
        }
        this.routes = all.toArray(new Route[0]);
        List<Route> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing((Route r) -> r.spec.host() == null)
                .thenComparing(r -> -r.spec.prefix().length()));
        this.order = sorted.toArray(new Route[0]);
        this.anyHostRoute = all.stream().anyMatch(r -> r.spec.host() != null);
    }

    public RouterConfig config() {
        return config;
    }

    /** Every route, in config order ({@link Route#index}). */
    Route[] routes() {
        return routes;
    }

    /** The route for {@code r}, or null when none matches. */
    public Route match(HttpRequest r) {
        return match(anyHostRoute ? hostName(r.host()) : null, r.path());
    }

    /** The route for a request to {@code host} (lower case, no port; null: unknown) and {@code path}. */
    Route match(String host, String path) {
        for (Route r : order) {
            String h = r.spec.host();
            if ((h == null || h.equals(host)) && path.startsWith(r.spec.prefix())) {
                return r;
            }
        }
        return null;
    }

    /** {@code Host}'s name: lower case, without port or IPv6 brackets' port. */
    static String hostName(String authority) {
        if (authority == null) {
            return null;
        }
        int end = authority.length();
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && authority.indexOf(']') < colon) {
            end = colon;
        }
        return authority.substring(0, end).toLowerCase(Locale.ROOT);
    }
}
