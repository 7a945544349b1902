package io.shardline.examples.kv;

import io.shardline.examples.kv.store.Notifier;
import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Hll;
import io.shardline.examples.kv.store.HllCommands;
import io.shardline.examples.kv.store.HllEstimator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * PFCOUNT of several keys and PFMERGE when their keys live on several shards: each key's value is
 * read on its shard, merged here as {@link HllCommands} merges them on one shard, and PFMERGE's
 * result is written on the destination's shard as the SET of its bytes (keeping its TTL). Under intent
 * locks on every key, as the other gathers ({@link SameShard#run}): atomic with respect to other clients.
 * Stateless; called on the connection's shard.
 */
final class HllAcross {
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEPTTL = "KEEPTTL".getBytes(StandardCharsets.US_ASCII);

    private HllAcross() {
    }

    static Future<byte[]> pfcount(KvConnection c, Argv argv, int[] owner) {
        int protocol = c.protocol;
        return Futures.all(reads(c, argv)).map(values -> {
            byte[] max = new byte[Hll.REGISTERS];
            String error = HllCommands.merge(values, max, null);
            RespWriter out = RespWriter.forReply(protocol);
            return (error != null ? out.error(error) : out.integer(HllEstimator.ofRegisters(max))).toByteArray();
        });
    }

    static Future<byte[]> pfmerge(KvConnection c, Argv argv, int[] owner) {
        int protocol = c.protocol;
        int db = c.db;
        byte[] dest = argv.bytes(1);
        return Futures.all(reads(c, argv)).flatMap(values -> {
            byte[] max = new byte[Hll.REGISTERS];
            boolean[] dense = new boolean[1];
            String error = HllCommands.merge(values, max, dense);
            if (error == null) {
                Hll target = HllCommands.merged(values.get(0), max, dense[0], HllCommands.SPARSE_MAX_BYTES);
                if (target != null) {
                    byte[][] write = {SET, dest, target.bytes(), KEEPTTL};
                    return GatherThenWrite.onKey(c, dest, () -> {
                        KvShard shard = GatherThenWrite.local(c);
                        Notifier events = shard.keyspace(db).notifier();
                        boolean existed = events.flags() != 0 && shard.keyspace(db).exists(dest);
                        Future<byte[]> set = KeyspaceEvents.quietly(shard, db,
                                () -> shard.execute(CommandTable.lookup(SET), write, protocol, db));
                        if (!existed) {
                            events.notify(Notifier.NEW, "new", dest); // PFMERGE's events, not its SET's
                        }
                        events.notify(Notifier.STRING, "pfadd", dest);
                        return set;
                    })
                            .map(reply -> GatherThenWrite.isError(reply) ? reply
                                    : RespWriter.forReply(protocol).simple("OK").toByteArray());
                }
                error = HllCommands.CORRUPT;
            }
            return Future.succeeded(RespWriter.forReply(protocol).error(error).toByteArray());
        });
    }

    private static List<Future<byte[]>> reads(KvConnection c, Argv argv) {
        List<Future<byte[]>> reads = new ArrayList<>(argv.count() - 1);
        for (int i = 1; i < argv.count(); i++) {
            reads.add(GatherThenWrite.readString(c, argv.bytes(i)));
        }
        return reads;
    }
}
