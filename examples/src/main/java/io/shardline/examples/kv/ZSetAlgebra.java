package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.examples.kv.CommandSpec.OnKeys;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.DataCommand;
import io.shardline.examples.kv.store.DataCommands;
import io.shardline.examples.kv.store.MpopArgs;
import io.shardline.examples.kv.store.ZSetAlgebraArgs;
import io.shardline.examples.kv.store.ZSetAlgebraArgs.Op;
import io.shardline.examples.kv.store.ZSetAlgebraCommands;
import io.shardline.examples.kv.store.ZSetEditCommands;
import io.shardline.examples.kv.store.ZSetRangeCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sorted-set commands whose keys follow a {@code numkeys} argument (ZUNION, ZINTER, ZDIFF, their
 * STOREs, ZINTERCARD, ZMPOP): the key count is checked here to find the keys; on one shard the command
 * runs there whole, else each input is gathered from its shard (every member and score, as
 * {@link ZSetAlgebraCommands#source} reads it), combined here, and a STORE's result written on the
 * destination's shard in one step (logged there as DEL and ZADD), as {@link SetAlgebra} does for sets.
 * ZMPOP across shards tries each key on its shard in turn. Stateless; runs on the connection's shard.
 *
 * <p>Atomicity: the gather and the store run under intent locks on every input and the destination
 * ({@link TxExec#locked}), so no other client writes one in between. Cost: every input's members cross
 * the mesh once, after one lock hop per shard.
 */
final class ZSetAlgebra {
    private static final byte[] SOURCE = CrossShard.bytes("zsetsource");
    private static final CommandSpec SOURCE_SPEC = internal("zsetsource", CommandSpec.READONLY, ZSetAlgebraCommands::source);
    private static final CommandSpec STORE_RESULT = internal("zunionstore", CommandSpec.WRITE, ZSetAlgebraCommands::storeResult);
    /** Each command whole, as the shard of all its keys runs it. */
    private static final CommandSpec ZUNION = whole("zunion", CommandSpec.READONLY, ZSetAlgebraCommands::zunion);
    private static final CommandSpec ZINTER = whole("zinter", CommandSpec.READONLY, ZSetAlgebraCommands::zinter);
    private static final CommandSpec ZDIFF = whole("zdiff", CommandSpec.READONLY, ZSetAlgebraCommands::zdiff);
    private static final CommandSpec ZINTERCARD = whole("zintercard", CommandSpec.READONLY, ZSetAlgebraCommands::zintercard);
    private static final CommandSpec ZUNIONSTORE = whole("zunionstore", CommandSpec.WRITE, ZSetAlgebraCommands::zunionstore);
    private static final CommandSpec ZINTERSTORE = whole("zinterstore", CommandSpec.WRITE, ZSetAlgebraCommands::zinterstore);
    private static final CommandSpec ZDIFFSTORE = whole("zdiffstore", CommandSpec.WRITE, ZSetAlgebraCommands::zdiffstore);
    private static final CommandSpec ZMPOP = new CommandSpec("zmpop", -4, CommandSpec.WRITE, 0, 0, 0,
            new OnKeys(DataCommands.of(DataCommands::zsetEdits, ZSetEditCommands::zmpop)));

    private static final CommandSpec RANGE_SOURCE = new CommandSpec("zrangestore", -5, CommandSpec.READONLY, 2, 2, 1,
            new OnKeys(DataCommands.of(DataCommands::zsetRanges, ZSetRangeCommands::zrangestoreSource)));

    private ZSetAlgebra() {
    }

    /**
     * ZRANGESTORE with its source on another shard than its destination: the range is read on the
     * source's shard (every check there, in Redis' order), then written on the destination's.
     */
    static Future<byte[]> zrangestore(KvConnection c, Argv argv, int[] owner) {
        return SameShard.on(c, owner[1], RANGE_SOURCE, argv, 2).flatMap(reply -> {
            if (reply[0] == '-') {
                return Future.succeeded(reply); // an error is the same in both protocols
            }
            byte[][] flat = bulks(reply);
            byte[][] write = new byte[2 + flat.length][];
            write[0] = argv.bytes(0);
            write[1] = argv.bytes(1);
            for (int i = 0; i < flat.length / 2; i++) {
                write[2 + 2 * i] = flat[2 * i + 1];
                write[3 + 2 * i] = flat[2 * i];
            }
            return SameShard.on(c, owner[0], STORE_RESULT, write);
        });
    }

    private static CommandSpec whole(String name, int flags, DataCommand<ZSetAlgebraCommands> run) {
        return new CommandSpec(name, -3, flags, 0, 0, 0, new OnKeys(DataCommands.of(DataCommands::zsetAlgebra, run)));
    }

    private static CommandSpec internal(String name, int flags, DataCommand<ZSetAlgebraCommands> run) {
        return new CommandSpec(name, -2, flags, 1, 1, 1, new OnKeys(DataCommands.of(DataCommands::zsetAlgebra, run)));
    }

    static Future<byte[]> zunion(KvConnection c, Argv argv) {
        return run(c, argv, "zunion", Op.UNION, false, ZUNION);
    }

    static Future<byte[]> zinter(KvConnection c, Argv argv) {
        return run(c, argv, "zinter", Op.INTER, false, ZINTER);
    }

    static Future<byte[]> zdiff(KvConnection c, Argv argv) {
        return run(c, argv, "zdiff", Op.DIFF, false, ZDIFF);
    }

    static Future<byte[]> zintercard(KvConnection c, Argv argv) {
        return run(c, argv, "zintercard", Op.CARD, false, ZINTERCARD);
    }

    static Future<byte[]> zunionstore(KvConnection c, Argv argv) {
        return run(c, argv, "zunionstore", Op.UNION, true, ZUNIONSTORE);
    }

    static Future<byte[]> zinterstore(KvConnection c, Argv argv) {
        return run(c, argv, "zinterstore", Op.INTER, true, ZINTERSTORE);
    }

    static Future<byte[]> zdiffstore(KvConnection c, Argv argv) {
        return run(c, argv, "zdiffstore", Op.DIFF, true, ZDIFFSTORE);
    }

    private static Future<byte[]> run(KvConnection c, Argv argv, String name, Op op, boolean store, CommandSpec onShard) {
        int at = store ? 2 : 1;
        RespWriter error = RespWriter.forReply(c.protocol);
        int keys = ZSetAlgebraArgs.keyCount(argv, at, name, error);
        if (keys < 0) {
            return Future.succeeded(error.toByteArray());
        }
        // a STORE's destination routes with its inputs: when all share one shard the command runs whole there
        int[] owner = new int[keys + (store ? 1 : 0)];
        byte[][] named = new byte[owner.length][];
        boolean one = true;
        for (int k = 0; k < owner.length; k++) {
            byte[] key = argv.bytes(store && k == 0 ? 1 : at + 1 + (store ? k - 1 : k));
            named[k] = key;
            owner[k] = c.server.slots().shardOf(key);
            one &= owner[k] == owner[0];
        }
        if (one) {
            return SameShard.onWhenFree(c, owner[0], onShard, argv, named);
        }
        int protocol = c.protocol;
        int from = store ? 1 : 0;
        // issue 17 point 9: gathered and written under intent locks on every key, as a transaction
        Future<byte[]> reply = TxExec.lockedUnlessInExec(c, named, owner, () -> gather(c, argv, at + 1, keys, owner, from).flatMap(sources -> {
            if (sources instanceof String e) {
                return Dispatcher.error(e);
            }
            RespWriter out = RespWriter.forReply(protocol);
            ZSetAlgebraArgs a = ZSetAlgebraArgs.options(argv, at, keys, op, store, out);
            if (a == null) {
                return Future.succeeded(out.toByteArray());
            }
            ZSetAlgebraCommands.Result r = ZSetAlgebraCommands.combineGathered(a, (Object[]) sources);
            if (!store) {
                ZSetAlgebraCommands.reply(a, r, out);
                return Future.succeeded(out.toByteArray());
            }
            byte[][] write = new byte[2 + 2 * r.n()][];
            write[0] = argv.bytes(0);
            write[1] = argv.bytes(1);
            for (int i = 0; i < r.n(); i++) {
                write[2 + 2 * i] = scoreText(r.scores()[i]);
                write[3 + 2 * i] = r.members()[i];
            }
            return SameShard.on(c, owner[0], STORE_RESULT, write);
        }));
        if (!reply.isDone()) {
            c.barrier = reply; // later requests of the connection wait for the chain's last step
        }
        return reply;
    }

    private static byte[] scoreText(double s) {
        return (Double.isInfinite(s) ? (s > 0 ? "inf" : "-inf") : Double.toString(s)).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The inputs of {@code n} keys from argument {@code first} (owner index from {@code ownerFrom}), in
     * key order: an {@code Object[]} of sources, or the first error text (WRONGTYPE) as a String.
     */
    private static Future<Object> gather(KvConnection c, Argv argv, int first, int n, int[] owner, int ownerFrom) {
        List<Future<byte[]>> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            parts.add(SameShard.on(c, owner[ownerFrom + i], SOURCE_SPEC, new byte[][] {SOURCE, argv.bytes(first + i)}, 2));
        }
        return Futures.all(parts).map(replies -> {
            Object[] sources = new Object[n];
            int i = 0;
            for (byte[] r : replies) {
                if (r[0] == '-') {
                    return (Object) new String(r, 1, r.length - 3, StandardCharsets.UTF_8);
                }
                byte[][] flat = bulks(r);
                byte[][] members = new byte[flat.length / 2][];
                double[] scores = new double[flat.length / 2];
                for (int j = 0; j < members.length; j++) {
                    members[j] = flat[2 * j];
                    scores[j] = parseScore(flat[2 * j + 1]);
                }
                sources[i++] = ZSetAlgebraCommands.gathered(members, scores);
            }
            return (Object) sources;
        });
    }

    /** A score as {@link #scoreText} and {@code ZSetStore} spell it. */
    private static double parseScore(byte[] b) {
        String s = new String(b, StandardCharsets.US_ASCII);
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /** The bulks of a RESP2 array reply. */
    static byte[][] bulks(byte[] reply) {
        int[] at = {1};
        int n = (int) number(reply, at);
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            at[0]++; // '$'
            int len = (int) number(reply, at);
            out[i] = Arrays.copyOfRange(reply, at[0], at[0] + len);
            at[0] += len + 2;
        }
        return out;
    }

    /** The decimal at at[0] up to its CRLF, moving at[0] past it. */
    private static long number(byte[] b, int[] at) {
        long v = 0;
        int i = at[0];
        while (b[i] != '\r') {
            v = v * 10 + (b[i++] - '0');
        }
        at[0] = i + 2;
        return v;
    }

    /** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: checked, then routed; across shards key by key. */
    static Future<byte[]> zmpop(KvConnection c, Argv argv) {
        RespWriter error = RespWriter.forReply(c.protocol);
        return MovableKeys.mpop(c, argv, ZMPOP, MpopArgs.parseZ(argv, error), error);
    }
}
