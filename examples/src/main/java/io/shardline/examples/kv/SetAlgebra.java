package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.examples.kv.CommandSpec.OnKeys;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.DataCommands;
import io.shardline.examples.kv.store.SetAlgebraCommands;
import io.shardline.examples.kv.store.SetAlgebraCommands.Op;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * SINTER, SUNION, SDIFF, their STOREs and SINTERCARD over keys on several shards: every source's
 * members are gathered from its shard (as SMEMBERS, in the order of the keys), combined here, and a
 * STORE's result is written on the destination's shard in one step there (logged as DEL and SADD).
 * Stateless; runs on the connection's shard.
 *
 * <p>Atomicity: {@link SameShard#run} runs the gather and the store under intent locks on every key
 * ({@link TxExec#locked}), so no other client writes a source in between. Cost: every source's members
 * cross the mesh once, after one lock hop per shard.
 */
final class SetAlgebra {
    private static final byte[] SMEMBERS = CrossShard.bytes("SMEMBERS");
    /** A STORE's write on the destination's shard. */
    private static final CommandSpec STORE_RESULT = new CommandSpec("sinterstore", -3, CommandSpec.WRITE, 1, 1, 1,
            new OnKeys(DataCommands.of(DataCommands::setAlgebra, SetAlgebraCommands::storeResult)));
    /** SINTERCARD as the keys' shard runs it. */
    private static final CommandSpec SINTERCARD = new CommandSpec("sintercard", -3, CommandSpec.READONLY, 0, 0, 0,
            new OnKeys(DataCommands.of(DataCommands::setAlgebra, SetAlgebraCommands::sintercard)));

    private SetAlgebra() {
    }

    /** The cross-shard form of the set command {@code name}, or null. */
    static SameShard.Across across(String name) {
        return switch (name) {
            case "sinter" -> (c, argv, owner) -> read(c, argv, owner, Op.INTER);
            case "sunion" -> (c, argv, owner) -> read(c, argv, owner, Op.UNION);
            case "sdiff" -> (c, argv, owner) -> read(c, argv, owner, Op.DIFF);
            case "sinterstore" -> (c, argv, owner) -> store(c, argv, owner, Op.INTER);
            case "sunionstore" -> (c, argv, owner) -> store(c, argv, owner, Op.UNION);
            case "sdiffstore" -> (c, argv, owner) -> store(c, argv, owner, Op.DIFF);
            default -> null;
        };
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit], a movablekeys command: checked, then routed. */
    static Future<byte[]> sintercard(KvConnection c, Argv argv) {
        RespWriter error = RespWriter.forReply(c.protocol);
        long[] keysAndLimit = SetAlgebraCommands.sintercardArgs(argv, error);
        if (keysAndLimit == null) {
            return Future.succeeded(error.toByteArray());
        }
        int keys = (int) keysAndLimit[0];
        int protocol = c.protocol;
        return SameShard.run(c, SINTERCARD, argv, 2, 1, keys, (conn, args, owner) -> gather(conn, args, 2, keys, owner, 0)
                .map(sets -> sets instanceof String e ? RespWriter.errorBytes(e)
                        : RespWriter.forReply(protocol).integer(combine(Op.INTER, sets, keysAndLimit[1]).size()).toByteArray()));
    }

    private static Future<byte[]> read(KvConnection c, Argv argv, int[] owner, Op op) {
        int protocol = c.protocol;
        return gather(c, argv, 1, argv.count() - 1, owner, 0).map(sets -> {
            if (sets instanceof String e) {
                return RespWriter.errorBytes(e);
            }
            List<byte[]> result = combine(op, sets, 0);
            RespWriter out = RespWriter.forReply(protocol);
            out.setHeader(result.size());
            for (byte[] m : result) {
                out.bulk(m);
            }
            return out.toByteArray();
        });
    }

    private static Future<byte[]> store(KvConnection c, Argv argv, int[] owner, Op op) {
        return gather(c, argv, 2, argv.count() - 2, owner, 1).flatMap(sets -> {
            if (sets instanceof String e) {
                return Dispatcher.error(e);
            }
            List<byte[]> result = combine(op, sets, 0);
            byte[][] write = new byte[2 + result.size()][];
            write[0] = argv.bytes(0);
            write[1] = argv.bytes(1);
            for (int i = 0; i < result.size(); i++) {
                write[2 + i] = result.get(i);
            }
            return SameShard.on(c, owner[0], STORE_RESULT, write);
        });
    }

    @SuppressWarnings("unchecked")
    private static List<byte[]> combine(Op op, Object sets, long limit) {
        return SetAlgebraCommands.combineGathered(op, (List<byte[][]>) sets, limit);
    }

    /**
     * The members of {@code n} keys from argument {@code first} (owner index from {@code ownerFrom}), in
     * key order: a {@code List<byte[][]>}, or the first error text (WRONGTYPE) as a String.
     */
    private static Future<Object> gather(KvConnection c, Argv argv, int first, int n, int[] owner, int ownerFrom) {
        List<Future<byte[]>> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            parts.add(SameShard.on(c, owner[ownerFrom + i], CommandTable.lookup("smembers"),
                    new byte[][] {SMEMBERS, argv.bytes(first + i)}, 2));
        }
        return Futures.all(parts).map(replies -> {
            List<byte[][]> sets = new ArrayList<>(n);
            for (byte[] r : replies) {
                if (r[0] == '-') {
                    return (Object) new String(r, 1, r.length - 3, StandardCharsets.UTF_8);
                }
                sets.add(members(r));
            }
            return (Object) sets;
        });
    }

    /** The bulks of a RESP2 array reply. */
    private static byte[][] members(byte[] reply) {
        int[] at = {1};
        int n = (int) number(reply, at);
        byte[][] members = new byte[n][];
        for (int i = 0; i < n; i++) {
            at[0]++; // '$'
            int len = (int) number(reply, at);
            members[i] = java.util.Arrays.copyOfRange(reply, at[0], at[0] + len);
            at[0] += len + 2;
        }
        return members;
    }

    /** The decimal at at[0] up to its CRLF, moving at[0] past it. */
    private static long number(byte[] b, int[] at) {
        long v = 0;
        boolean negative = b[at[0]] == '-';
        int i = negative ? at[0] + 1 : at[0];
        while (b[i] != '\r') {
            v = v * 10 + (b[i++] - '0');
        }
        at[0] = i + 2;
        return negative ? -v : v;
    }
}
