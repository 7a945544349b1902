package io.shardline.examples.kv.resp;

/**
 * Owned by one parser; not thread-safe (it reuses its output array). Splits an inline command line
 * into arguments by the rules of Redis' sdssplitargs.
 *
 * <p>The rules, quirks included, since clients depend on them: blanks ({@code isspace}: space, \t,
 * \n, \v, \f, \r) separate arguments, but inside an unquoted argument only space, \t, \n and \r end
 * it; a quote anywhere starts a quoted part ({@code a"b c"} is {@code ab c}); in "double quotes"
 * {@code \xHH} is a byte and \n \r \t \b \a are escapes, any other escaped char is itself; in
 * 'single quotes' only {@code \'} is an escape; a closing quote must be followed by a blank or the
 * end of the line. Empty quoted arguments are kept (Redis 7).
 */
final class InlineSplitter {
    private byte[] out = new byte[256];

    /**
     * Splits {@code line[from, to)} (no NUL bytes: the parser never lets one through) into {@code args},
     * which then point into this splitter's array. Returns the argument count, or -1 if the quotes are
     * unbalanced.
     */
    int split(byte[] line, int from, int to, RespArgs args) {
        if (out.length < to - from) { // unescaping only shrinks, so the line's length is enough
            out = new byte[Math.max(to - from, out.length * 2)];
        }
        int o = 0;
        int p = from;
        int n = 0;
        while (true) {
            while (p < to && isSpace(line[p])) {
                p++;
            }
            if (p >= to) {
                return n;
            }
            int start = o;
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                int c = at(line, p, to);
                if (inDouble) {
                    if (c == '\\' && at(line, p + 1, to) == 'x'
                            && isHex(at(line, p + 2, to)) && isHex(at(line, p + 3, to))) {
                        out[o++] = (byte) (hex(at(line, p + 2, to)) * 16 + hex(at(line, p + 3, to)));
                        p += 3;
                    } else if (c == '\\' && at(line, p + 1, to) != 0) {
                        p++;
                        out[o++] = (byte) switch (at(line, p, to)) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> at(line, p, to);
                        };
                    } else if (c == '"') {
                        if (!closes(line, p + 1, to)) {
                            return -1;
                        }
                        done = true;
                    } else if (c == 0) {
                        return -1; // unterminated quotes
                    } else {
                        out[o++] = (byte) c;
                    }
                } else if (inSingle) {
                    if (c == '\\' && at(line, p + 1, to) == '\'') {
                        p++;
                        out[o++] = '\'';
                    } else if (c == '\'') {
                        if (!closes(line, p + 1, to)) {
                            return -1;
                        }
                        done = true;
                    } else if (c == 0) {
                        return -1;
                    } else {
                        out[o++] = (byte) c;
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> out[o++] = (byte) c;
                    }
                }
                if (p < to) { // C's "if (*p) p++": never step past the terminating NUL
                    p++;
                }
            }
            args.add(out, start, o - start, false);
            n++;
        }
    }

    /** Capacity of the output array, for the parser's memory report. */
    int capacity() {
        return out.length;
    }

    /** Drops a large output array after a long line, so one such line does not pin memory. */
    void shrink(int keep) {
        if (out.length > keep) {
            out = new byte[256];
        }
    }

    /** The byte at {@code i} as an unsigned int, or 0 at the end of the line (C's NUL terminator). */
    private static int at(byte[] line, int i, int to) {
        return i < to ? line[i] & 0xFF : 0;
    }

    /** A closing quote must be followed by a blank or nothing at all. */
    private static boolean closes(byte[] line, int next, int to) {
        return next >= to || isSpace(line[next]);
    }

    /** C's isspace in the C locale. */
    private static boolean isSpace(int b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(int c) {
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }
}
