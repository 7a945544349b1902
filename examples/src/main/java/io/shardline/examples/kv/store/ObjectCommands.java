package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * OBJECT ENCODING, REFCOUNT, IDLETIME and FREQ as one shard answers them for a key it owns (object.c's
 * objectCommand). They do not count as an access to the key (Redis's LOOKUP_NOTOUCH), so IDLETIME
 * reads the idle time it would otherwise reset. Stateless; runs on the key's shard.
 */
public final class ObjectCommands {
    /** Redis's OBJ_SHARED_REFCOUNT: the refcount of its shared integers 0..9999. */
    private static final int SHARED_REFCOUNT = Integer.MAX_VALUE;
    /** Redis's OBJ_SHARED_INTEGERS. */
    private static final long SHARED_INTEGERS = 10_000;
    /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
    private static final int EMBSTR_LIMIT = 44;
    static final String NO_LFU = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
            + "that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

    private ObjectCommands() {
    }

    /** {@code OBJECT sub key}, with the subcommand and arity already checked by the caller. */
    public static void run(Keyspace ks, Argv argv, ReplySink out) {
        Entry e = ks.peek(new Bytes(argv.bytes(2)));
        if (e == null) {
            out.nullBulk();
            return;
        }
        switch (argv.string(1).toLowerCase(java.util.Locale.ROOT)) {
            case "encoding" -> out.bulk(encoding(e));
            case "refcount" -> out.integer(refcount(e));
            case "idletime" -> out.integer(idleSeconds(ks.lruClock(), e.lru()));
            case "freq" -> out.error(NO_LFU); // maxmemory-policy is noeviction: no LFU counter is kept
            default -> throw new IllegalArgumentException("not an OBJECT key subcommand");
        }
    }

    /** The name OBJECT ENCODING gives {@code e}'s value. */
    static String encoding(Entry e) {
        return switch (e.type()) {
            case STRING -> e.rawString() ? "raw"
                    : e.notIntString() ? (e.stringLength() <= EMBSTR_LIMIT ? "embstr" : "raw") : stringEncoding(e.stringCopy());
            case LIST -> e.list().encoding();
            case SET -> e.set().encoding();
            case ZSET -> e.zset().encoding();
            case HASH -> e.hash().encoding();
            case STREAM -> StreamCommands.stream(e).encoding();
        };
    }

    /**
     * tryObjectEncoding's choice for a stored string: {@code int} for a canonical 64-bit integer (up to
     * 20 characters), {@code embstr} up to 44 bytes, else {@code raw}; a string edited in place is
     * {@code raw} before this is asked ({@link Entry#markRaw}). A HyperLogLog (its {@code HYLL} header)
     * is {@code raw}, as PFADD writes it.
     */
    static String stringEncoding(byte[] v) {
        if (Numbers.isLong(v)) {
            return "int";
        }
        if (v.length >= 4 && v[0] == 'H' && v[1] == 'Y' && v[2] == 'L' && v[3] == 'L') {
            return "raw"; // PFADD and PFMERGE write their HyperLogLog as a raw string, however short
        }
        return v.length <= EMBSTR_LIMIT ? "embstr" : "raw";
    }

    private static long refcount(Entry e) {
        if (e.type() == ValueType.STRING && "int".equals(encoding(e))) {
            long v = Numbers.toLong(e.stringCopy());
            return v >= 0 && v < SHARED_INTEGERS ? SHARED_REFCOUNT : 1; // maxmemory-policy noeviction shares them
        }
        return 1;
    }

    /** estimateObjectIdleTime in seconds, across the 24-bit clock's wrap. */
    static long idleSeconds(int clock, int lru) {
        return clock >= lru ? clock - lru : clock + (Entry.LRU_MAX - lru);
    }
}
