package io.shardline.examples.router;

import io.shardline.net.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Copies header fields across the proxy (RFC 9110 7.6): hop-by-hop fields stay behind in both
 * directions, and the request gains {@code X-Forwarded-For}, {@code X-Forwarded-Proto} and {@code Via}.
 * Stateless; any thread (each call works on one shard's messages).
 *
 * <p>Hop-by-hop: {@code Connection} and every field it names, {@code Keep-Alive}, {@code Proxy-*},
 * {@code TE}, {@code Trailer}, {@code Transfer-Encoding} and {@code Content-Length} (the codec frames
 * each side itself), {@code Upgrade}, and {@code Expect} (this proxy answered it). {@code Host} goes
 * through as the client sent it.
 */
final class ForwardHeaders {
    static final String VIA = "shardline";

    private ForwardHeaders() {
    }

    /**
     * Copies {@code from}, a client's request fields, to {@code to}, appending the client's address ({@code ip}) to
     * {@code X-Forwarded-For} and this hop to {@code Via} ({@code minorVersion}: the client's HTTP/1.x).
     */
    static void request(HttpHeaders from, HttpHeaders to, String ip, int minorVersion) {
        copy(from, to, true);
        String prior = joined(from, "x-forwarded-for");
        to.add("X-Forwarded-For", prior == null ? ip : prior + ", " + ip);
        to.add("X-Forwarded-Proto", "http"); // this hop's scheme: the router listens in plain HTTP
        to.add("Via", hop(from, minorVersion));
    }

    /** The address {@code X-Forwarded-For} names for {@code client}: its IP, as text. */
    static String ip(SocketAddress client) {
        return client instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : String.valueOf(client);
    }

    /** Copies {@code from}, an upstream's response fields, to {@code to}, appending this hop to {@code Via}. */
    static void response(HttpHeaders from, HttpHeaders to, int minorVersion) {
        copy(from, to, false);
        to.add("Via", hop(from, minorVersion));
    }

    /** Copies the end-to-end fields but Via (and, of a request, the X-Forwarded ones), which this hop rewrites. */
    private static void copy(HttpHeaders from, HttpHeaders to, boolean request) {
        boolean hasConnection = from.contains("connection");
        for (int i = 0; i < from.size(); i++) {
            if (!hopByHop(from, i, hasConnection) && !from.nameIs(i, "via")
                    && !(request && (from.nameIs(i, "x-forwarded-for") || from.nameIs(i, "x-forwarded-proto")))) {
                to.add(from, i);
            }
        }
    }

    /** Every value of {@code name} joined by ", " (RFC 9110 5.3), or null without one. */
    private static String joined(HttpHeaders h, String name) {
        return h.contains(name) ? String.join(", ", h.getAll(name)) : null;
    }

    private static String hop(HttpHeaders from, int minorVersion) {
        String me = minorVersion == 0 ? "1.0 " + VIA : "1.1 " + VIA;
        String prior = joined(from, "via");
        return prior == null ? me : prior + ", " + me;
    }

    /** Whether field {@code i} stops at this hop: a fixed hop-by-hop name, or one a Connection field names. */
    static boolean hopByHop(HttpHeaders h, int i, boolean hasConnection) {
        if (h.nameIs(i, "connection") || h.nameIs(i, "keep-alive") || h.nameIs(i, "te") || h.nameIs(i, "trailer")
                || h.nameIs(i, "transfer-encoding") || h.nameIs(i, "content-length") || h.nameIs(i, "upgrade")
                || h.nameIs(i, "expect") || h.nameStartsWith(i, "proxy-")) {
            return true;
        }
        return hasConnection && h.containsToken("connection", h.name(i)); // a name only when Connection lists some
    }
}
