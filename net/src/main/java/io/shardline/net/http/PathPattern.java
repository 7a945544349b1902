package io.shardline.net.http;

import java.util.ArrayList;
import java.util.List;

/**
 * A route's path pattern: literal segments, {@code {name}} segments that match any one non-empty
 * segment, and a trailing {@code *} that matches the rest (possibly empty). Immutable, any thread.
 *
 * <p>{@code /users/{id}/files/*} matches {@code /users/7/files/a/b.txt} with {@code id=7} and
 * {@code *=a/b.txt}. Segments compare as sent (still percent-encoded).
 */
final class PathPattern {
    private final String source;
    private final String[] segments;
    /** Per segment: the parameter's name, or null for a literal. */
    private final String[] names;
    private final boolean rest;
    private final int paramCount;

    PathPattern(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a path pattern starts with '/': " + pattern);
        }
        this.source = pattern;
        List<String> segs = new ArrayList<>();
        List<String> ns = new ArrayList<>();
        boolean star = false;
        String[] parts = pattern.substring(1).split("/", -1);
        int params = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.equals("*")) {
                if (i != parts.length - 1) {
                    throw new IllegalArgumentException("'*' must be the last segment: " + pattern);
                }
                star = true;
                params++;
            } else if (p.startsWith("{") && p.endsWith("}") && p.length() > 2) {
                segs.add(null);
                ns.add(p.substring(1, p.length() - 1));
                params++;
            } else if (p.contains("{") || p.contains("}") || p.contains("*")) {
                throw new IllegalArgumentException("bad segment '" + p + "' in " + pattern);
            } else {
                segs.add(p);
                ns.add(null);
            }
        }
        this.segments = segs.toArray(new String[0]);
        this.names = ns.toArray(new String[0]);
        this.rest = star;
        this.paramCount = params;
    }

    /**
     * The parameters {@code path} binds (name, value pairs), or null if it does not match. Matching
     * walks the path in place; only a match with parameters allocates.
     */
    String[] match(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        String[] params = paramCount == 0 ? NONE : new String[paramCount * 2];
        int p = 0;
        int at = 1;
        for (int i = 0; i < segments.length; i++) {
            if (at > path.length()) {
                return null;
            }
            int end = path.indexOf('/', at);
            if (end < 0) {
                end = path.length();
            }
            String lit = segments[i];
            if (lit == null) {
                if (end == at) {
                    return null;
                }
                params[p++] = names[i];
                params[p++] = path.substring(at, end);
            } else if (end - at != lit.length() || !path.regionMatches(at, lit, 0, lit.length())) {
                return null;
            }
            at = end + 1;
        }
        if (rest) {
            params[p++] = "*";
            params[p] = at > path.length() ? "" : path.substring(at);
            return params;
        }
        return at == path.length() + 1 ? params : null;
    }

    private static final String[] NONE = new String[0];

    @Override
    public String toString() {
        return source;
    }
}
