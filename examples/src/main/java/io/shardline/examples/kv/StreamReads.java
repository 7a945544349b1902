package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.CommandSpec.OnKeys;
import io.shardline.examples.kv.store.DataCommands;
import io.shardline.examples.kv.store.Errors;
import io.shardline.examples.kv.store.StreamReadCommands;
import io.shardline.shard.Shard;

/**
 * XREAD and XREADGROUP as the connection's shard places them: their keys follow STREAMS (Redis'
 * movablekeys), so they are found here, and the request runs on their shard through its
 * {@link KeyWaiters}, which keeps a BLOCK request waiting there. Keys on several shards are refused
 * with CROSSSLOT (Redis Cluster's answer); a request whose keys cannot be found is run here for its
 * error. Stateless; called on the connection's shard.
 */
final class StreamReads {
    static final CommandSpec XREAD = new CommandSpec("xread", -4, CommandSpec.READONLY, 0, 0, 0,
            new OnKeys(DataCommands.of(DataCommands::streamReads, StreamReadCommands::xread)));
    static final CommandSpec XREADGROUP = new CommandSpec("xreadgroup", -7, CommandSpec.WRITE, 0, 0, 0,
            new OnKeys(DataCommands.of(DataCommands::streamReads, StreamReadCommands::xreadgroup)));

    private StreamReads() {
    }

    static Future<byte[]> xread(KvConnection c, byte[][] argv) {
        return run(c, argv, XREAD);
    }

    static Future<byte[]> xreadgroup(KvConnection c, byte[][] argv) {
        return run(c, argv, XREADGROUP);
    }

    private static Future<byte[]> run(KvConnection c, byte[][] argv, CommandSpec spec) {
        Shard here = c.shard();
        int target = here.id();
        int streams = streamsArg(argv);
        if (streams > 0) {
            int n = (argv.length - streams) / 2;
            for (int k = 0; k < n; k++) {
                int owner = c.server.slots().shardOf(argv[streams + k]);
                if (k == 0) {
                    target = owner;
                } else if (owner != target) {
                    return Dispatcher.error(Errors.CROSSSLOT);
                }
            }
        }
        int protocol = c.protocol;
        Future<byte[]> reply = target == here.id() ? c.server.shards().local().waiters().run(spec, argv, protocol)
                : here.submitToAsync(target, () -> c.server.shards().local().waiters().run(spec, argv, protocol));
        if (!reply.isDone()) {
            c.barrier = reply; // a blocked client sends nothing more until it is answered, as in Redis
        }
        return reply;
    }

    /** Where the keys start (after STREAMS, options skipped as xreadCommand reads them), or 0 if unbalanced or missing. */
    private static int streamsArg(byte[][] argv) {
        for (int i = 1; i < argv.length; i++) {
            int more = argv.length - i - 1;
            String o = new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            if ((o.equals("block") || o.equals("count")) && more > 0) {
                i++;
            } else if (o.equals("group") && more >= 2) {
                i += 2;
            } else if (o.equals("streams") && more > 0) {
                return (argv.length - i - 1) % 2 == 0 ? i + 1 : 0;
            } else if (!o.equals("noack")) {
                return 0;
            }
        }
        return 0;
    }
}
