package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.CommandSpec.OnConnection;
import io.shardline.examples.kv.CommandSpec.OnKeys;
import io.shardline.examples.kv.CommandSpec.OnServer;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import io.shardline.shard.Shard;

/**
 * Looks a request up in the {@link CommandTable} once and runs it, in Redis' order of checks: unknown
 * command, arity, authentication, then the command itself on the connection, on the key's shard, or
 * split over several shards. Stateless; called on the connection's shard.
 *
 * <p>Given the connection's outbound writer ({@code direct}, when nothing is pending ahead of the
 * request), a reply known at once is encoded straight into it and null is returned: the local path
 * allocates nothing. Otherwise the reply is a future of its bytes. The arguments are read where they
 * arrived; they are copied once for a request that leaves the shard or outlives this call (multi-key
 * and server-wide commands, which gather over the mesh).
 *
 * <p>The single-key requests of one read for one other shard are gathered by the connection into one
 * {@link Forwarded} run, one hop for all; anything else that could reach another shard first sends the
 * runs gathered so far, so each shard sees a connection's requests in the order they were made.
 */
final class Dispatcher {
    private Dispatcher() {
    }

    /** Runs {@code argv}; null when the reply is already in {@code direct} (never when it is null). */
    static Future<byte[]> dispatch(KvConnection c, Argv argv, RespWriter direct) {
        CommandSpec spec = CommandTable.lookup(argv);
        if (spec == null) {
            c.server.shards().local().rejectedCommands++;
            return error(direct, Errors.unknownCommand(argv)); // Redis checks existence and arity before authentication
        }
        if (!spec.arityAccepts(argv.count())) {
            c.server.shards().local().rejectedCommands++;
            return error(direct, Errors.wrongArity(spec.name()));
        }
        if (!c.authenticated && !spec.has(CommandSpec.NO_AUTH)) {
            c.server.shards().local().rejectedCommands++;
            return error(direct, Errors.NOAUTH);
        }
        if (c.subscribedResp2() && !PubSubCommands.allowedWhenSubscribed(spec)) {
            c.server.shards().local().rejectedCommands++;
            return error(direct, PubSubCommands.notAllowed(spec, argv));
        }
        if (spec.handler() instanceof OnKeys && !spec.multiKey()) {
            return onKeyShard(c, spec, argv, direct);
        }
        c.sendForwarded(); // what this request sends through the mesh goes after the run gathered so far
        return switch (spec.handler()) {
            case OnConnection h -> {
                if (direct != null) {
                    h.run(c, argv, direct);
                    yield null;
                }
                RespWriter out = RespWriter.forReply(c.protocol);
                h.run(c, argv, out);
                yield Future.succeeded(out.toByteArray());
            }
            case OnKeys keys -> MultiKey.splits(spec) ? MultiKey.run(c, spec, argv.copy()) : SameShard.run(c, spec, argv.copy());
            case OnServer h -> h.run(c, argv.copy());
        };
    }

    /** Runs a single-key command on the shard that owns its key's hash slot. */
    static Future<byte[]> onKeyShard(KvConnection c, CommandSpec spec, Argv argv, RespWriter direct) {
        Shard here = c.shard();
        int firstKey = spec.firstKey();
        // XGROUP HELP and XINFO HELP name no key: they run where they are
        int target = argv.count() > firstKey
                ? c.server.slots().shardOf(argv.array(firstKey), argv.offset(firstKey), argv.length(firstKey)) : here.id();
        if (target == here.id()) {
            KvShard local = c.server.shards().local();
            if (direct == null) {
                return local.execute(spec, argv, c.protocol, c.db);
            }
            direct.acceptSlices(!c.inExec); // run at once and alone: a long reply may go out in slices (KvConnection)
            try {
                return local.executeInto(spec, argv, direct, c.db);
            } finally {
                direct.acceptSlices(false);
            }
        }
        return c.forward(target, spec, argv); // sent with the requests after it for that shard, as one message
    }

    static Future<byte[]> error(String text) {
        return Future.succeeded(RespWriter.errorBytes(text));
    }

    private static Future<byte[]> error(RespWriter direct, String text) {
        if (direct != null) {
            direct.error(text);
            return null;
        }
        return error(text);
    }
}
