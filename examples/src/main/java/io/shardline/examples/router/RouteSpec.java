package io.shardline.examples.router;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One route as configured: requests whose Host is {@code host} (any host when null) and whose path
 * starts with {@code prefix} go to one of {@code upstreams}, picked by {@code balance}. Immutable; any
 * thread.
 *
 * @param host       a host name without port, lower case, or null for any
 * @param prefix     a path prefix starting with {@code /}
 * @param upstreams  the upstream servers, each as written ({@code host:port}), distinct, resolved
 * @param balance    how to pick one
 */
public record RouteSpec(String host, String prefix, List<Upstream> upstreams, Balance balance) {

    /** An upstream server: its name as written ({@code 127.0.0.1:9001}) and its resolved address. */
    public record Upstream(String name, InetSocketAddress address) {
    }

    public RouteSpec {
        if (!prefix.startsWith("/")) {
            throw new IllegalArgumentException("a route's path prefix must start with '/', was '" + prefix + "'");
        }
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("route " + prefix + " has no upstream");
        }
        if (upstreams.stream().map(Upstream::name).distinct().count() != upstreams.size()) {
            throw new IllegalArgumentException("route " + prefix + " names an upstream twice");
        }
        upstreams = List.copyOf(upstreams);
        host = host == null ? null : host.toLowerCase(Locale.ROOT);
    }

    /** The route's key in the table: the same host and prefix is the same route. */
    String where() {
        return (host == null ? "" : host) + prefix;
    }

    /**
     * Parses a {@code --route} value, {@code [host]/prefix=host:port[,host:port...]}, for example
     * {@code /api=127.0.0.1:9001,127.0.0.1:9002} or {@code api.example.com/=127.0.0.1:9000}.
     */
    public static RouteSpec parse(String s, Balance balance) {
        int eq = s.lastIndexOf('=');
        if (eq <= 0 || eq == s.length() - 1) {
            throw new IllegalArgumentException("a route is [host]/prefix=host:port[,host:port...], was '" + s + "'");
        }
        String where = s.substring(0, eq);
        int slash = where.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("a route's path prefix must start with '/', was '" + s + "'");
        }
        List<String> names = new ArrayList<>();
        for (String u : s.substring(eq + 1).split(",", -1)) {
            names.add(u.strip());
        }
        return of(slash == 0 ? null : where.substring(0, slash), where.substring(slash), names, balance);
    }

    /** A route over upstreams given as {@code host:port} names, resolved now. */
    public static RouteSpec of(String host, String prefix, List<String> upstreamNames, Balance balance) {
        if (host != null && (host.isEmpty() || host.contains(":") || host.contains(" "))) {
            throw new IllegalArgumentException("a route's host is a name without port, was '" + host + "'");
        }
        List<Upstream> ups = new ArrayList<>();
        for (String name : upstreamNames) {
            ups.add(new Upstream(name, address(name)));
        }
        return new RouteSpec(host, prefix, ups, balance);
    }

    /** Parses and resolves {@code host:port} (or {@code [v6]:port}). */
    static InetSocketAddress address(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("an address is host:port, was '" + s + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an address is host:port, was '" + s + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 in '" + s + "'");
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve host '" + host + "' in '" + s + "'");
        }
        return a;
    }
}
