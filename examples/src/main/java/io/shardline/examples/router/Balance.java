package io.shardline.examples.router;

import io.shardline.net.http.HttpHeaders;
import io.shardline.net.http.HttpRequest;
import java.util.Locale;

/**
 * How a route picks an upstream: round-robin, least connections, or consistent hashing of a key taken
 * from the request (a header, a cookie, or the path). Immutable; any thread.
 *
 * @param mode    the policy
 * @param source  for {@link Mode#HASH}: where the key comes from; null otherwise
 * @param name    the header or cookie name for {@link Source#HEADER} and {@link Source#COOKIE}; null otherwise
 */
public record Balance(Mode mode, Source source, String name) {

    public enum Mode { ROUND_ROBIN, LEAST_CONN, HASH }

    public enum Source { HEADER, COOKIE, PATH }

    public static final Balance ROUND_ROBIN = new Balance(Mode.ROUND_ROBIN, null, null);
    public static final Balance LEAST_CONN = new Balance(Mode.LEAST_CONN, null, null);

    /**
     * Parses {@code round-robin}, {@code least-conn}, {@code hash:header:NAME}, {@code hash:cookie:NAME}
     * or {@code hash:path}; an {@link IllegalArgumentException} names what was wrong.
     */
    public static Balance parse(String s) {
        String[] p = s.split(":", -1);
        switch (p[0].toLowerCase(Locale.ROOT)) {
            case "round-robin" -> {
                if (p.length == 1) {
                    return ROUND_ROBIN;
                }
            }
            case "least-conn" -> {
                if (p.length == 1) {
                    return LEAST_CONN;
                }
            }
            case "hash" -> {
                if (p.length == 2 && p[1].equalsIgnoreCase("path")) {
                    return new Balance(Mode.HASH, Source.PATH, null);
                }
                if (p.length == 3 && !p[2].isEmpty()) {
                    if (p[1].equalsIgnoreCase("header")) {
                        return new Balance(Mode.HASH, Source.HEADER, p[2]);
                    }
                    if (p[1].equalsIgnoreCase("cookie")) {
                        return new Balance(Mode.HASH, Source.COOKIE, p[2]);
                    }
                }
            }
            default -> {
            }
        }
        throw new IllegalArgumentException("balance must be round-robin, least-conn, hash:header:NAME, "
                + "hash:cookie:NAME or hash:path, was '" + s + "'");
    }

    /** The hash key of {@code r}, or null when it has none (the route then goes round-robin for it). */
    public String key(HttpRequest r) {
        return switch (source) {
            case PATH -> r.path();
            case HEADER -> r.headers().get(name);
            case COOKIE -> cookie(r.headers(), name);
        };
    }

    /** The value of cookie {@code name} in the request's Cookie fields (RFC 6265 5.4: pairs split by "; "). */
    static String cookie(HttpHeaders h, String name) {
        for (int i = 0; i < h.size(); i++) {
            if (!h.nameIs(i, "cookie")) {
                continue;
            }
            String v = h.value(i);
            int at = 0;
            while (at < v.length()) {
                int end = v.indexOf(';', at);
                if (end < 0) {
                    end = v.length();
                }
                int eq = v.indexOf('=', at);
                if (eq > 0 && eq < end && v.substring(at, eq).strip().equals(name)) {
                    String value = v.substring(eq + 1, end).strip();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    return value;
                }
                at = end + 1;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return switch (mode) {
            case ROUND_ROBIN -> "round-robin";
            case LEAST_CONN -> "least-conn";
            case HASH -> "hash:" + source.name().toLowerCase(Locale.ROOT) + (name == null ? "" : ":" + name);
        };
    }
}
