package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.shard.Shard;
import io.shardline.shard.ShardHash;

/**
 * Decides where a request runs, in Redis' order of checks: unknown command, arity, authentication,
 * then the command itself on the connection, on the key's shard, or split over several shards.
 * Stateless; called on the connection's shard.
 */
final class Dispatcher {
    private Dispatcher() {
    }

    static Future<byte[]> dispatch(KvConnection c, byte[][] argv) {
        CommandSpec spec = CommandTable.lookup(argv[0]);
        if (spec == null) {
            c.server.rejectedCommands.increment();
            return error(Errors.unknownCommand(argv)); // Redis checks existence and arity before authentication
        }
        if (!spec.arityAccepts(argv.length) || (spec.route() == CommandSpec.Route.PAIRS && argv.length % 2 == 0)) {
            c.server.rejectedCommands.increment();
            return error(Errors.wrongArity(spec.name()));
        }
        if (!c.authenticated && !spec.name().equals("auth") && !spec.name().equals("hello") && !spec.name().equals("quit")) {
            c.server.rejectedCommands.increment();
            return error(Errors.NOAUTH);
        }
        return switch (spec.route()) {
            case CONNECTION -> Future.succeeded(ConnectionCommands.run(c, spec, argv));
            case KEY -> onKeyShard(c, argv);
            case KEYS, PAIRS -> MultiKey.run(c, spec, argv);
            case ALL -> AllShards.run(c, spec, argv);
        };
    }

    /** Runs a single-key command on the shard that owns argv[1]. */
    static Future<byte[]> onKeyShard(KvConnection c, byte[][] argv) {
        Shard here = c.shard();
        int target = shardOf(argv[1], here.count());
        int protocol = c.protocol;
        if (target == here.id()) {
            return c.server.shards().local().execute(argv, protocol);
        }
        return here.submitToAsync(target, () -> c.server.shards().local().execute(argv, protocol));
    }

    /** The shard of a key: CRC32C of its bytes mod the shard count, as {@link ShardHash} documents. */
    static int shardOf(byte[] key, int shards) {
        return ShardHash.shardOf(key, shards);
    }

    static Future<byte[]> error(String text) {
        return Future.succeeded(ReplyBuffer.errorBytes(text));
    }
}
