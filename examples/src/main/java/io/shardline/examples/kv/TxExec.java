package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.core.Promise;
import io.shardline.examples.kv.CommandSpec.OnConnection;
import io.shardline.examples.kv.CommandSpec.OnKeys;
import io.shardline.examples.kv.CommandSpec.OnServer;
import io.shardline.examples.kv.Transaction.Queued;
import io.shardline.examples.kv.resp.RespWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs EXEC's queued commands, and the cross-shard multi-key commands, atomically across shards with no
 * global lock. Stateless; the coordinator part runs on the connection's shard, each shard's part on that
 * shard through the mesh.
 *
 * <h2>Design (for DESIGN.md)</h2>
 * <ul>
 * <li><b>Intent locks.</b> Each shard has a {@link TxLocks} table of (db, key) locks. A transaction
 * names, per shard, the keys its commands touch (by the command table's key positions) and the keys it
 * WATCHes; it locks each shard's set whole, in ascending shard order, one shard after the other. A
 * holder only ever waits for a shard above every shard it holds, so no cycle of waits, hence no
 * deadlock, can form; within a shard requests are granted first come, first served (a request never
 * overtakes an earlier one on a shared key).</li>
 * <li><b>Ordinary commands</b> are checked where they enter a shard (the connection's local path,
 * a {@link Forwarded} run, a single-shard multi-key command, a part of MGET/DEL/MSET): with no lock
 * on the shard the check is one test; a command on a locked key queues behind the holder (FIFO), and
 * its connection reads nothing more until it has run, so its order is kept; commands on other keys
 * run on.</li>
 * <li><b>Single-shard fast path.</b> When every key is on one shard, the whole transaction goes there
 * in one step (none from the connection's own shard) and runs in one go: lock (free, with no other
 * transaction there), check the WATCHes, run, unlock.</li>
 * <li><b>Several shards.</b> The shards below the highest are locked and their WATCHes checked, one
 * hop each; the highest shard is sent its commands with its lock request, so it locks, checks, runs
 * and unlocks in one hop; then each other shard runs its commands and unlocks, in parallel. Commands
 * on different shards touch different keys, so running each shard's commands in their queued order is
 * the same as running them all in order. With the connection on the lower of two shards, a cross-shard
 * EXEC costs one round trip. Every lock is taken before any is released (two-phase locking), so every
 * transaction is serializable, and a reader, locking or not, never sees half of one.</li>
 * <li><b>Without WATCH</b> nothing can abort a transaction, so each lower shard locks and runs its
 * commands in one hop, keeping its locks until the highest has run ({@link TxBatch}); with the
 * connection on the higher of two shards, it locks its own shard if free and asks the lower one to
 * lock, run and unlock without waiting (a holder of a higher shard must not wait for a lower one):
 * one round trip either way, the ordered steps when a key is busy.</li>
 * <li><b>Pipelined transactions.</b> The consecutive transactions without WATCH of one batch of
 * received data run as one ({@link TxBatch}): one lock request and one run per shard for all of them,
 * and the connection reads on once they are done, as Redis runs a whole read of them in one go.</li>
 * <li><b>Commands that do not split by shard</b> (a cross-shard RENAME, SUNIONSTORE, the
 * server-wide and blocking commands) make the transaction take its locks on every shard first, then run
 * its commands one by one in order, as they run outside MULTI (their own steps skip the checks, as the
 * transaction holds the keys), then unlock. Keys such commands find themselves (BLPOP's, SORT's...)
 * are not known beforehand and so are not locked.</li>
 * <li><b>WATCH</b> registers the key on its shard ({@link Watches}), which marks it dirty on every
 * write its {@link KeyChanges} reports (expiry included) and on FLUSHDB/FLUSHALL/SWAPDB. EXEC checks
 * each shard's watches under that shard's lock, after a lookup that expires a key past its time, so
 * the check and the commands are one atomic step; one dirty key makes EXEC unlock and answer a null
 * array.</li>
 * <li><b>Blocked clients</b> woken by the transaction's pushes are served when the shard's part ends
 * ({@link KeyWaiters#deferServing}), never between its commands; commands inside EXEC never block.</li>
 * </ul>
 */
final class TxExec {
    private TxExec() {
    }

    /**
     * EXEC of the connection's open transaction, with no queuing error. One with no WATCH whose commands
     * each run on one shard joins the connection's {@link TxBatch} (started if none is open), which runs
     * once the received data is parsed; with a batch open, one that cannot join waits for it to be done.
     */
    static Future<byte[]> exec(KvConnection c) {
        Transaction tx = c.tx;
        boolean general = false;
        for (Queued q : tx.queued) {
            general |= !splitsByShard(c, q);
        }
        if (!general && tx.watched.isEmpty()) {
            TxBatch batch = c.txs.joinable(c, c.protocol);
            if (batch == null) {
                return c.txs.behind(c, () -> exec(c)); // the transaction stays queued meanwhile: nothing is read
            }
            Future<byte[]> reply = batch.add(c, tx.queued);
            tx.end();
            return reply;
        }
        if (c.txs.pending()) {
            return c.txs.behind(c, () -> exec(c));
        }
        List<Queued> queued = new ArrayList<>(tx.queued);
        List<Transaction.Watched> watched = new ArrayList<>(tx.watched);
        tx.end();
        int protocol = c.protocol;
        TxPart[] parts = new TxPart[c.shard().count()];
        byte[][] replies = new byte[queued.size()][];
        int db = c.db;
        for (int i = 0; i < queued.size(); i++) {
            Queued q = queued.get(i);
            switch (q.spec().handler()) {
                case OnConnection h -> {
                    if (!general) { // run in place: SELECT changes the database of the commands after it
                        RespWriter out = RespWriter.forReply(protocol);
                        h.run(c, q.argv(), out);
                        replies[i] = out.toByteArray();
                        db = c.db;
                    } else {
                        db = selected(c, q, db);
                    }
                }
                case OnKeys k -> {
                    TxLocks.Key[] keys = TxLocks.keysOf(q.spec(), q.argv(), db);
                    int target = keys.length == 0 ? c.shard().id() : shardOf(c, keys[0]);
                    for (TxLocks.Key key : keys) {
                        part(parts, shardOf(c, key)).lock(key);
                    }
                    if (!general) {
                        part(parts, target).add(i, q.spec(), q.argv(), db);
                    }
                }
                case OnServer h -> {
                }
            }
        }
        for (Transaction.Watched w : watched) {
            part(parts, w.shard()).lock(w.key());
        }
        List<TxPart> involved = sealed(parts);
        Promise<byte[]> result = new Promise<>(c.shard().loop());
        c.barrier = result; // the connection's next requests wait for the whole EXEC
        long client = c.id;
        if (general) {
            holdFrom(c, involved, 0, involved.size(), client).whenComplete((failed, e) -> {
                if (e != null || failed >= 0) {
                    releaseBelow(c, involved, failed < 0 ? involved.size() : failed);
                    forgetFrom(c, involved, failed < 0 ? involved.size() : failed + 1, client);
                    result.trySucceed(e != null ? RespWriter.errorBytes("ERR " + KvShard.failureText(e)) : nullArray(protocol));
                    return;
                }
                c.inExec = true;
                inOrder(c, queued, 0, replies, result).whenComplete((v, e2) -> {
                    c.inExec = false;
                    releaseBelow(c, involved, involved.size());
                    result.trySucceed(e2 != null ? RespWriter.errorBytes("ERR " + KvShard.failureText(e2)) : array(protocol, replies));
                });
            });
            return result;
        }
        if (involved.isEmpty()) {
            result.trySucceed(array(protocol, replies));
            return result;
        }
        int lastAt = involved.size() - 1;
        TxPart last = involved.get(lastAt);
        holdFrom(c, involved, 0, lastAt, client).whenComplete((failed, e) -> {
            if (e != null || failed >= 0) {
                releaseBelow(c, involved, failed < 0 ? lastAt : failed);
                forgetFrom(c, involved, failed < 0 ? lastAt : failed + 1, client);
                result.trySucceed(e != null ? RespWriter.errorBytes("ERR " + KvShard.failureText(e)) : nullArray(protocol));
                return;
            }
            on(c, last.shard, () -> last.lockCheckRun(local(c), client, protocol)).whenComplete((lastReplies, e2) -> {
                if (e2 != null || lastReplies == TxPart.ABORTED) {
                    releaseBelow(c, involved, lastAt);
                    result.trySucceed(e2 != null ? RespWriter.errorBytes("ERR " + KvShard.failureText(e2)) : nullArray(protocol));
                    return;
                }
                fill(replies, last, lastReplies);
                List<Future<byte[]>> others = new ArrayList<>(lastAt);
                for (int i = 0; i < lastAt; i++) {
                    TxPart p = involved.get(i);
                    others.add(on(c, p.shard, () -> p.runAndRelease(local(c), protocol)));
                }
                Futures.all(others).whenComplete((all, e3) -> {
                    if (e3 != null) {
                        result.trySucceed(RespWriter.errorBytes("ERR " + KvShard.failureText(e3)));
                        return;
                    }
                    for (int i = 0; i < lastAt; i++) {
                        fill(replies, involved.get(i), all.get(i));
                    }
                    result.trySucceed(array(protocol, replies));
                });
            });
        });
        return result;
    }

    /** The parts built, each sealed, in ascending shard order. */
    private static List<TxPart> sealed(TxPart[] parts) {
        List<TxPart> involved = new ArrayList<>();
        for (TxPart p : parts) {
            if (p != null) {
                p.seal();
                involved.add(p);
            }
        }
        return involved;
    }

    /**
     * A cross-shard multi-key command ({@code body}) under intent locks on {@code keys} (each with its
     * shard in {@code owner}), taken in ascending shard order and released once its reply is known.
     */
    static Future<byte[]> locked(KvConnection c, TxLocks.Key[] keys, int[] owner, Supplier<Future<byte[]>> body) {
        TxPart[] parts = new TxPart[c.shard().count()];
        for (int k = 0; k < keys.length; k++) {
            part(parts, owner[k]).lock(keys[k]);
        }
        List<TxPart> involved = sealed(parts);
        Promise<byte[]> result = new Promise<>(c.shard().loop());
        holdFrom(c, involved, 0, involved.size(), -1).whenComplete((failed, e) -> {
            if (e != null) {
                releaseBelow(c, involved, involved.size());
                result.tryFail(e);
                return;
            }
            Future<byte[]> reply;
            try {
                reply = body.get();
            } catch (RuntimeException ex) {
                reply = Future.failed(ex);
            }
            reply.whenComplete((v, e2) -> {
                releaseBelow(c, involved, involved.size());
                result.tryComplete(v, e2);
            });
        });
        return result;
    }

    /**
     * {@code body}, a cross-shard command over {@code keys} (in the connection's database, each on the
     * shard {@code owner} gives), under intent locks; as is inside EXEC, whose transaction holds them.
     */
    static Future<byte[]> lockedUnlessInExec(KvConnection c, byte[][] keys, int[] owner, Supplier<Future<byte[]>> body) {
        if (c.inExec) {
            return body.get();
        }
        TxLocks.Key[] lockKeys = new TxLocks.Key[keys.length];
        for (int k = 0; k < keys.length; k++) {
            lockKeys[k] = new TxLocks.Key(c.db, keys[k]);
        }
        return locked(c, lockKeys, owner, body);
    }

    /** Whether {@code q} runs whole on one shard (or on the connection), so it can go in that shard's part. */
    private static boolean splitsByShard(KvConnection c, Queued q) {
        return switch (q.spec().handler()) {
            case OnConnection h -> true;
            case OnServer h -> false;
            case OnKeys k -> {
                if (!q.spec().multiKey()) {
                    yield true;
                }
                TxLocks.Key[] keys = TxLocks.keysOf(q.spec(), q.argv(), 0);
                for (TxLocks.Key key : keys) {
                    if (shardOf(c, key) != shardOf(c, keys[0])) {
                        yield false;
                    }
                }
                yield true;
            }
        };
    }

    /** The database after a queued SELECT, as it will be when the commands run one by one. */
    private static int selected(KvConnection c, Queued q, int db) {
        if (!q.spec().name().equals("select")) {
            return db;
        }
        try {
            int to = Integer.parseInt(new String(q.argv().bytes(1), java.nio.charset.StandardCharsets.US_ASCII));
            return to >= 0 && to < c.server.config().databases() ? to : db;
        } catch (NumberFormatException e) {
            return db;
        }
    }

    /**
     * Locks {@code involved[from..to)} one shard after the other, each checking its WATCHes; the index
     * of the first shard whose check failed (which has already unlocked itself), or -1 if all hold.
     */
    private static Future<Integer> holdFrom(KvConnection c, List<TxPart> involved, int from, int to, long client) {
        if (from == to) {
            return Future.succeeded(-1);
        }
        TxPart p = involved.get(from);
        return on(c, p.shard, () -> p.hold(local(c), client))
                .flatMap(ok -> ok ? holdFrom(c, involved, from + 1, to, client) : Future.succeeded(from));
    }

    /** After an abort at {@code from}: the shards from there on forget the client's WATCHes, never checked. */
    private static void forgetFrom(KvConnection c, List<TxPart> involved, int from, long client) {
        for (int i = from; i < involved.size(); i++) {
            TxPart p = involved.get(i);
            on(c, p.shard, () -> {
                local(c).watches().forget(client);
                return Future.succeeded(null);
            });
        }
    }

    /** Unlocks {@code involved[0..to)}; each shard serves the blocked clients the transaction readied. */
    private static void releaseBelow(KvConnection c, List<TxPart> involved, int to) {
        for (int i = 0; i < to; i++) {
            TxPart p = involved.get(i);
            on(c, p.shard, () -> {
                p.release(local(c));
                return Future.succeeded(null);
            });
        }
    }

    /** The general path: each queued command in turn, as it runs outside MULTI, the transaction holding its keys. */
    private static Future<Void> inOrder(KvConnection c, List<Queued> queued, int i, byte[][] replies, Promise<byte[]> exec) {
        if (i == queued.size()) {
            return Future.succeeded(null);
        }
        Queued q = queued.get(i);
        Future<byte[]> one;
        try {
            one = runOne(c, q);
        } catch (RuntimeException e) {
            one = Future.succeeded(RespWriter.errorBytes("ERR " + KvShard.failureText(e)));
        }
        c.barrier = exec; // a multi-hop step set its own; the connection still waits for the whole EXEC
        return one.handle((reply, e) -> e != null ? RespWriter.errorBytes("ERR " + KvShard.failureText(e)) : reply)
                .flatMap(reply -> {
                    replies[i] = reply;
                    return inOrder(c, queued, i + 1, replies, exec);
                });
    }

    private static Future<byte[]> runOne(KvConnection c, Queued q) {
        CommandSpec spec = q.spec();
        return switch (spec.handler()) {
            case OnConnection h -> {
                RespWriter out = RespWriter.forReply(c.protocol);
                h.run(c, q.argv(), out);
                yield Future.succeeded(out.toByteArray());
            }
            case OnKeys k -> {
                if (!spec.multiKey()) {
                    int target = q.argv().count() > spec.firstKey()
                            ? c.server.slots().shardOf(q.argv().bytes(spec.firstKey())) : c.shard().id();
                    yield SameShard.on(c, target, spec, q.argv());
                }
                yield MultiKey.splits(spec) ? MultiKey.run(c, spec, q.argv()) : SameShard.run(c, spec, q.argv());
            }
            case OnServer h -> h.run(c, q.argv());
        };
    }

    private static void fill(byte[][] replies, TxPart p, byte[] got) {
        for (int i = 0; i < p.commands(); i++) {
            replies[p.indexOf(i)] = Arrays.copyOfRange(got, p.replyFrom(i), p.replyTo(i));
        }
    }

    private static byte[] array(int protocol, byte[][] replies) {
        RespWriter out = RespWriter.forReply(protocol);
        out.arrayHeader(replies.length);
        for (byte[] r : replies) {
            out.raw(r);
        }
        return out.toByteArray();
    }

    static byte[] nullArray(int protocol) {
        return RespWriter.forReply(protocol).nullArray().toByteArray();
    }

    private static TxPart part(TxPart[] parts, int shard) {
        return parts[shard] == null ? parts[shard] = new TxPart(shard) : parts[shard];
    }

    private static int shardOf(KvConnection c, TxLocks.Key key) {
        return c.server.slots().shardOf(key.key);
    }

    static <T> Future<T> on(KvConnection c, int shard, Supplier<Future<T>> fn) {
        return shard == c.shard().id() ? fn.get() : c.shard().submitToAsync(shard, fn);
    }

    static KvShard local(KvConnection c) {
        return c.server.shards().local();
    }
}
