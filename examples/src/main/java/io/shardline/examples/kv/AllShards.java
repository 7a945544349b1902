package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.shard.Shard;
import java.util.List;

/**
 * DBSIZE, FLUSHALL / FLUSHDB, KEYS, SCAN and INFO: commands over the whole key space, run on every
 * shard (SCAN: on one shard per call) and merged on the connection's shard. Stateless.
 */
final class AllShards {
    private AllShards() {
    }

    static Future<byte[]> run(KvConnection c, CommandSpec spec, byte[][] argv) {
        Shard here = c.shard();
        int protocol = c.protocol;
        return switch (spec.name()) {
            case "dbsize" -> EveryShard.call(here, () -> (long) local(c).keyspace().size())
                    .map(sizes -> integer(protocol, sum(sizes)));
            case "flushall", "flushdb" -> flush(c, spec, argv);
            case "keys" -> EveryShard.call(here, () -> local(c).keyspace().keys(argv[1])).map(lists -> {
                ReplyBuffer out = new ReplyBuffer(protocol);
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
            case "scan" -> Scan.run(c, argv);
            case "info" -> Info.run(c, argv);
            default -> Dispatcher.error(Errors.unknownCommand(argv));
        };
    }

    private static Future<byte[]> flush(KvConnection c, CommandSpec spec, byte[][] argv) {
        if (argv.length > 2 || (argv.length == 2 && !ConnectionCommands.lower(argv[1]).equals("async")
                && !ConnectionCommands.lower(argv[1]).equals("sync"))) {
            return Dispatcher.error(Errors.SYNTAX);
        }
        int protocol = c.protocol;
        return EveryShard.callAsync(c.shard(), () -> local(c).flush()).map(v -> {
            ReplyBuffer out = new ReplyBuffer(protocol);
            out.simple("OK");
            return out.toByteArray();
        });
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
        ReplyBuffer out = new ReplyBuffer(protocol);
        out.integer(value);
        return out.toByteArray();
    }
}
