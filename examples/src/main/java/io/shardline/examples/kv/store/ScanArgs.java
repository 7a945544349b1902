package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;

/**
 * HSCAN's and SSCAN's cursor and options, read in Redis' order (scanGenericCommand): the cursor before
 * the key is looked up, MATCH and COUNT after. Immutable, one call.
 *
 * <p>Every collection is answered in one reply with cursor 0, as Redis answers a small (listpack or
 * intset) one whatever the cursor and COUNT; COUNT is a hint Redis allows to exceed, so a client
 * iterating sees each element exactly once. The cost is that a very large collection is answered
 * in one reply, like HGETALL, rather than in COUNT-sized steps.
 *
 * @param pattern the MATCH glob, or null for every element
 */
record ScanArgs(byte[] pattern) {
    /** The empty scan reply Redis gives for a missing key: cursor 0, no elements. */
    static void emptyScan(ReplySink out) {
        out.arrayHeader(2);
        out.bulk(new byte[] {'0'});
        out.arrayHeader(0);
    }

    /** Whether argv[2] is a cursor, else replies Redis' error. */
    static boolean cursorOrReply(byte[] arg, ReplySink out) {
        boolean ok = arg.length > 0 && arg.length <= 20;
        for (int i = 0; ok && i < arg.length; i++) {
            ok = Numbers.isDigit(arg[i]);
        }
        if (ok) {
            try {
                Long.parseUnsignedLong(new String(arg, java.nio.charset.StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) {
            out.error(Errors.INVALID_CURSOR);
        }
        return ok;
    }

    /** The options from argv[3], or null after replying Redis' error. */
    static ScanArgs optionsOrReply(byte[][] argv, ReplySink out) {
        byte[] pattern = null;
        for (int i = 3; i < argv.length; i += 2) {
            boolean hasValue = i + 1 < argv.length;
            if (Args.is(argv[i], "count") && hasValue) {
                if (!Numbers.isLong(argv[i + 1])) {
                    out.error(Errors.NOT_INTEGER);
                    return null;
                }
                if (Numbers.toLong(argv[i + 1]) < 1) {
                    out.error(Errors.SYNTAX);
                    return null;
                }
            } else if (Args.is(argv[i], "match") && hasValue) {
                pattern = argv[i + 1];
                if (Glob.matchesAll(pattern)) {
                    pattern = null;
                }
            } else {
                out.error(Errors.SYNTAX);
                return null;
            }
        }
        return new ScanArgs(pattern);
    }

    boolean matches(byte[] element) {
        return pattern == null || Glob.matches(pattern, element);
    }
}
