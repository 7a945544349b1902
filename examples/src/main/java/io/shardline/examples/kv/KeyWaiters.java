package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.core.Timer;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.BlockRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;

/**
 * The clients of one shard blocked on keys of that shard (XREAD/XREADGROUP with BLOCK today; meant
 * for BLPOP and friends too), first come first served per key. Owned by the shard; every method runs
 * on its thread.
 *
 * <p>A write that may serve waiters calls {@link #signal(byte[])}; the waiters of a signalled key are
 * retried in arrival order in a task of their own after the write's command returns (as Redis serves
 * blocked clients after the command that readied the key), each by running its command again: one that
 * still finds nothing keeps waiting, the others get their reply. A timeout on the shard's timer answers
 * the null array, as Redis does; a group reader whose stream is deleted gets Redis' UNBLOCKED error. A
 * waiter lives here until one of those happens or its client disconnects ({@link #cancel}), so a
 * client that has gone takes no entries.
 */
final class KeyWaiters {
    /** A blocked request: what to run again and where its reply goes. */
    private static final class Waiter {
        final CommandSpec spec;
        final byte[][] retry;
        final boolean endsIfKeyGone;
        /** The caller's handle for {@link #cancel}. */
        final Object ticket;
        final int protocol;
        /** The database the request runs in (its connection's when it was sent). */
        final int db;
        final ByteBuffer[] keys;
        final Promise<byte[]> reply;
        Timer timer;
        boolean done;

        Waiter(CommandSpec spec, BlockRequest block, int protocol, int db, ByteBuffer[] keys, Promise<byte[]> reply, Object ticket) {
            this.spec = spec;
            this.db = db;
            this.ticket = ticket;
            this.retry = block.retry();
            this.endsIfKeyGone = block.endsIfKeyGone();
            this.protocol = protocol;
            this.keys = keys;
            this.reply = reply;
        }
    }

    private static final long MAX_TIMEOUT_MILLIS = 100L * 365 * 86_400_000;
    private static final byte[] RESP2_NULL_ARRAY = {'*', '-', '1', '\r', '\n'};
    private static final byte[] RESP3_NULL = {'_', '\r', '\n'};

    private final Loop loop;
    private final KvShard shard;
    private final HashMap<ByteBuffer, ArrayDeque<Waiter>> byKey = new HashMap<>();
    private final HashMap<Object, Waiter> byTicket = new HashMap<>();
    private final LinkedHashSet<ByteBuffer> ready = new LinkedHashSet<>();
    private boolean serving;
    private int waiting;
    /** When set, runs on the shard each time a client starts or stops waiting (tests wait on it instead of polling INFO). */
    Runnable onChange;

    KeyWaiters(Loop loop, KvShard shard) {
        this.loop = loop;
        this.shard = shard;
    }

    /** Clients blocked now (INFO's blocked_clients). */
    int size() {
        return waiting;
    }

    /**
     * Blocks the request {@code spec} as {@code block} describes it; the future completes with the reply
     * of the first retry that finds something, or the null array at the timeout.
     */
    Future<byte[]> block(CommandSpec spec, int protocol, int db, BlockRequest block, Object ticket) {
        ByteBuffer[] keys = new ByteBuffer[block.keys().length];
        Waiter w = new Waiter(spec, block, protocol, db, keys, new Promise<>(loop), ticket);
        byTicket.put(ticket, w);
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ByteBuffer.wrap(block.keys()[i]);
            ArrayDeque<Waiter> q = byKey.computeIfAbsent(keys[i], k -> new ArrayDeque<>());
            if (!q.contains(w)) {
                q.addLast(w);
            }
        }
        waiting++;
        changed();
        if (block.timeoutMillis() > 0) {
            // Redis takes any timeout up to LLONG_MAX ms; past a century it is forever here, as the
            // timer counts nanoseconds in a long
            w.timer = loop.schedule(Duration.ofMillis(Math.min(block.timeoutMillis(), MAX_TIMEOUT_MILLIS)), () -> {
                if (!w.done) {
                    finish(w);
                    w.reply.succeed(protocol == 3 ? RESP3_NULL.clone() : RESP2_NULL_ARRAY.clone());
                }
            });
        }
        return w.reply;
    }

    /** {@code key} may serve its waiters now: they are retried after the running command. */
    void signal(byte[] key) {
        ByteBuffer k = ByteBuffer.wrap(key);
        if (!byKey.containsKey(k)) {
            return;
        }
        ready.add(ByteBuffer.wrap(key.clone()));
        if (!serving) {
            serving = true;
            loop.execute(this::serveReady);
        }
    }

    /**
     * Every waited-on key may serve its waiters now (SWAPDB changed what their databases hold): each is
     * retried, as Redis' swapdb does for the blocked keys of the swapped databases.
     */
    void signalAll() {
        if (byKey.isEmpty()) {
            return;
        }
        ready.addAll(byKey.keySet());
        if (!serving) {
            serving = true;
            loop.execute(this::serveReady);
        }
    }

    private void serveReady() {
        serving = false;
        while (!ready.isEmpty()) {
            ByteBuffer key = ready.iterator().next();
            ready.remove(key);
            ArrayDeque<Waiter> q = byKey.get(key);
            if (q == null) {
                continue;
            }
            for (Waiter w : new ArrayList<>(q)) {
                if (w.done) {
                    continue;
                }
                // Keys are signalled whatever their db: a waiter of another db retries, finds nothing, waits on.
                if (w.endsIfKeyGone && !shard.keyspace(w.db).exists(key.array())) {
                    finish(w);
                    w.reply.succeed(RespWriter.errorBytes(BlockRequest.KEY_GONE));
                    continue;
                }
                Future<byte[]> reply = shard.execute(w.spec, w.retry, w.protocol, w.db);
                BlockRequest again = shard.commands(w.db).streamReads().takeBlock();
                if (again != null) {
                    continue; // nothing for it yet (another waiter took it, or it was not its key's turn)
                }
                finish(w);
                reply.whenComplete((bytes, failure) -> {
                    if (failure == null) {
                        w.reply.succeed(bytes);
                    } else {
                        w.reply.fail(failure);
                    }
                });
            }
        }
    }

    /**
     * The client of {@code ticket} went away: its wait ends as a timeout would (nobody reads that
     * reply), so it takes nothing, and the connection can finish closing.
     */
    void cancel(Object ticket) {
        Waiter w = byTicket.get(ticket);
        if (w != null && !w.done) {
            finish(w);
            w.reply.succeed(w.protocol == 3 ? RESP3_NULL.clone() : RESP2_NULL_ARRAY.clone());
        }
    }

    private void changed() {
        if (onChange != null) {
            onChange.run();
        }
    }

    private void finish(Waiter w) {
        w.done = true;
        byTicket.remove(w.ticket);
        waiting--;
        changed();
        if (w.timer != null) {
            w.timer.cancel();
        }
        for (ByteBuffer k : w.keys) {
            ArrayDeque<Waiter> q = byKey.get(k);
            if (q != null) {
                q.remove(w);
                if (q.isEmpty()) {
                    byKey.remove(k);
                }
            }
        }
    }

    /**
     * Runs a possibly blocking request on this shard: the reply now, or once a wait ends; {@code ticket}
     * names the wait for {@link #cancel}.
     */
    Future<byte[]> run(CommandSpec spec, byte[][] argv, int protocol, int db, Object ticket) {
        Future<byte[]> reply = shard.execute(spec, argv, protocol, db);
        BlockRequest block = shard.commands(db).streamReads().takeBlock();
        return block == null ? reply : block(spec, protocol, db, block, ticket);
    }
}
