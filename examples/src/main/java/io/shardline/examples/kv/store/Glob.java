package io.shardline.examples.kv.store;

/**
 * Redis' glob matching (util.c {@code stringmatchlen}), case-sensitive, for KEYS and SCAN MATCH:
 * {@code *}, {@code ?}, {@code [abc]}, {@code [^a]}, {@code [a-z]} (reversed ends allowed), and
 * {@code \} to take the next byte literally. Stateless, any thread.
 *
 * <p>Quirks kept on purpose, since clients see them: bytes compare as signed chars (as on x86), an
 * unclosed {@code [} ends the pattern, and no pattern matches the empty string except by the
 * callers' own "{@code *} matches everything" shortcut ({@link #matchesAll}). Once a {@code *} fails
 * to place the rest of the pattern anywhere, longer matches of earlier stars are not tried: without
 * that cut, patterns like {@code a*a*a*a*b} take exponential time.
 */
public final class Glob {
    private static final int MAX_NESTING = 1000;

    private Glob() {
    }

    /** Whether {@code pattern} is {@code *}, which the callers treat as "every key" without matching. */
    static boolean matchesAll(byte[] pattern) {
        return pattern.length == 1 && pattern[0] == '*';
    }

    /** Whether {@code pattern} has no special byte, so only the key equal to it can match. */
    static boolean isLiteral(byte[] pattern) {
        for (byte b : pattern) {
            if (b == '*' || b == '?' || b == '[' || b == '\\') {
                return false;
            }
        }
        return true;
    }

    public static boolean matches(byte[] pattern, byte[] string) {
        return match(pattern, 0, pattern.length, string, 0, string.length, new boolean[1], 0);
    }

    /** Whether {@code string[off, off+len)} matches: the keyspace tests keys inside their records without copying them. */
    static boolean matches(byte[] pattern, byte[] string, int off, int len) {
        return match(pattern, 0, pattern.length, string, off, len, new boolean[1], 0);
    }

    private static boolean match(byte[] p, int pi, int pl, byte[] s, int si, int sl, boolean[] skipLonger,
            int nesting) {
        if (nesting > MAX_NESTING) {
            return false;
        }
        while (pl > 0 && sl > 0) {
            byte c = p[pi];
            if (c == '*') {
                while (pl > 1 && p[pi + 1] == '*') {
                    pi++;
                    pl--;
                }
                if (pl == 1) {
                    return true;
                }
                while (sl > 0) {
                    if (match(p, pi + 1, pl - 1, s, si, sl, skipLonger, nesting + 1)) {
                        return true;
                    }
                    if (skipLonger[0]) {
                        return false;
                    }
                    si++;
                    sl--;
                }
                skipLonger[0] = true;
                return false;
            } else if (c == '?') {
                si++;
                sl--;
            } else if (c == '[') {
                pi++;
                pl--;
                boolean not = pl > 0 && p[pi] == '^';
                if (not) {
                    pi++;
                    pl--;
                }
                boolean hit = false;
                while (true) {
                    if (pl >= 2 && p[pi] == '\\') {
                        pi++;
                        pl--;
                        hit |= p[pi] == s[si];
                    } else if (pl == 0) {
                        pi--; // unclosed class: step back so the common advance below ends the pattern
                        pl++;
                        break;
                    } else if (p[pi] == ']') {
                        break;
                    } else if (pl >= 3 && p[pi + 1] == '-') {
                        int start = p[pi];
                        int end = p[pi + 2];
                        if (start > end) {
                            int t = start;
                            start = end;
                            end = t;
                        }
                        pi += 2;
                        pl -= 2;
                        hit |= s[si] >= start && s[si] <= end;
                    } else {
                        hit |= p[pi] == s[si];
                    }
                    pi++;
                    pl--;
                }
                if (not == hit) {
                    return false;
                }
                si++;
                sl--;
            } else {
                if (c == '\\' && pl >= 2) {
                    pi++;
                    pl--;
                }
                if (p[pi] != s[si]) {
                    return false;
                }
                si++;
                sl--;
            }
            pi++;
            pl--;
            if (sl == 0) {
                while (pl > 0 && p[pi] == '*') {
                    pi++;
                    pl--;
                }
                break;
            }
        }
        return pl == 0 && sl == 0;
    }
}
