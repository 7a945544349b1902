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

    /**
     * Runs {@code argv}; null when the reply is already in {@code direct} (never when it is null). Counts
     * it in the shard's {@link CommandStats}: its calls and time, or that it was refused before running,
     * and its error reply if it gave one (a forwarded one is counted when its reply comes back).
     */
    static Future<byte[]> dispatch(KvConnection c, Argv argv, RespWriter direct) {
        KvShard local = c.server.shards().local();
        CommandStats stats = local.stats;
        CommandSpec spec = CommandTable.lookup(argv);
        String sub = spec != null && CommandStats.container(spec) && argv.count() > 1 ? ConnectionCommands.lower(argv.bytes(1)) : null;
        long[] counters = spec == null ? null : stats.of(spec, sub);
        c.lastSpec = spec;
        c.lastSub = sub;
        String refused = refusal(c, spec, argv);
        if (refused != null) {
            local.rejectedCommands++;
            if (counters != null) {
                stats.rejected(counters);
            }
            stats.errorIfAny(RespWriter.errorBytes(refused), null);
            if (spec != null && spec.name().equals("exec") && !spec.arityAccepts(argv.count()) && TransactionCommands.open(c)) {
                return error(direct, TransactionCommands.execAbort(c, refused));
            }
            TransactionCommands.queuingError(c); // inside MULTI, EXEC then answers EXECABORT
            return error(direct, refused);
        }
        ClusterTopology cluster = c.server.cluster();
        if (cluster != null) {
            String redirect = ClusterRedirect.check(c, cluster, spec, argv);
            c.asking = c.asking && spec.name().equals("asking"); // ASKING holds for the one command after it
            if (redirect != null) {
                local.rejectedCommands++;
                if (spec.name().equals("exec") && TransactionCommands.open(c)) {
                    TransactionCommands.discard(c); // as Redis discards a transaction whose EXEC is redirected
                } else {
                    TransactionCommands.queuingError(c); // as Redis flags the transaction of a redirected command
                }
                return error(direct, redirect);
            }
        }
        String busy = local.scriptBusy.refusal(spec, argv);
        if (busy != null) { // a script runs past busy-reply-threshold: Redis refuses all but a few
            local.rejectedCommands++;
            stats.rejected(counters);
            stats.errorIfAny(RespWriter.errorBytes(busy), null);
            return error(direct, busy);
        }
        if (c.txs.pending() && !joinsTxBatch(c, spec)) { // after transactions gathered or running: once they are done
            Argv owned = argv.copy();
            return c.txs.behind(c, () -> runBehind(c, spec, owned, counters));
        }
        if (c.tx != null && c.tx.open && !TransactionCommands.runsInMulti(spec)) {
            if (direct != null) {
                TransactionCommands.queue(c, spec, argv, direct);
                return null;
            }
            return TransactionCommands.queue(c, spec, argv);
        }
        if (c.paused(spec)) {
            return c.afterPause(spec, argv.copy());
        }
        long start = System.nanoTime();
        int mark = direct == null ? 0 : direct.size();
        Future<byte[]> reply = run(c, spec, argv, direct);
        stats.called(counters, System.nanoTime() - start);
        if (reply == null) {
            stats.errorIfAny(direct, mark, counters);
        } else if (reply != KvConnection.FORWARDED) {
            if (reply.isDone()) {
                stats.errorIfAny(reply.getNow(), counters);
            } else {
                reply.whenComplete((bytes, e) -> stats.errorIfAny(bytes, counters));
            }
        }
        return reply;
    }

    /**
     * Whether {@code spec}, with transactions gathered ({@link TxBatch}), is part of the next one: its
     * MULTI, a command it queues, its EXEC ({@link TxExec#exec} decides whether that joins).
     */
    private static boolean joinsTxBatch(KvConnection c, CommandSpec spec) {
        if (TransactionCommands.open(c)) {
            return !TransactionCommands.runsInMulti(spec) || spec.name().equals("exec");
        }
        return spec.name().equals("multi");
    }

    /** A request that waited for the transactions before it: runs as it would have, counted then. */
    private static Future<byte[]> runBehind(KvConnection c, CommandSpec spec, Argv argv, long[] counters) {
        if (c.paused(spec)) {
            return c.afterPause(spec, argv);
        }
        CommandStats stats = c.server.shards().local().stats;
        long start = System.nanoTime();
        Future<byte[]> reply = runLater(c, spec, argv);
        stats.called(counters, System.nanoTime() - start);
        reply.whenComplete((bytes, e) -> stats.errorIfAny(bytes, counters));
        return reply;
    }

    /** Why Redis refuses {@code argv} before running it, in its order of checks, or null to run it. */
    private static String refusal(KvConnection c, CommandSpec spec, Argv argv) {
        if (spec == null) {
            return Errors.unknownCommand(argv); // Redis checks existence and arity before authentication
        }
        if (!spec.arityAccepts(argv.count())) {
            return Errors.wrongArity(spec.name());
        }
        if (!c.authenticated && !spec.has(CommandSpec.NO_AUTH)) {
            return Errors.NOAUTH;
        }
        if (c.subscribedResp2() && !PubSubCommands.allowedWhenSubscribed(spec)) {
            return PubSubCommands.notAllowed(spec, argv);
        }
        return null;
    }

    /** Runs a command that passed the checks; as {@link #dispatch}. */
    static Future<byte[]> run(KvConnection c, CommandSpec spec, Argv argv, RespWriter direct) {
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
                KvShard local = c.server.shards().local();
                RespWriter out = local.takeReplyScratch(c.protocol); // a reply that waits its turn: only its bytes are kept
                try {
                    h.run(c, argv, out);
                    yield Future.succeeded(out.toByteArray());
                } finally {
                    local.giveBackReplyScratch(out);
                }
            }
            case OnKeys keys -> MultiKey.splits(spec) ? MultiKey.run(c, spec, argv.copy()) : SameShard.run(c, spec, argv.copy());
            case OnServer h -> h.run(c, argv.copy());
        };
    }

    /**
     * Runs a request that waited (CLIENT PAUSE) with its arguments copied: a single-key command for
     * another shard goes there on its own rather than in a run, since requests after it may be in one.
     */
    static Future<byte[]> runLater(KvConnection c, CommandSpec spec, Argv argv) {
        if (spec.handler() instanceof OnKeys && !spec.multiKey()) {
            c.sendForwarded();
            return SameShard.run(c, spec, argv);
        }
        return run(c, spec, argv, null);
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
            local.noTouch = c.noTouch;
            if (!local.locks().idle()) {
                TxLocks.Key[] keys = TxLocks.keysOf(spec, argv, c.db);
                if (local.locks().conflicts(keys)) { // a transaction holds the key: wait for it, in turn
                    Argv owned = argv.copy();
                    int protocol = c.protocol;
                    int db = c.db;
                    Future<byte[]> reply = local.locks().whenFree(keys, here.loop(), () -> local.execute(spec, owned, protocol, db));
                    c.barrier = reply; // the connection's next requests wait: its order is kept
                    return reply;
                }
            }
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
