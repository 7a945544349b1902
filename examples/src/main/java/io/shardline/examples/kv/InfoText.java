// About 300 lines of field lists: every INFO section Redis 7.2 has, its fields in its order; the
// numbers this server keeps are summed over the shards, the rest are what Redis shows without them.
package io.shardline.examples.kv;

import io.shardline.examples.kv.Info.ShardInfo;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes INFO's text from every shard's {@link ShardInfo}: Redis' section headers and field names, CRLF
 * line ends, a blank line between sections and none after the last. Stateless; runs on the
 * connection's shard.
 */
final class InfoText {
    private InfoText() {
    }

    /** Sums of the shards' counters. */
    private static final class Sums {
        long keys;
        long commands;
        long expired;
        long connected;
        long blocked;
        long connections;
        long rejected;
        long usedMemory;
        long errorReplies;
        long hits;
        long misses;
        long pubsubClients;
        long channels;
        long shardChannels;
        long patterns;
        long lastSave;
        boolean logFailed;
        long netInput;
        long netOutput;
        long opsPerSecond;
        double inputKbps;
        double outputKbps;
        long rejectedConnections;

        Sums(List<ShardInfo> shards) {
            for (ShardInfo s : shards) {
                usedMemory += s.usedMemory();
                connected += s.connectedClients();
                blocked += s.blockedClients();
                connections += s.totalConnections();
                rejected += s.rejectedCommands();
                keys += s.keys();
                for (long[] c : s.commandStats().values()) {
                    commands += c[0]; // every command a client made, as Redis counts them (not a shard's parts)
                }
                expired += s.expired();
                errorReplies += s.errorReplies();
                hits += s.lookups()[0];
                misses += s.lookups()[1];
                pubsubClients += s.pubsubClients();
                channels += s.homedChannels();
                shardChannels += s.homedShardChannels();
                patterns = Math.max(patterns, s.patterns()); // every shard holds the same replica
                lastSave = Math.max(lastSave, s.lastSave());
                netInput += s.netInput();
                netOutput += s.netOutput();
                opsPerSecond += s.opsPerSecond();
                inputKbps += s.inputKbps();
                outputKbps += s.outputKbps();
                rejectedConnections += s.rejectedConnections();
                logFailed |= s.logFailed();
            }
        }
    }

    static String format(KvConnection c, Set<String> sections, List<ShardInfo> shards) {
        KvServer server = c.server;
        LiveConfig live = server.shards().local().live;
        Sums n = new Sums(shards);
        StringBuilder b = new StringBuilder(4096);
        if (sections.contains("server")) {
            long now = System.currentTimeMillis();
            int hz = Integer.parseInt(live.get("hz"));
            b.append("# Server\r\n");
            field(b, "redis_version", ConnectionCommands.VERSION);
            field(b, "redis_git_sha1", "00000000");
            field(b, "redis_git_dirty", "0");
            field(b, "redis_build_id", "0");
            field(b, "redis_mode", c.server.cluster() == null ? "standalone" : "cluster");
            field(b, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
            field(b, "arch_bits", "64");
            field(b, "monotonic_clock", "POSIX clock_gettime");
            field(b, "multiplexing_api", "shardline");
            field(b, "atomicvar_api", "c11-builtin");
            field(b, "gcc_version", "0.0.0");
            field(b, "process_id", ProcessHandle.current().pid());
            field(b, "process_supervised", "no");
            field(b, "run_id", server.runId());
            field(b, "tcp_port", server.port());
            field(b, "server_time_usec", now * 1000);
            field(b, "uptime_in_seconds", server.uptimeSeconds());
            field(b, "uptime_in_days", server.uptimeSeconds() / 86400);
            field(b, "hz", hz);
            field(b, "configured_hz", hz);
            field(b, "lru_clock", (now / 1000) & ((1 << 24) - 1));
            field(b, "executable", ProcessHandle.current().info().command().orElse(""));
            field(b, "config_file", "");
            field(b, "io_threads_active", "0");
            field(b, "shards", shards.size());
            b.append("\r\n");
        }
        if (sections.contains("clients")) {
            b.append("# Clients\r\n");
            field(b, "connected_clients", n.connected);
            field(b, "cluster_connections", 0);
            field(b, "maxclients", live.get("maxclients"));
            field(b, "client_recent_max_input_buffer", 0);
            field(b, "client_recent_max_output_buffer", 0);
            field(b, "blocked_clients", n.blocked);
            field(b, "tracking_clients", 0);
            field(b, "pubsub_clients", n.pubsubClients);
            field(b, "watching_clients", 0);
            field(b, "clients_in_timeout_table", n.blocked);
            field(b, "total_watched_keys", 0);
            field(b, "total_blocking_keys", n.blocked);
            field(b, "total_blocking_keys_on_nokey", 0);
            b.append("\r\n");
        }
        if (sections.contains("memory")) {
            MemoryInfo.append(b, server.config(), n.usedMemory, Long.parseLong(live.get("maxmemory")), live.get("maxmemory-policy"),
                    ScriptInfo.memoryFields(server.shards().local()));
        }
        if (sections.contains("persistence")) {
            persistence(b, server, n);
        }
        if (sections.contains("stats")) {
            stats(b, n);
        }
        if (sections.contains("replication")) {
            b.append("# Replication\r\n");
            field(b, "role", "master");
            field(b, "connected_slaves", 0);
            field(b, "master_failover_state", "no-failover");
            field(b, "master_replid", server.runId());
            field(b, "master_replid2", "0000000000000000000000000000000000000000");
            field(b, "master_repl_offset", 0);
            field(b, "second_repl_offset", -1);
            field(b, "repl_backlog_active", 0);
            field(b, "repl_backlog_size", live.get("repl-backlog-size"));
            field(b, "repl_backlog_first_byte_offset", 0);
            field(b, "repl_backlog_histlen", 0);
            b.append("\r\n");
        }
        if (sections.contains("cpu")) {
            CpuInfo.append(b);
        }
        if (sections.contains("module_list")) {
            b.append("# Modules\r\n\r\n");
        }
        if (sections.contains("commandstats")) {
            commandStats(b, shards);
        }
        if (sections.contains("errorstats")) {
            errorStats(b, shards);
        }
        if (sections.contains("latencystats")) {
            b.append("# Latencystats\r\n\r\n");
        }
        if (sections.contains("cluster")) {
            b.append("# Cluster\r\n");
            field(b, "cluster_enabled", c.server.cluster() == null ? 0 : 1);
            b.append("\r\n");
        }
        if (sections.contains("keyspace")) {
            b.append("# Keyspace\r\n");
            keyspaceLines(b, shards);
            b.append("\r\n");
        }
        if (sections.contains("shards")) {
            shardLines(b, shards);
        }
        // Redis ends the text without the blank line after the last section.
        int len = b.length();
        if (len >= 4 && b.substring(len - 4).equals("\r\n\r\n")) {
            b.setLength(len - 2);
        }
        return b.toString();
    }

    private static void persistence(StringBuilder b, KvServer server, Sums n) {
        boolean aof = server.config().dataDir() != null;
        b.append("# Persistence\r\n");
        field(b, "loading", 0);
        field(b, "async_loading", 0);
        field(b, "current_cow_peak", 0);
        field(b, "current_cow_size", 0);
        field(b, "current_cow_size_age", 0);
        field(b, "current_fork_perc", "0.00");
        field(b, "current_save_keys_processed", 0);
        field(b, "current_save_keys_total", 0);
        field(b, "rdb_changes_since_last_save", 0);
        field(b, "rdb_bgsave_in_progress", 0);
        field(b, "rdb_last_save_time", n.lastSave);
        field(b, "rdb_last_bgsave_status", "ok");
        field(b, "rdb_last_bgsave_time_sec", -1);
        field(b, "rdb_current_bgsave_time_sec", -1);
        field(b, "rdb_saves", 0);
        field(b, "rdb_last_cow_size", 0);
        field(b, "rdb_last_load_keys_expired", 0);
        field(b, "rdb_last_load_keys_loaded", 0);
        field(b, "aof_enabled", aof ? 1 : 0);
        field(b, "aof_rewrite_in_progress", 0);
        field(b, "aof_rewrite_scheduled", 0);
        field(b, "aof_last_rewrite_time_sec", -1);
        field(b, "aof_current_rewrite_time_sec", -1);
        field(b, "aof_last_bgrewrite_status", "ok");
        field(b, "aof_rewrites", 0);
        field(b, "aof_rewrites_consecutive_failures", 0);
        field(b, "aof_last_write_status", n.logFailed ? "err" : "ok");
        field(b, "aof_last_cow_size", 0);
        field(b, "module_fork_in_progress", 0);
        field(b, "module_fork_last_cow_size", 0);
        field(b, "appendfsync", server.config().fsyncName());
        b.append("\r\n");
    }

    private static void stats(StringBuilder b, Sums n) {
        b.append("# Stats\r\n");
        field(b, "total_connections_received", n.connections);
        field(b, "total_commands_processed", n.commands);
        field(b, "instantaneous_ops_per_sec", n.opsPerSecond);
        field(b, "total_net_input_bytes", n.netInput);
        field(b, "total_net_output_bytes", n.netOutput);
        field(b, "total_net_repl_input_bytes", 0);
        field(b, "total_net_repl_output_bytes", 0);
        field(b, "instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", n.inputKbps));
        field(b, "instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", n.outputKbps));
        field(b, "instantaneous_input_repl_kbps", "0.00");
        field(b, "instantaneous_output_repl_kbps", "0.00");
        field(b, "rejected_connections", n.rejectedConnections);
        field(b, "sync_full", 0);
        field(b, "sync_partial_ok", 0);
        field(b, "sync_partial_err", 0);
        field(b, "expired_keys", n.expired);
        field(b, "expired_stale_perc", "0.00");
        field(b, "expired_time_cap_reached_count", 0);
        field(b, "expire_cycle_cpu_milliseconds", 0);
        field(b, "evicted_keys", 0);
        field(b, "evicted_clients", 0);
        field(b, "total_eviction_exceeded_time", 0);
        field(b, "current_eviction_exceeded_time", 0);
        field(b, "keyspace_hits", n.hits);
        field(b, "keyspace_misses", n.misses);
        field(b, "pubsub_channels", n.channels);
        field(b, "pubsub_patterns", n.patterns);
        field(b, "pubsubshard_channels", n.shardChannels);
        field(b, "latest_fork_usec", 0);
        field(b, "total_forks", 0);
        field(b, "migrate_cached_sockets", 0);
        field(b, "slave_expires_tracked_keys", 0);
        field(b, "active_defrag_hits", 0);
        field(b, "active_defrag_misses", 0);
        field(b, "active_defrag_key_hits", 0);
        field(b, "active_defrag_key_misses", 0);
        field(b, "total_active_defrag_time", 0);
        field(b, "current_active_defrag_time", 0);
        field(b, "tracking_total_keys", 0);
        field(b, "tracking_total_items", 0);
        field(b, "tracking_total_prefixes", 0);
        field(b, "unexpected_error_replies", 0);
        field(b, "total_error_replies", n.errorReplies);
        field(b, "dump_payload_sanitizations", 0);
        field(b, "total_reads_processed", 0);
        field(b, "total_writes_processed", 0);
        field(b, "io_threaded_reads_processed", 0);
        field(b, "io_threaded_writes_processed", 0);
        field(b, "client_query_buffer_limit_disconnections", 0);
        field(b, "client_output_buffer_limit_disconnections", 0);
        field(b, "reply_buffer_shrinks", 0);
        field(b, "reply_buffer_expands", 0);
        field(b, "acl_access_denied_auth", 0);
        field(b, "acl_access_denied_cmd", 0);
        field(b, "acl_access_denied_key", 0);
        field(b, "acl_access_denied_channel", 0);
        field(b, "rejected_commands", n.rejected);
        b.append("\r\n");
    }

    /** {@code cmdstat_<name>:calls=..,usec=..,usec_per_call=..,rejected_calls=..,failed_calls=..}, summed over the shards. */
    private static void commandStats(StringBuilder b, List<ShardInfo> shards) {
        Map<String, long[]> all = new TreeMap<>();
        for (ShardInfo s : shards) {
            s.commandStats().forEach((name, c) -> {
                long[] sum = all.computeIfAbsent(name, k -> new long[4]);
                for (int i = 0; i < 4; i++) {
                    sum[i] += c[i];
                }
            });
        }
        b.append("# Commandstats\r\n");
        all.forEach((name, c) -> {
            if (c[0] + c[2] + c[3] == 0) {
                return;
            }
            b.append("cmdstat_").append(name).append(":calls=").append(c[0]).append(",usec=").append(c[1])
                    .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f", c[0] == 0 ? 0.0 : (double) c[1] / c[0]))
                    .append(",rejected_calls=").append(c[2]).append(",failed_calls=").append(c[3]).append("\r\n");
        });
        b.append("\r\n");
    }

    private static void errorStats(StringBuilder b, List<ShardInfo> shards) {
        Map<String, Long> all = new TreeMap<>();
        for (ShardInfo s : shards) {
            s.errorStats().forEach((prefix, count) -> all.merge(prefix, count, Long::sum));
        }
        b.append("# Errorstats\r\n");
        all.forEach((prefix, count) -> b.append("errorstat_").append(prefix).append(":count=").append(count).append("\r\n"));
        b.append("\r\n");
    }

    /** One {@code dbN:keys=..,expires=..,avg_ttl=0} line per database with keys, summed over the shards. */
    private static void keyspaceLines(StringBuilder b, List<ShardInfo> shards) {
        int dbs = 0;
        for (ShardInfo s : shards) {
            dbs = Math.max(dbs, s.dbKeys().length);
        }
        for (int db = 0; db < dbs; db++) {
            long keys = 0;
            long expires = 0;
            for (ShardInfo s : shards) {
                if (db < s.dbKeys().length) {
                    keys += s.dbKeys()[db];
                    expires += s.dbExpires()[db];
                }
            }
            if (keys > 0) {
                b.append("db").append(db).append(":keys=").append(keys).append(",expires=").append(expires).append(",avg_ttl=0\r\n");
            }
        }
    }

    /** This server's own section: each shard's keys, commands, log and mesh counters. */
    private static void shardLines(StringBuilder b, List<ShardInfo> shards) {
        b.append("# Shards\r\n");
        for (ShardInfo s : shards) {
            b.append("shard").append(s.id()).append(":keys=").append(s.keys())
                    .append(",expires=").append(s.expires())
                    .append(",commands=").append(s.commands())
                    .append(",replayed=").append(s.replayed())
                    .append(",snapshots=").append(s.snapshots())
                    .append(",used_memory=").append(s.usedMemory())
                    .append(",oom_rejected=").append(s.oomRejected());
            if (s.log() != null) {
                b.append(",log_appends=").append(s.log().appends())
                        .append(",log_writes=").append(s.log().writes())
                        .append(",log_forces=").append(s.log().forces());
            }
            b.append(",mesh_sent=").append(s.loop().sent())
                    .append(",mesh_served=").append(s.loop().served())
                    .append(",mesh_waits=").append(s.loop().waits())
                    .append("\r\n");
        }
        b.append("\r\n");
    }

    private static void field(StringBuilder b, String name, Object value) {
        b.append(name).append(':').append(value).append("\r\n");
    }
}
