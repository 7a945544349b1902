package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.CommandSpec.OnKeys;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.store.DataCommand;
import io.shardline.examples.kv.store.DataCommands;
import io.shardline.examples.kv.store.GeoSearchCommands;
import io.shardline.examples.kv.store.ZSetAlgebraCommands;
import java.nio.charset.StandardCharsets;

/**
 * The geo searches that may store (GEORADIUS and GEORADIUSBYMEMBER with STORE or STOREDIST,
 * GEOSEARCHSTORE): the destination found, the command runs whole on its keys' shard when they share
 * one; otherwise the search runs on the source's shard (every check there, in Redis's order) and its
 * result is written on the destination's, as ZRANGESTORE does across shards. Stateless; runs on the
 * connection's shard.
 *
 * <p>Atomicity: {@link SameShard#run} holds intent locks on the source and the destination for the
 * two hops, so no other client sees the destination half written or the source change between them.
 */
final class GeoAcross {
    private static final CommandSpec GEORADIUS = keyed("georadius", -6, CommandSpec.WRITE, 1, GeoSearchCommands::georadius);
    private static final CommandSpec GEORADIUSBYMEMBER =
            keyed("georadiusbymember", -5, CommandSpec.WRITE, 1, GeoSearchCommands::georadiusbymember);
    private static final CommandSpec GEORADIUS_GATHER =
            keyed("georadius", -6, CommandSpec.READONLY, 1, GeoSearchCommands::georadiusGather);
    private static final CommandSpec GEORADIUSBYMEMBER_GATHER =
            keyed("georadiusbymember", -5, CommandSpec.READONLY, 1, GeoSearchCommands::georadiusbymemberGather);
    private static final CommandSpec GEOSEARCHSTORE_GATHER =
            keyed("geosearchstore", -8, CommandSpec.READONLY, 2, GeoSearchCommands::geosearchstoreGather);
    /** The destination's write: {@code event dst score member ...}, logged there as DEL and ZADD. */
    private static final CommandSpec STORE_RESULT = new CommandSpec("georadiusstore", -2, CommandSpec.WRITE, 1, 1, 1,
            new OnKeys(DataCommands.of(DataCommands::zsetAlgebra, ZSetAlgebraCommands::storeResult)));

    private GeoAcross() {
    }

    private static CommandSpec keyed(String name, int arity, int flags, int key, DataCommand<GeoSearchCommands> run) {
        return new CommandSpec(name, arity, flags, key, key, 1, new OnKeys(DataCommands.of(DataCommands::geoSearches, run)));
    }

    /** GEORADIUS key longitude latitude radius unit [options] [STORE key | STOREDIST key]. */
    static Future<byte[]> georadius(KvConnection c, Argv argv) {
        return radius(c, argv, 6, GEORADIUS, GEORADIUS_GATHER);
    }

    /** GEORADIUSBYMEMBER key member radius unit [options] [STORE key | STOREDIST key]. */
    static Future<byte[]> georadiusbymember(KvConnection c, Argv argv) {
        return radius(c, argv, 5, GEORADIUSBYMEMBER, GEORADIUSBYMEMBER_GATHER);
    }

    /** GEOSEARCHSTORE with its destination on another shard than its source. */
    static Future<byte[]> geosearchstore(KvConnection c, Argv argv, int[] owner) {
        return storeAcross(c, argv, owner[1], GEOSEARCHSTORE_GATHER, owner[0], argv.bytes(1), "geosearchstore");
    }

    private static Future<byte[]> radius(KvConnection c, Argv argv, int base, CommandSpec whole, CommandSpec gather) {
        int store = storeKeyAt(argv, base);
        if (store < 0) {
            return SameShard.run(c, whole, argv, 1, 1, 1, null);
        }
        // the source at 1 and the destination at `store`: two keys, `store - 1` apart
        return SameShard.run(c, whole, argv, 1, store - 1, 2,
                (conn, a, owner) -> storeAcross(conn, a, owner[0], gather, owner[1], a.bytes(store), "georadiusstore"));
    }

    /** Where the destination key is, as georadiusGeneric's option loop reads it (the last STORE wins), or -1. */
    static int storeKeyAt(Argv argv, int base) {
        int remaining = argv.count() - base;
        int key = -1;
        for (int i = 0; i < remaining; i++) {
            int at = base + i;
            if (argv.equalsIgnoreCase(at, "count") && i + 1 < remaining) {
                i++;
            } else if ((argv.equalsIgnoreCase(at, "store") || argv.equalsIgnoreCase(at, "storedist")) && i + 1 < remaining) {
                key = at + 1;
                i++;
            }
        }
        return key;
    }

    private static Future<byte[]> storeAcross(KvConnection c, Argv argv, int srcShard, CommandSpec gather, int dstShard,
            byte[] dst, String event) {
        return SameShard.on(c, srcShard, gather, argv, 2).flatMap(reply -> {
            if (reply[0] == '-') {
                return Future.succeeded(reply); // an error is the same in both protocols
            }
            byte[][] flat = ZSetAlgebra.bulks(reply);
            byte[][] write = new byte[2 + flat.length][];
            write[0] = event.getBytes(StandardCharsets.US_ASCII); // the destination's keyspace event
            write[1] = dst;
            for (int i = 0; i < flat.length / 2; i++) {
                write[2 + 2 * i] = flat[2 * i + 1];
                write[3 + 2 * i] = flat[2 * i];
            }
            return SameShard.on(c, dstShard, STORE_RESULT, write);
        });
    }
}
