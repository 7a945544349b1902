package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.core.Future;
import io.shardline.examples.kv.store.Errors;
import io.shardline.shard.Shard;

/**
 * Multi-key commands that cannot be split into independent parts (LMOVE, SMOVE, SINTER, LMPOP, BITOP,
 * RENAME...): when every key lives on one shard the command runs there whole, atomically, as a
 * single-key command does; otherwise its cross-shard form runs, or, for a command without one, the request is
 * refused with Redis Cluster's CROSSSLOT error. Stateless; called on the connection's shard.
 */
final class SameShard {
    /** A command's form for keys on several shards: gathers and writes through the mesh. */
    @FunctionalInterface
    interface Across {
        Future<byte[]> run(KvConnection c, Argv argv, int[] shardOfKey);
    }

    private SameShard() {
    }

    /** {@code spec}'s keys are at its first/last/step positions. */
    static Future<byte[]> run(KvConnection c, CommandSpec spec, Argv argv) {
        int last = spec.lastKey() < 0 ? argv.count() + spec.lastKey() : spec.lastKey();
        int keys = (last - spec.firstKey()) / spec.keyStep() + 1;
        return run(c, spec, argv, spec.firstKey(), spec.keyStep(), keys, CrossShard.of(spec.name()));
    }

    /**
     * Runs {@code onShard} (a data command) on the shard of {@code keys} keys from argument {@code first},
     * {@code step} apart, if they share one; else {@code across}, or CROSSSLOT when that is null.
     */
    static Future<byte[]> run(KvConnection c, CommandSpec onShard, Argv argv, int first, int step, int keys,
            Across across) {
        int[] owner = new int[keys];
        boolean one = true;
        for (int k = 0; k < keys; k++) {
            owner[k] = c.server.slots().shardOf(argv.bytes(first + k * step));
            one &= owner[k] == owner[0];
        }
        if (c.inExec) { // EXEC's general path: the transaction already holds these keys
            return one ? on(c, owner[0], onShard, argv) : across == null ? Dispatcher.error(Errors.CROSSSLOT) : across.run(c, argv, owner);
        }
        TxLocks.Key[] lockKeys = new TxLocks.Key[keys];
        for (int k = 0; k < keys; k++) {
            lockKeys[k] = new TxLocks.Key(c.db, argv.bytes(first + k * step));
        }
        if (one) {
            return checked(c, owner[0], onShard, argv, lockKeys);
        }
        if (across == null) {
            return Dispatcher.error(Errors.CROSSSLOT);
        }
        // Issue 17 point 9: the chain runs under intent locks on all its keys, so no client sees it half done.
        Future<byte[]> reply = TxExec.locked(c, lockKeys, owner, () -> across.run(c, argv, owner));
        // (inside EXEC the path above returned already: its transaction holds the keys)
        if (!reply.isDone()) {
            c.barrier = reply; // later requests of the connection wait for the chain's last step
        }
        return reply;
    }

    /** A command whose keys ({@code keys}, in the connection's database) share {@code shard}: run whole there, after any transaction holding them. */
    static Future<byte[]> onWhenFree(KvConnection c, int shard, CommandSpec spec, Argv argv, byte[][] keys) {
        if (c.inExec) {
            return on(c, shard, spec, argv);
        }
        TxLocks.Key[] lockKeys = new TxLocks.Key[keys.length];
        for (int k = 0; k < keys.length; k++) {
            lockKeys[k] = new TxLocks.Key(c.db, keys[k]);
        }
        return checked(c, shard, spec, argv, lockKeys);
    }

    /** As {@link #on(KvConnection, int, CommandSpec, Argv)}, waiting (in turn) while a transaction holds one of {@code keys}. */
    private static Future<byte[]> checked(KvConnection c, int shard, CommandSpec spec, Argv argv, TxLocks.Key[] keys) {
        int protocol = c.protocol;
        int db = c.db;
        Shard here = c.shard();
        Argv owned = shard == here.id() ? argv : argv.copy();
        java.util.function.Supplier<Future<byte[]>> run = () -> {
            KvShard local = c.server.shards().local();
            return local.locks().whenFree(keys, local.loop(), () -> local.execute(spec, owned, protocol, db));
        };
        Future<byte[]> reply = shard == here.id() ? run.get() : here.submitToAsync(shard, run);
        if (!reply.isDone()) {
            c.barrier = reply; // waiting for a lock: the connection's next requests wait too
        }
        return reply;
    }

    /** Runs the data command {@code spec} on {@code shard}, in the connection's request order. */
    static Future<byte[]> on(KvConnection c, int shard, CommandSpec spec, Argv argv) {
        return on(c, shard, spec, argv, c.protocol);
    }

    /** A step a multi-hop command built itself, from arrays it owns. */
    static Future<byte[]> on(KvConnection c, int shard, CommandSpec spec, byte[][] argv, int protocol) {
        return on(c, shard, spec, Argv.of(argv), protocol);
    }

    static Future<byte[]> on(KvConnection c, int shard, CommandSpec spec, byte[][] argv) {
        return on(c, shard, spec, Argv.of(argv), c.protocol);
    }

    /**
     * Like {@link #on(KvConnection, int, CommandSpec, Argv)}, replying in RESP {@code protocol}; in the
     * connection's database as of now (on its shard): a multi-hop chain runs behind the connection's
     * barrier, so no SELECT of it runs between the chain's hops.
     */
    static Future<byte[]> on(KvConnection c, int shard, CommandSpec spec, Argv argv, int protocol) {
        return on(c, shard, spec, argv, protocol, c.db);
    }

    /** Like {@link #on(KvConnection, int, CommandSpec, Argv, int)}, in database {@code db}. */
    static Future<byte[]> on(KvConnection c, int shard, CommandSpec spec, Argv argv, int protocol, int db) {
        Shard here = c.shard();
        if (shard == here.id()) {
            return c.server.shards().local().execute(spec, argv, protocol, db);
        }
        Argv owned = argv.copy(); // the view dies with this request; the other shard runs later
        return here.submitToAsync(shard, () -> c.server.shards().local().execute(spec, owned, protocol, db));
    }
}
