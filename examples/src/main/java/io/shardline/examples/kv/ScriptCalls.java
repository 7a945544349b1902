package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.CommandSpec.OnConnection;
import io.shardline.examples.kv.CommandSpec.OnKeys;
import io.shardline.examples.kv.CommandSpec.OnServer;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import java.util.Set;

/**
 * Runs a script's {@code redis.call} on the server, after Redis' checks for commands from scripts
 * (scriptCall in Redis' script.c): unknown, wrong arity, not allowed in scripts, a write from a
 * read-only script, and in cluster mode a key of another slot or node. Then the command runs as inside
 * EXEC's general path: on its key's shard through the mesh, without the intent-lock check (the run holds
 * its declared keys). Stateless; called on the connection's shard.
 */
final class ScriptCalls {
    /** Commands Redis flags {@code noscript}: they make no sense, or would deadlock, inside a script. */
    private static final Set<String> NOT_IN_SCRIPTS = Set.of("multi", "exec", "discard", "watch", "unwatch", "eval",
            "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro", "script", "function", "subscribe", "unsubscribe",
            "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe", "monitor", "sync", "psync", "auth", "hello",
            "quit", "reset", "client", "save", "bgsave", "bgrewriteaof", "shutdown", "wait", "replicaof", "slaveof",
            "debug", "config", "cluster", "blpop", "brpop", "brpoplpush", "blmove", "blmpop", "bzpopmin", "bzpopmax", "bzmpop", "asking", "readonly", "readwrite", "failover", "latency", "slowlog", "acl");

    private ScriptCalls() {
    }

    /** The reply, in the script's RESP, of {@code argv} run for {@code run}. */
    static Future<byte[]> run(ScriptRun run, byte[][] argv) {
        KvConnection c = run.c;
        CommandSpec spec = CommandTable.lookup(argv[0]);
        if (spec == null) {
            return error("Unknown Redis command called from script");
        }
        if (!spec.arityAccepts(argv.length)) {
            return error("Wrong number of args calling Redis command from script");
        }
        if (NOT_IN_SCRIPTS.contains(spec.name())) {
            return error("This Redis command is not allowed from script");
        }
        if (spec.write() && run.readOnly) {
            return error("Write commands are not allowed from read-only scripts.");
        }
        Argv args = Argv.of(argv);
        ClusterTopology cluster = c.server.cluster();
        if (cluster != null) {
            String refused = clusterCheck(run, c, cluster, spec, args);
            if (refused != null) {
                return error(refused);
            }
        }
        if (spec.write()) {
            run.wrote = true;
        }
        c.protocol = run.scriptResp;
        KvShard local = c.server.shards().local();
        CommandStats stats = local.stats;
        String sub = CommandStats.container(spec) && argv.length > 1 ? ConnectionCommands.lower(argv[1]) : null;
        long[] counters = stats.of(spec, sub);
        long start = System.nanoTime();
        Future<byte[]> reply = switch (spec.handler()) {
            case OnConnection h -> {
                RespWriter out = RespWriter.forReply(run.scriptResp);
                h.run(c, args, out);
                yield Future.succeeded(out.toByteArray());
            }
            case OnKeys k -> {
                if (!spec.multiKey()) {
                    int target = argv.length > spec.firstKey() ? c.server.slots().shardOf(argv[spec.firstKey()]) : c.shard().id();
                    yield SameShard.on(c, target, spec, args, run.scriptResp, c.db);
                }
                yield MultiKey.splits(spec) ? MultiKey.run(c, spec, args) : SameShard.run(c, spec, args);
            }
            case OnServer h -> h.run(c, args);
        };
        stats.called(counters, System.nanoTime() - start); // Redis counts a script's commands in commandstats too
        return reply;
    }

    /**
     * Redis Cluster's rules for a script's commands (scriptVerifyClusterState): one slot per command,
     * served here, and, unless the script allows cross-slot keys, the slot of the script's other keys.
     */
    private static String clusterCheck(ScriptRun run, KvConnection c, ClusterTopology cluster, CommandSpec spec, Argv args) {
        String redirect = ClusterRedirect.check(c, cluster, spec, args);
        if (redirect != null) {
            if (redirect.equals(Errors.CROSSSLOT)) {
                return "Command '" + spec.name() + "' in script attempted to access keys that do not hash to the same slot";
            }
            if (redirect.startsWith("MOVED") || redirect.startsWith("CLUSTERDOWN")) {
                return redirect.startsWith("MOVED") ? "Script attempted to access a non local key in a cluster node"
                        : "Script attempted to execute a command while the cluster is down";
            }
            return redirect;
        }
        int[] keys = ClusterKeys.of(spec, args);
        if (keys.length == 0 || run.has(ScriptCache.ALLOW_CROSS_SLOT)) {
            return null;
        }
        int slot = HashSlot.of(args.array(keys[0]), args.offset(keys[0]), args.length(keys[0]));
        if (run.slot == -1) {
            run.slot = slot;
        } else if (run.slot != slot) {
            return "Script attempted to access keys that do not hash to the same slot";
        }
        return null;
    }

    private static Future<byte[]> error(String text) {
        return Future.succeeded(RespWriter.errorBytes("ERR " + text));
    }
}
