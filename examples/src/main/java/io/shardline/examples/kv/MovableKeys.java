package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.core.Future;
import io.shardline.examples.kv.CommandSpec.OnKeys;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.DataCommands;
import io.shardline.examples.kv.store.ListCommands;
import io.shardline.examples.kv.store.MpopArgs;
import java.util.Arrays;

/**
 * Commands whose keys follow a {@code numkeys} argument (Redis' movablekeys: LMPOP), so the table's
 * first/last/step cannot place them: the arguments are checked here to find the keys, then the
 * command runs on their shard. Stateless; called on the connection's shard.
 */
final class MovableKeys {
    /** LMPOP as the keys' shard runs it. */
    private static final CommandSpec LMPOP = new CommandSpec("lmpop", -4, CommandSpec.WRITE, 0, 0, 0,
            new OnKeys(DataCommands.of(DataCommands::lists, ListCommands::lmpop)));

    private MovableKeys() {
    }

    static Future<byte[]> lmpop(KvConnection c, Argv argv) {
        RespWriter error = RespWriter.forReply(c.protocol);
        return mpop(c, argv, LMPOP, MpopArgs.parse(argv, error), error);
    }

    /**
     * LMPOP or ZMPOP ({@code onShard}, its arguments {@code a} already parsed, or null after an error
     * written to {@code error}): on the keys' shard if they share one, else key by key.
     */
    static Future<byte[]> mpop(KvConnection c, Argv argv, CommandSpec onShard, MpopArgs a, RespWriter error) {
        if (a == null) {
            return Future.succeeded(error.toByteArray());
        }
        return SameShard.run(c, onShard, argv, 2, 1, a.keys(), (conn, args, owner) -> mpopFrom(conn, args, owner, onShard, a, 0));
    }

    /**
     * Keys on several shards: each key in turn, on its shard, as a one-key pop, until one pops; under
     * intent locks on every key ({@link SameShard#run}), so no key changes between the steps.
     */
    private static Future<byte[]> mpopFrom(KvConnection c, Argv argv, int[] owner, CommandSpec onShard, MpopArgs a, int k) {
        int where = 2 + a.keys();
        byte[][] one = new byte[3 + argv.count() - where][];
        one[0] = argv.bytes(0);
        one[1] = new byte[] {'1'};
        one[2] = argv.bytes(2 + k);
        for (int i = where; i < argv.count(); i++) {
            one[3 + i - where] = argv.bytes(i);
        }
        return SameShard.on(c, owner[k], onShard, one).flatMap(reply -> k + 1 < a.keys() && isNullArray(reply)
                ? mpopFrom(c, argv, owner, onShard, a, k + 1) : Future.succeeded(reply));
    }

    private static boolean isNullArray(byte[] reply) {
        return Arrays.equals(reply, "*-1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                || Arrays.equals(reply, "_\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
