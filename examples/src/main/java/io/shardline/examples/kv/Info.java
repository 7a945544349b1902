package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.core.Future;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.shard.ShardStats;
import io.shardline.storage.LogStats;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * INFO: Redis' server, clients, memory, persistence, stats and keyspace sections, plus a shards section with
 * each shard's keys, commands and loop counters. Every counter is a shard's own; INFO gathers them from
 * every shard over the mesh and sums them on demand, formatted on the
 * connection's shard. Stateless.
 */
final class Info {
    private static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats", "cluster", "keyspace", "shards");

    private Info() {
    }

    /** What one shard reports. */
    record ShardInfo(int id, long keys, long expires, long commands, long expired, long replayed, long snapshots,
            long connectedClients, long totalConnections, long rejectedCommands, LogStats log, ShardStats loop,
            long usedMemory, long oomRejected, long blockedClients, long[] dbKeys, long[] dbExpires) {
    }

    static Future<byte[]> run(KvConnection c, Argv argv) {
        Set<String> sections = new TreeSet<>();
        for (int i = 1; i < argv.count(); i++) {
            String s = new String(argv.bytes(i), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            if (s.equals("all") || s.equals("everything") || s.equals("default")) {
                sections.addAll(DEFAULT);
            } else {
                sections.add(s);
            }
        }
        if (sections.isEmpty()) {
            sections.addAll(DEFAULT);
        }
        int protocol = c.protocol;
        return EveryShard.call(c.shard(), () -> {
            KvShard s = AllShards.local(c);
            ShardDatabases dbs = s.databases();
            long[] dbKeys = new long[dbs.made()];
            long[] dbExpires = new long[dbs.made()];
            for (int db = 0; db < dbKeys.length; db++) {
                if (dbs.existing(db) != null) {
                    dbKeys[db] = dbs.existing(db).size();
                    dbExpires[db] = dbs.existing(db).expiresCount();
                }
            }
            return new ShardInfo(s.id, dbs.size(), dbs.expiresCount(), s.commandsRun, s.expiredKeys,
                    s.replayed, s.snapshotsTaken, s.connectedClients, s.totalConnections, s.rejectedCommands,
                    s.log() == null ? null : s.log().stats(), io.shardline.shard.Shard.current().stats(),
                    dbs.usedMemory(), s.oomRejected, s.waiters().size(), dbKeys, dbExpires);
        }).map(shards -> {
            String text = format(c, sections, shards);
            return verbatim(protocol, text);
        });
    }

    private static String format(KvConnection c, Set<String> sections, List<ShardInfo> shards) {
        KvServer server = c.server;
        StringBuilder b = new StringBuilder();
        long keys = 0;
        long expires = 0;
        long commands = 0;
        long expired = 0;
        long connected = 0;
        long blocked = 0;
        long connections = 0;
        long rejected = 0;
        long usedMemory = 0;
        for (ShardInfo s : shards) {
            usedMemory += s.usedMemory();
            connected += s.connectedClients();
            blocked += s.blockedClients();
            connections += s.totalConnections();
            rejected += s.rejectedCommands();
            keys += s.keys();
            expires += s.expires();
            commands += s.commands();
            expired += s.expired();
        }
        if (sections.contains("server")) {
            b.append("# Server\r\n")
                    .append("redis_version:").append(ConnectionCommands.VERSION).append("\r\n")
                    .append("redis_mode:").append(server.cluster() == null ? "standalone" : "cluster").append("\r\n")
                    .append("server_name:shardline-kv\r\n")
                    .append("os:").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append("\r\n")
                    .append("arch_bits:64\r\n")
                    .append("process_id:").append(ProcessHandle.current().pid()).append("\r\n")
                    .append("tcp_port:").append(server.port()).append("\r\n")
                    .append("uptime_in_seconds:").append(server.uptimeSeconds()).append("\r\n")
                    .append("uptime_in_days:").append(server.uptimeSeconds() / 86400).append("\r\n")
                    .append("shards:").append(shards.size()).append("\r\n")
                    .append("\r\n");
        }
        if (sections.contains("clients")) {
            b.append("# Clients\r\n")
                    .append("connected_clients:").append(connected).append("\r\n")
                    .append("blocked_clients:").append(blocked).append("\r\n")
                    .append("\r\n");
        }
        if (sections.contains("memory")) {
            MemoryInfo.append(b, server.config(), usedMemory);
        }
        if (sections.contains("persistence")) {
            boolean aof = server.config().dataDir() != null;
            b.append("# Persistence\r\n")
                    .append("loading:0\r\n")
                    .append("aof_enabled:").append(aof ? 1 : 0).append("\r\n")
                    .append("appendfsync:").append(server.config().fsyncName()).append("\r\n")
                    .append("\r\n");
        }
        if (sections.contains("stats")) {
            b.append("# Stats\r\n")
                    .append("total_connections_received:").append(connections).append("\r\n")
                    .append("total_commands_processed:").append(commands).append("\r\n")
                    .append("rejected_commands:").append(rejected).append("\r\n")
                    .append("expired_keys:").append(expired).append("\r\n")
                    .append("\r\n");
        }
        if (sections.contains("cluster")) {
            b.append("# Cluster\r\ncluster_enabled:").append(server.cluster() == null ? 0 : 1).append("\r\n\r\n");
        }
        if (sections.contains("keyspace")) {
            b.append("# Keyspace\r\n");
            keyspaceLines(b, shards);
            b.append("\r\n");
        }
        if (sections.contains("shards")) {
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
        // Redis ends the text without the blank line after the last section.
        int len = b.length();
        if (len >= 4 && b.substring(len - 4).equals("\r\n\r\n")) {
            b.setLength(len - 2);
        }
        return b.toString();
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

    /** INFO's reply: a bulk string in RESP2, a verbatim "txt" string in RESP3, as Redis sends it. */
    static byte[] verbatim(int protocol, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        if (protocol == 2) {
            return RespWriter.forReply(2).bulk(body).toByteArray();
        }
        byte[] head = ("=" + (body.length + 4) + "\r\ntxt:").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + body.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }
}
