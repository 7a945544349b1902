package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.CommandSpec.OnConnection;
import io.shardline.examples.kv.CommandSpec.OnKeys;
import io.shardline.examples.kv.CommandSpec.OnServer;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import io.shardline.shard.Shard;

/**
 * Looks a request up in the {@link CommandTable} once and runs it, in Redis' order of checks: unknown
 * command, arity, authentication, then the command itself on the connection, on the key's shard, or
 * split over several shards. Stateless; called on the connection's shard.
 */
final class Dispatcher {
    private Dispatcher() {
    }

    static Future<byte[]> dispatch(KvConnection c, byte[][] argv) {
        CommandSpec spec = CommandTable.lookup(argv[0]);
        if (spec == null) {
            c.server.shards().local().rejectedCommands++;
            return error(Errors.unknownCommand(argv)); // Redis checks existence and arity before authentication
        }
        if (!spec.arityAccepts(argv.length)) {
            c.server.shards().local().rejectedCommands++;
            return error(Errors.wrongArity(spec.name()));
        }
        if (!c.authenticated && !spec.has(CommandSpec.NO_AUTH)) {
            c.server.shards().local().rejectedCommands++;
            return error(Errors.NOAUTH);
        }
        return switch (spec.handler()) {
            case OnConnection h -> {
                RespWriter out = RespWriter.forReply(c.protocol);
                h.run(c, argv, out);
                yield Future.succeeded(out.toByteArray());
            }
            case OnKeys keys -> !spec.multiKey() ? onKeyShard(c, spec, argv)
                    : MultiKey.splits(spec) ? MultiKey.run(c, spec, argv) : SameShard.run(c, spec, argv);
            case OnServer h -> h.run(c, argv);
        };
    }

    /** Runs a single-key command on the shard that owns its key's hash slot. */
    static Future<byte[]> onKeyShard(KvConnection c, CommandSpec spec, byte[][] argv) {
        Shard here = c.shard();
        // XGROUP HELP and XINFO HELP name no key: run them where they are
        int target = argv.length > spec.firstKey() ? c.server.slots().shardOf(argv[spec.firstKey()]) : here.id();
        int protocol = c.protocol;
        if (target == here.id()) {
            return c.server.shards().local().execute(spec, argv, protocol);
        }
        return here.submitToAsync(target, () -> c.server.shards().local().execute(spec, argv, protocol));
    }

    static Future<byte[]> error(String text) {
        return Future.succeeded(RespWriter.errorBytes(text));
    }
}
