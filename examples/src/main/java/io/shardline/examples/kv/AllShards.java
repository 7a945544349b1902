package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.core.Future;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import java.util.List;

/**
 * DBSIZE, FLUSHALL / FLUSHDB, KEYS and RANDOMKEY: commands over the whole key space of the connection's
 * database (FLUSHALL: of every database), run on every shard and merged on the connection's shard (SCAN
 * and INFO have classes of their own). Stateless.
 */
final class AllShards {
    private AllShards() {
    }

    static Future<byte[]> dbsize(KvConnection c, Argv argv) {
        int protocol = c.protocol;
        int db = c.db;
        return EveryShard.node(c, () -> (long) local(c).keyspace(db).size()).map(sizes -> integer(protocol, sum(sizes)));
    }

    static Future<byte[]> keys(KvConnection c, Argv argv) {
        int protocol = c.protocol;
        int db = c.db;
        return EveryShard.node(c, () -> local(c).keyspace(db).keys(argv.bytes(1))).map(lists -> {
            RespWriter out = RespWriter.forReply(protocol);
            int total = 0;
            for (List<byte[]> l : lists) {
                total += l.size();
            }
            out.arrayHeader(total);
            for (List<byte[]> l : lists) {
                for (byte[] k : l) {
                    out.bulk(k);
                }
            }
            return out.toByteArray();
        });
    }

    /**
     * RANDOMKEY: each shard offers a random key and its key count; one offer is taken with odds
     * proportional to the counts, so every key has about the same chance whatever shard holds it.
     */
    static Future<byte[]> randomkey(KvConnection c, Argv argv) {
        int protocol = c.protocol;
        int db = c.db;
        return EveryShard.node(c, () -> {
            io.shardline.examples.kv.store.Keyspace ks = local(c).keyspace(db);
            return new Object[] {(long) ks.size(), ks.randomKey()};
        }).map(offers -> {
            long total = 0;
            for (Object[] o : offers) {
                total += o[1] == null ? 0 : (long) o[0];
            }
            RespWriter out = RespWriter.forReply(protocol);
            if (total == 0) {
                return out.nullBulk().toByteArray();
            }
            long pick = java.util.concurrent.ThreadLocalRandom.current().nextLong(total);
            for (Object[] o : offers) {
                if (o[1] == null) {
                    continue;
                }
                pick -= (long) o[0];
                if (pick < 0) {
                    out.bulk((byte[]) o[1]);
                    break;
                }
            }
            return out.toByteArray();
        });
    }

    /** FLUSHALL (every database) and FLUSHDB (the connection's) [ASYNC | SYNC]. */
    static Future<byte[]> flush(KvConnection c, Argv argv) {
        if (argv.count() > 2 || (argv.count() == 2 && !ConnectionCommands.lower(argv.bytes(1)).equals("async")
                && !ConnectionCommands.lower(argv.bytes(1)).equals("sync"))) {
            return Dispatcher.error(Errors.SYNTAX);
        }
        int protocol = c.protocol;
        int db = c.db;
        boolean all = ConnectionCommands.lower(argv.bytes(0)).equals("flushall");
        return EveryShard.nodeAsync(c, () -> all ? local(c).flush() : local(c).flushDb(db))
                .map(v -> RespWriter.forReply(protocol).simple("OK").toByteArray());
    }

    static KvShard local(KvConnection c) {
        return c.server.shards().local();
    }

    static long sum(List<Long> values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }

    static byte[] integer(int protocol, long value) {
        return RespWriter.forReply(protocol).integer(value).toByteArray();
    }
}
