package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import java.time.Instant;
import java.util.List;

/**
 * TIME, LASTSAVE, SAVE, BGSAVE and BGREWRITEAOF. A save is a snapshot of every shard's keyspace (each truncates its
 * log after it), taken on each shard's own thread; LASTSAVE is the latest any shard finished.
 * Stateless; called on the connection's shard.
 */
final class ServerCommands {
    private ServerCommands() {
    }

    /** TIME: seconds and microseconds of the wall clock, as two bulk strings. */
    static void time(KvConnection c, Argv argv, RespWriter out) {
        Instant now = Instant.now();
        out.arrayHeader(2);
        out.bulk(Long.toString(now.getEpochSecond()));
        out.bulk(Long.toString(now.getNano() / 1000));
    }

    static Future<byte[]> lastsave(KvConnection c, Argv argv) {
        KvServer server = c.server;
        return EveryShard.call(c.shard(), () -> server.shards().local().lastSaveSeconds)
                .map(times -> RespWriter.forReply(2).integer(times.stream().mapToLong(Long::longValue).max().orElse(0)).toByteArray());
    }

    /** SAVE: replies once every shard's snapshot is on disk. */
    static Future<byte[]> save(KvConnection c, Argv argv) {
        return snapshotAll(c).map(done -> RespWriter.forReply(2).simple("OK").toByteArray());
    }

    /**
     * BGSAVE [SCHEDULE]: starts the snapshots and replies at once, as Redis replies once its child is
     * forked; LASTSAVE moves when they are done.
     */
    static Future<byte[]> bgsave(KvConnection c, Argv argv) {
        if (argv.count() > 2 || (argv.count() == 2 && !argv.equalsIgnoreCase(1, "schedule"))) {
            return Dispatcher.error(io.shardline.examples.kv.store.Errors.SYNTAX);
        }
        snapshotAll(c);
        return Future.succeeded(RespWriter.forReply(2).simple("Background saving started").toByteArray());
    }

    /**
     * BGREWRITEAOF: compacts every shard's log the way this server compacts it (a snapshot, then the
     * log truncated), replying at once as Redis does once its rewrite child is forked. LASTSAVE stays.
     */
    static Future<byte[]> bgrewriteaof(KvConnection c, Argv argv) {
        KvServer server = c.server;
        EveryShard.callAsync(c.shard(), () -> server.shards().local().compact());
        return Future.succeeded(RespWriter.forReply(2).simple("Background append only file rewriting started").toByteArray());
    }

    /** Each shard snapshots its keyspace (when it keeps a data directory) and notes the time. */
    private static Future<List<Void>> snapshotAll(KvConnection c) {
        KvServer server = c.server;
        return EveryShard.callAsync(c.shard(), () -> {
            KvShard s = server.shards().local();
            return s.compact().map(n -> {
                s.lastSaveSeconds = System.currentTimeMillis() / 1000;
                return (Void) null;
            });
        });
    }
}
