package io.shardline.examples.kv;

import java.util.Set;

/**
 * Redis' maxmemory rule for this server: which commands are refused with -OOM once a shard's keyspace
 * holds its share of the limit, and what the limit is when none was set. Stateless, any thread.
 *
 * <p>Without a configured maxmemory the limit is half the JVM's maximum heap: the rest is room for the
 * collector to work in (garbage between collections, a table being doubled), for connection buffers
 * and for requests being parsed, so a flood of keys meets -OOM well before an
 * {@link OutOfMemoryError}. Each shard gets an equal share, so the check reads only its own keyspace
 * (no shared counter); with keys spread by hash slot the shares fill evenly.
 */
final class MemoryLimit {
    /** Redis' reply, word for word. */
    static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    /** Redis 7's commands flagged denyoom (COMMAND's flags on redis-server 7.0), as this server names them. */
    static final Set<String> DENY_OOM = Set.of("append", "bitfield", "bitop", "blmove", "brpoplpush", "copy", "decr",
            "decrby", "geoadd", "georadius", "georadiusbymember", "geosearchstore", "getset", "hincrby", "hincrbyfloat",
            "hmset", "hset", "hsetnx", "incr", "incrby", "incrbyfloat", "linsert", "lmove", "lpush", "lpushx", "lset",
            "mset", "msetnx", "pfadd", "pfmerge", "psetex", "restore", "restore-asking", "rpoplpush", "rpush", "rpushx",
            "sadd", "sdiffstore", "set", "setbit", "setex", "setnx", "setrange", "sinterstore", "sort", "sunionstore",
            "xadd", "xsetid", "zadd", "zdiffstore", "zincrby", "zinterstore", "zrangestore", "zunionstore");

    private MemoryLimit() {
    }

    /** The server-wide limit in bytes: maxmemory if set, else half the maximum heap. */
    static long total(KvConfig config) {
        return config.maxMemory() > 0 ? config.maxMemory() : Runtime.getRuntime().maxMemory() / 2;
    }

    /** One shard's share of maxmemory {@code maxMemory} (0: half the heap) over {@code shards}. */
    static long perShard(long maxMemory, int shards) {
        long total = maxMemory > 0 ? maxMemory : Runtime.getRuntime().maxMemory() / 2;
        return Math.max(1, total / shards);
    }

    /** One shard's share of {@link #total}. */
    static long perShard(KvConfig config) {
        return Math.max(1, total(config) / config.shards());
    }

    /** Bytes a request's arguments hold: what storing them may add, counted before it runs. */
    static long requestBytes(io.shardline.examples.kv.resp.Argv argv) {
        long n = 0;
        for (int i = 0; i < argv.count(); i++) {
            n += argv.length(i);
        }
        return n;
    }

    /**
     * Redis' maxmemory as CONFIG SET takes it: a byte count with an optional unit, k/m/g powers of
     * 1000 and kb/mb/gb powers of 1024, any case; an {@link IllegalArgumentException} otherwise.
     */
    static long parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"}, {"m", "1000000"},
                {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        try {
            long n = Long.parseLong(t);
            if (n < 0 || n > Long.MAX_VALUE / unit) {
                throw new IllegalArgumentException("maxmemory out of range: " + text);
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("maxmemory must be bytes with an optional unit (kb, mb, gb...), was " + text);
        }
    }
}
