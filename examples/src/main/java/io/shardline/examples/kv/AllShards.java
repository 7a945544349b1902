package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import java.util.List;

/**
 * DBSIZE, FLUSHALL / FLUSHDB and KEYS: commands over the whole key space, run on every shard and merged
 * on the connection's shard (SCAN and INFO have classes of their own). Stateless.
 */
final class AllShards {
    private AllShards() {
    }

    static Future<byte[]> dbsize(KvConnection c, byte[][] argv) {
        int protocol = c.protocol;
        return EveryShard.call(c.shard(), () -> (long) local(c).keyspace().size()).map(sizes -> integer(protocol, sum(sizes)));
    }

    static Future<byte[]> keys(KvConnection c, byte[][] argv) {
        int protocol = c.protocol;
        return EveryShard.call(c.shard(), () -> local(c).keyspace().keys(argv[1])).map(lists -> {
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

    /** FLUSHALL and FLUSHDB [ASYNC | SYNC]: there is one database. */
    static Future<byte[]> flush(KvConnection c, byte[][] argv) {
        if (argv.length > 2 || (argv.length == 2 && !ConnectionCommands.lower(argv[1]).equals("async")
                && !ConnectionCommands.lower(argv[1]).equals("sync"))) {
            return Dispatcher.error(Errors.SYNTAX);
        }
        int protocol = c.protocol;
        return EveryShard.callAsync(c.shard(), () -> local(c).flush())
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
