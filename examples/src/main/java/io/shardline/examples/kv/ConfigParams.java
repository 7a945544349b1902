package io.shardline.examples.kv;

import static io.shardline.examples.kv.ConfigParam.IMMUTABLE;
import static io.shardline.examples.kv.ConfigParam.MODIFIABLE;
import static io.shardline.examples.kv.ConfigParam.PROTECTED;

import io.shardline.examples.kv.ConfigParam.Kind;
import io.shardline.examples.kv.store.EncodingLimits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CONFIG parameters this server knows, as config.c declares them (name, alias, type, bounds,
 * whether CONFIG SET may change them, default): those it applies live (maxmemory, timeout, the
 * encoding thresholds, notify-keyspace-events, client-output-buffer-limit...) and those it accepts and
 * reports as Redis does, because clients and test suites set them. Built once per server from its
 * {@link KvConfig}; immutable after, any thread.
 */
final class ConfigParams {
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long LONG_MAX = Long.MAX_VALUE;
    private static final long UINT_MAX = 4294967295L;

    /** By canonical name and by alias. */
    private final Map<String, ConfigParam> byName = new LinkedHashMap<>();

    ConfigParams(KvConfig config) {
        // What a client or test suite may read or set; the ones a restart must change are immutable.
        add("bind", null, Kind.STRING, 0, 0, MODIFIABLE, config.address().getAddress().getHostAddress());
        add("port", null, Kind.INT, 0, 65535, MODIFIABLE, Integer.toString(config.address().getPort()));
        add("databases", null, Kind.INT, 1, INT_MAX, IMMUTABLE, Integer.toString(config.databases()));
        add("save", null, Kind.SAVE, 0, 0, MODIFIABLE, "");
        add("appendonly", null, Kind.BOOL, 0, 0, MODIFIABLE, config.dataDir() == null ? "no" : "yes");
        choice("appendfsync", null, List.of("everysec", "always", "no"), config.fsyncName());
        add("dir", null, Kind.STRING, 0, 0, PROTECTED,
                config.dataDir() == null ? System.getProperty("user.dir") : config.dataDir().toAbsolutePath().toString());
        add("dbfilename", null, Kind.STRING, 0, 0, PROTECTED, "dump.rdb");
        add("appendfilename", null, Kind.STRING, 0, 0, IMMUTABLE, "appendonly.aof");
        add("appenddirname", null, Kind.STRING, 0, 0, IMMUTABLE, "appendonlydir");
        add("maxmemory", null, Kind.MEMORY, 0, LONG_MAX, MODIFIABLE, Long.toString(config.maxMemory()));
        choice("maxmemory-policy", null, List.of("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"), "noeviction");
        add("maxmemory-samples", null, Kind.INT, 1, 64, MODIFIABLE, "5");
        add("maxmemory-eviction-tenacity", null, Kind.INT, 0, 100, MODIFIABLE, "10");
        add("maxmemory-clients", null, Kind.MEMORY, 0, LONG_MAX, MODIFIABLE, "0");
        add("proto-max-bulk-len", null, Kind.MEMORY, 1024 * 1024, LONG_MAX, MODIFIABLE, Long.toString(config.maxBulkBytes()));
        add("client-query-buffer-limit", null, Kind.MEMORY, 1024 * 1024, LONG_MAX, MODIFIABLE, "1073741824");
        add("timeout", null, Kind.INT, 0, INT_MAX, MODIFIABLE, "0");
        add("tcp-keepalive", null, Kind.INT, 0, INT_MAX, MODIFIABLE, "300");
        add("tcp-backlog", null, Kind.INT, 0, INT_MAX, IMMUTABLE, "511");
        add("maxclients", null, Kind.INT, 1, UINT_MAX, MODIFIABLE, "10000");
        add("hz", null, Kind.INT, 0, INT_MAX, MODIFIABLE, "10");
        add("dynamic-hz", null, Kind.BOOL, 0, 0, MODIFIABLE, "yes");
        add("busy-reply-threshold", "lua-time-limit", Kind.INT, 0, LONG_MAX, MODIFIABLE, "5000");
        add("notify-keyspace-events", null, Kind.EVENTS, 0, 0, MODIFIABLE, "");
        add("client-output-buffer-limit", null, Kind.OUTPUT_LIMITS, 0, 0, MODIFIABLE,
                OutputLimits.defaults(config.pubsubLimits()).render());
        add("io-threads", null, Kind.INT, 1, 128, IMMUTABLE, Integer.toString(config.shards()));
        add("cluster-enabled", null, Kind.BOOL, 0, 0, IMMUTABLE, "no");
        add("daemonize", null, Kind.BOOL, 0, 0, IMMUTABLE, "no");
        add("protected-mode", null, Kind.BOOL, 0, 0, MODIFIABLE, "yes");
        choice("loglevel", null, List.of("debug", "verbose", "notice", "warning"), "notice");
        add("logfile", null, Kind.STRING, 0, 0, IMMUTABLE, "");
        add("pidfile", null, Kind.STRING, 0, 0, IMMUTABLE, "");
        add("requirepass", null, Kind.STRING, 0, 0, IMMUTABLE, config.requirePass() == null ? "" : config.requirePass());
        add("enable-debug-command", null, Kind.STRING, 0, 0, IMMUTABLE, "no");
        add("slowlog-log-slower-than", null, Kind.INT, -1, LONG_MAX, MODIFIABLE, "10000");
        add("slowlog-max-len", null, Kind.INT, 0, LONG_MAX, MODIFIABLE, "128");
        add("latency-monitor-threshold", null, Kind.INT, 0, LONG_MAX, MODIFIABLE, "0");
        add("latency-tracking", null, Kind.BOOL, 0, 0, MODIFIABLE, "yes");
        add("activerehashing", null, Kind.BOOL, 0, 0, MODIFIABLE, "yes");
        add("activedefrag", null, Kind.BOOL, 0, 0, MODIFIABLE, "no");
        add("active-expire-effort", null, Kind.INT, 1, 10, MODIFIABLE, "1");
        add("lazyfree-lazy-eviction", null, Kind.BOOL, 0, 0, MODIFIABLE, "no");
        add("lazyfree-lazy-expire", null, Kind.BOOL, 0, 0, MODIFIABLE, "no");
        add("lazyfree-lazy-server-del", null, Kind.BOOL, 0, 0, MODIFIABLE, "no");
        add("lazyfree-lazy-user-del", null, Kind.BOOL, 0, 0, MODIFIABLE, "no");
        add("lazyfree-lazy-user-flush", null, Kind.BOOL, 0, 0, MODIFIABLE, "no");
        add("lfu-log-factor", null, Kind.INT, 0, INT_MAX, MODIFIABLE, "10");
        add("lfu-decay-time", null, Kind.INT, 0, INT_MAX, MODIFIABLE, "1");
        add("stream-node-max-bytes", null, Kind.MEMORY, 0, LONG_MAX, MODIFIABLE, "4096");
        add("stream-node-max-entries", null, Kind.INT, 0, LONG_MAX, MODIFIABLE, "100");
        add("hll-sparse-max-bytes", null, Kind.MEMORY, 0, LONG_MAX, MODIFIABLE, "3000");
        add("list-compress-depth", null, Kind.INT, 0, INT_MAX, MODIFIABLE, "0");
        add("tracking-table-max-keys", null, Kind.INT, 0, LONG_MAX, MODIFIABLE, "1000000");
        add("replica-read-only", "slave-read-only", Kind.BOOL, 0, 0, MODIFIABLE, "yes");
        add("replica-serve-stale-data", "slave-serve-stale-data", Kind.BOOL, 0, 0, MODIFIABLE, "yes");
        add("replicaof", "slaveof", Kind.STRING, 0, 0, IMMUTABLE, "");
        add("repl-backlog-size", null, Kind.MEMORY, 1, LONG_MAX, MODIFIABLE, "1048576");
        add("repl-timeout", null, Kind.INT, 1, INT_MAX, MODIFIABLE, "60");
        add("min-replicas-to-write", "min-slaves-to-write", Kind.INT, 0, INT_MAX, MODIFIABLE, "0");
        add("min-replicas-max-lag", "min-slaves-max-lag", Kind.INT, 0, INT_MAX, MODIFIABLE, "10");
        add("stop-writes-on-bgsave-error", null, Kind.BOOL, 0, 0, MODIFIABLE, "yes");
        add("rdbcompression", null, Kind.BOOL, 0, 0, MODIFIABLE, "yes");
        add("rdbchecksum", null, Kind.BOOL, 0, 0, MODIFIABLE, "yes");
        add("aof-use-rdb-preamble", null, Kind.BOOL, 0, 0, MODIFIABLE, "yes");
        add("no-appendfsync-on-rewrite", null, Kind.BOOL, 0, 0, MODIFIABLE, "no");
        add("auto-aof-rewrite-percentage", null, Kind.INT, 0, INT_MAX, MODIFIABLE, "100");
        add("auto-aof-rewrite-min-size", null, Kind.MEMORY, 0, LONG_MAX, MODIFIABLE, "67108864");
        add("cluster-node-timeout", null, Kind.INT, 0, LONG_MAX, MODIFIABLE, "15000");
        add("acllog-max-len", null, Kind.INT, 0, LONG_MAX, MODIFIABLE, "128");
        EncodingLimits defaults = new EncodingLimits();
        for (String name : EncodingLimits.NAMES) { // canonical names first, each alias beside its name
            if (name.contains("ziplist")) {
                continue;
            }
            long[] bounds = EncodingLimits.bounds(name);
            String alias = name.startsWith("set-") ? null : name.replace("listpack", "ziplist");
            add(name, alias, name.endsWith("-value") ? Kind.MEMORY : Kind.INT, bounds[0], bounds[1], MODIFIABLE,
                    Integer.toString(defaults.get(name)));
        }
    }

    private void add(String name, String alias, Kind kind, long min, long max, int set, String initial) {
        put(new ConfigParam(name, alias, kind, min, max, List.of(), set, initial));
    }

    private void choice(String name, String alias, List<String> choices, String initial) {
        put(new ConfigParam(name, alias, Kind.ENUM, 0, 0, choices, MODIFIABLE, initial));
    }

    private void put(ConfigParam p) {
        byName.put(p.name(), p);
        if (p.alias() != null) {
            byName.put(p.alias(), p);
        }
    }

    /** The parameter named {@code name} (lower case; canonical or alias), or null. */
    ConfigParam find(String name) {
        return byName.get(name);
    }

    /** Every name CONFIG GET matches a pattern against (aliases too, as Redis'), with its parameter. */
    Map<String, ConfigParam> names() {
        return byName;
    }
}
