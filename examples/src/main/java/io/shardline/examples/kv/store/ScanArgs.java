package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * HSCAN's and SSCAN's cursor, collection and options, read in Redis' order (scanGenericCommand): the
 * cursor before the key is looked up, MATCH and COUNT after. Immutable, one call, on the shard's thread.
 *
 * <p>Every collection is answered in one reply with cursor 0, as Redis answers a small (listpack or
 * intset) one whatever the cursor and COUNT; COUNT is a hint Redis allows to exceed, so a client
 * iterating sees each element exactly once. The cost is that a very large collection is answered
 * in one reply, like HGETALL, rather than in COUNT-sized steps.
 *
 * @param target the collection to walk
 * @param pattern the MATCH glob, or null for every element
 */
record ScanArgs(Entry target, byte[] pattern) {
    /** What {@link #patternOrReply} returns after it replied an error. */
    private static final byte[] INVALID = new byte[0];

    /**
     * HSCAN's and SSCAN's opening in Redis' order: cursor, key of {@code type}, then options. Null after
     * it replied: an error, WRONGTYPE, or the empty scan of a missing key.
     */
    static ScanArgs openOrReply(Keyspace ks, Argv argv, ValueType type, ReplySink out) {
        if (!cursorOrReply(argv.bytes(2), out)) {
            return null;
        }
        Entry e = ks.lookup(new Bytes(argv.bytes(1)), type, out);
        if (e == null) {
            replyHeader(0, out);
            return null;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return null;
        }
        byte[] pattern = patternOrReply(argv, out);
        return pattern == INVALID ? null : new ScanArgs(e, pattern);
    }

    /** The one-step scan reply's start: cursor 0, then an array of {@code elements} that follow. */
    static void replyHeader(long elements, ReplySink out) {
        out.arrayHeader(2);
        out.bulk(new byte[] {'0'});
        out.arrayHeader(elements);
    }

    /** Whether argument 2 is a cursor, else replies Redis' error. */
    private static boolean cursorOrReply(byte[] arg, ReplySink out) {
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

    /** The MATCH pattern from the options from argument 3 (null for all), or INVALID after replying Redis' error. */
    private static byte[] patternOrReply(Argv argv, ReplySink out) {
        byte[] pattern = null;
        for (int i = 3; i < argv.count(); i += 2) {
            boolean hasValue = i + 1 < argv.count();
            if (argv.equalsIgnoreCase(i, "count") && hasValue) {
                if (!Numbers.isLong(argv, i + 1)) {
                    out.error(Errors.NOT_INTEGER);
                    return INVALID;
                }
                if (Numbers.toLong(argv, i + 1) < 1) {
                    out.error(Errors.SYNTAX);
                    return INVALID;
                }
            } else if (argv.equalsIgnoreCase(i, "match") && hasValue) {
                pattern = argv.bytes(i + 1);
                if (Glob.matchesAll(pattern)) {
                    pattern = null;
                }
            } else {
                out.error(Errors.SYNTAX);
                return INVALID;
            }
        }
        return pattern;
    }

    boolean matches(byte[] element) {
        return pattern == null || Glob.matches(pattern, element);
    }
}
