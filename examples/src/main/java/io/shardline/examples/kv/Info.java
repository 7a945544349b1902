package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.shard.ShardStats;
import io.shardline.storage.LogStats;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * INFO: which of Redis' sections to show (a list of names; {@code default}, {@code all},
 * {@code everything}), each shard's counters gathered over the mesh and summed on the connection's
 * shard ({@link InfoText} writes the text). Every counter is a shard's own, in plain fields only its
 * thread writes: nothing is shared on the hot path. Stateless.
 */
final class Info {
    /** INFO and INFO default, in Redis' order, plus this server's shards section. */
    static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats", "replication", "cpu",
            "module_list", "errorstats", "cluster", "keyspace", "shards");
    /** INFO all: every section but modules. */
    static final List<String> ALL = List.of("server", "clients", "memory", "persistence", "stats", "replication", "cpu",
            "module_list", "commandstats", "errorstats", "latencystats", "cluster", "keyspace", "shards");

    private Info() {
    }

    /** What one shard reports. */
    record ShardInfo(int id, long keys, long expires, long commands, long expired, long replayed, long snapshots,
            long connectedClients, long totalConnections, long rejectedCommands, LogStats log, ShardStats loop,
            long usedMemory, long oomRejected, long blockedClients, long[] dbKeys, long[] dbExpires,
            Map<String, long[]> commandStats, Map<String, Long> errorStats, long errorReplies, long[] lookups,
            long pubsubClients, long homedChannels, long homedShardChannels, long patterns, long lastSave,
            boolean logFailed, long netInput, long netOutput, long opsPerSecond, double inputKbps, double outputKbps,
            long rejectedConnections) {
    }

    static Future<byte[]> run(KvConnection c, Argv argv) {
        Set<String> sections = new TreeSet<>();
        for (int i = 1; i < argv.count(); i++) {
            String s = new String(argv.bytes(i), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            switch (s) {
                case "default" -> sections.addAll(DEFAULT);
                case "all" -> sections.addAll(ALL);
                case "everything" -> {
                    sections.addAll(ALL);
                    sections.add("modules");
                }
                case "modules" -> sections.add("module_list");
                default -> sections.add(s);
            }
        }
        if (sections.isEmpty()) {
            sections.addAll(DEFAULT);
        }
        int protocol = c.protocol;
        return EveryShard.node(c, () -> gather(c.server)).map(shards -> verbatim(protocol, InfoText.format(c, sections, shards)));
    }

    /** This shard's counters, read on its thread. */
    private static ShardInfo gather(KvServer server) {
        KvShard s = server.shards().local();
        ShardDatabases dbs = s.databases();
        long[] dbKeys = new long[dbs.made()];
        long[] dbExpires = new long[dbs.made()];
        for (int db = 0; db < dbKeys.length; db++) {
            if (dbs.existing(db) != null) {
                dbKeys[db] = dbs.existing(db).size();
                dbExpires[db] = dbs.existing(db).expiresCount();
            }
        }
        long pubsubClients = 0;
        for (KvConnection c : s.clients.all()) {
            if (c.subscriptionsIfAny() != null && c.subscriptionsIfAny().any()) {
                pubsubClients++;
            }
        }
        ShardPubSub pubsub = server.pubsub().local();
        return new ShardInfo(s.id, dbs.size(), dbs.expiresCount(), s.commandsRun, s.expiredKeys,
                s.replayed, s.snapshotsTaken, s.connectedClients, s.totalConnections, s.rejectedCommands,
                s.log() == null ? null : s.log().stats(), io.shardline.shard.Shard.current().stats(),
                dbs.usedMemory(), s.oomRejected, s.waiters().size(), dbKeys, dbExpires,
                s.stats.commands(), s.stats.errors(), s.stats.errorReplies(), dbs.lookupStats(), pubsubClients,
                pubsub.homedChannels(PubSubKind.CHANNEL), pubsub.homedChannels(PubSubKind.SHARD), pubsub.patternCount(),
                s.lastSaveSeconds, s.log() != null && s.log().failure() != null, s.netInputBytes(),
                s.netOutputBytes(), s.instant.opsPerSecond(), s.instant.inputKbps(), s.instant.outputKbps(),
                s.rejectedConnections);
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
