// Over 400 lines: the per-key FIFO queues, the keys held during a cross-shard claim, the ready set served
// after each command and the per-client calls CLIENT UNBLOCK ends are one structure; each change touches all.
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
import java.util.HashSet;
import java.util.LinkedHashSet;

/**
 * The clients of one shard blocked on keys of that shard (XREAD/XREADGROUP with BLOCK, and the parts
 * of BLPOP and friends that {@link BlockedCall} leaves here), first come first served per key. Owned
 * by the shard; every method runs on its thread.
 *
 * <p>The shard's {@link KeyChanges} tell it every key a write changed while it has waiters; the
 * waiters of a changed key are offered it in arrival order right after the write's command returns,
 * before the next command runs (as Redis serves blocked clients after the command that readied the
 * key; EXEC may defer that to its end, {@link #deferServing}). A stream
 * waiter runs its command again: one that still finds nothing keeps waiting, the others get their
 * reply. A timeout on the shard's timer answers the null array, as Redis does; a group reader whose
 * stream is deleted gets Redis' UNBLOCKED error. A waiter lives here until one of those happens or its
 * client disconnects ({@link #cancel}), so a client that has gone takes no entries.
 *
 * <p>A waiter may hold a key while it asks another shard whether it may take from it: the waiters
 * behind it on that key wait for the answer ({@link #release}), so the first blocked is served first.
 * This shard also keeps, by client id, the blocking calls of its own connections, which CLIENT UNBLOCK
 * and INFO's blocked_clients find here.
 */
final class KeyWaiters implements KeyChanges.Listener {
    /** What {@link Waiter#serve} says: it still waits, it is done, or it holds the key until {@link #release}. */
    static final int WAIT = 0;
    static final int DONE = 1;
    static final int HOLD = 2;

    /** One blocked request as this shard keeps it, in the queue of each of its keys. */
    abstract static class Waiter {
        /** The caller's handle for {@link #cancel}. */
        final Object ticket;
        final ByteBuffer[] keys;
        /**
         * The database its keys are in. Keys are signalled whatever their database: a waiter of another
         * one is offered the key, finds nothing in its own, and waits on.
         */
        final int db;
        /** Whether it is one of INFO's blocked clients here (a cross-shard call counts where it was made). */
        final boolean counted;
        Timer timer;
        boolean done;

        Waiter(Object ticket, int db, byte[][] keys, boolean counted) {
            this.ticket = ticket;
            this.db = db;
            this.counted = counted;
            this.keys = new ByteBuffer[keys.length];
            for (int i = 0; i < keys.length; i++) {
                this.keys[i] = ByteBuffer.wrap(keys[i]);
            }
        }

        /** {@code key} may serve it: {@link #WAIT}, {@link #DONE} (after {@link #finish}) or {@link #HOLD}. */
        abstract int serve(ByteBuffer key);

        /** Its wait was ended from outside (timeout, cancel, CLIENT UNBLOCK) with {@code reply}, null for its timeout reply. */
        abstract void ended(byte[] reply);
    }

    /** A blocking call of a connection of this shard that CLIENT UNBLOCK may end. */
    interface Unblockable {
        /** Ends the wait as a timeout, or with the UNBLOCKED error; true if it was still waiting. */
        Future<Boolean> unblock(boolean error);

        /** Its client disconnected: the wait ends, leaving nothing on any shard. */
        void clientGone();
    }

    /** Redis' reply to a client that CLIENT UNBLOCK ... ERROR releases. */
    static final String UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

    private static final long MAX_TIMEOUT_MILLIS = 100L * 365 * 86_400_000;
    private static final byte[] RESP2_NULL_ARRAY = {'*', '-', '1', '\r', '\n'};
    private static final byte[] RESP3_NULL = {'_', '\r', '\n'};

    private final Loop loop;
    private final KvShard shard;
    private final HashMap<ByteBuffer, ArrayDeque<Waiter>> byKey = new HashMap<>();
    private final HashMap<Object, Waiter> byTicket = new HashMap<>();
    private final LinkedHashSet<ByteBuffer> ready = new LinkedHashSet<>();
    private final HashSet<ByteBuffer> held = new HashSet<>();
    private final HashMap<Long, ArrayDeque<Unblockable>> byClient = new HashMap<>();
    private boolean serving;
    /** Some key is ready and may be served now: read by {@link KvShard} after each command (one field test). */
    boolean due;
    private boolean inServe;
    private int deferred;
    private int waiting;
    /** When set, runs on the shard each time a client starts or stops waiting (tests wait on it instead of polling INFO). */
    Runnable onChange;

    KeyWaiters(Loop loop, KvShard shard) {
        this.loop = loop;
        this.shard = shard;
    }

    static byte[] nullReply(int protocol) {
        return protocol == 3 ? RESP3_NULL.clone() : RESP2_NULL_ARRAY.clone();
    }

    /** Clients blocked now (INFO's blocked_clients). */
    int size() {
        return waiting;
    }

    /** Waiters kept here, counted or not (tests: nothing is left behind). */
    int entries() {
        return byTicket.size() + byClient.size();
    }

    @Override
    public boolean listening() {
        return !byKey.isEmpty();
    }

    @Override
    public void keyChanged(int db, byte[] key) {
        signal(key);
    }

    @Override
    public void allChanged(int db) {
        signalAll();
    }

    /**
     * Every waited-on key may serve its waiters now (SWAPDB changed what their databases hold): each is
     * offered again, as Redis' swapdb does for the blocked keys of the swapped databases.
     */
    void signalAll() {
        for (ByteBuffer k : new ArrayList<>(byKey.keySet())) {
            signal(k.array());
        }
    }

    /** Puts {@code w} at the end of the queue of each of its keys (its timer, if any, is the caller's). */
    void add(Waiter w) {
        byTicket.put(w.ticket, w);
        for (ByteBuffer k : w.keys) {
            ArrayDeque<Waiter> q = byKey.computeIfAbsent(k, x -> new ArrayDeque<>());
            if (!q.contains(w)) {
                q.addLast(w);
            }
        }
        if (w.counted) {
            waiting++;
        }
        changed();
    }

    /** Adds {@code delta} blocked clients that wait through other shards' waiters (a {@link BlockedCall}). */
    void count(int delta) {
        waiting += delta;
        changed();
    }

    /**
     * Blocks the stream request {@code spec} as {@code block} describes it; the future completes with the
     * reply of the first retry that finds something, or the null array at the timeout.
     */
    Future<byte[]> block(CommandSpec spec, int protocol, int db, BlockRequest block, Object ticket) {
        StreamWaiter w = new StreamWaiter(spec, block, protocol, db, new Promise<>(loop), ticket);
        add(w);
        if (block.timeoutMillis() > 0) {
            // Redis takes any timeout up to LLONG_MAX ms; past a century it is forever here, as the
            // timer counts nanoseconds in a long
            w.timer = loop.schedule(Duration.ofMillis(Math.min(block.timeoutMillis(), MAX_TIMEOUT_MILLIS)), () -> {
                if (!w.done) {
                    finish(w);
                    w.ended(null);
                }
            });
        }
        return w.reply;
    }

    /** {@code key} may serve its waiters now: they are offered it after the running command. */
    void signal(byte[] key) {
        ByteBuffer k = ByteBuffer.wrap(key);
        if (!byKey.containsKey(k)) {
            return;
        }
        ready.add(ByteBuffer.wrap(key.clone()));
        due = deferred == 0;
        if (!serving) {
            serving = true;
            loop.execute(this::scheduledServe);
        }
    }

    /** The waiter that held {@code key} has its answer: the ones behind it get their turn. */
    void release(ByteBuffer key) {
        if (held.remove(key)) {
            signal(key.array());
        }
    }

    /**
     * Serves the ready keys' waiters now, after the command that readied them (called by {@link KvShard}
     * when {@link #due}): before the next command of a pipeline or of a forwarded run, as Redis serves
     * blocked clients after each command. The task {@link #signal} schedules covers readiness that no
     * command caused (a waiter placed on a key already filled).
     */
    void serveNow() {
        if (!inServe && deferred == 0) {
            serveReady();
        }
    }

    /** EXEC's hook: the keys its commands ready are served after the whole transaction ({@link #resumeServing}). */
    void deferServing() {
        deferred++;
        due = false;
    }

    void resumeServing() {
        if (--deferred == 0 && !ready.isEmpty()) {
            due = true;
            serveNow();
        }
    }

    private void scheduledServe() {
        serving = false;
        serveReady();
    }

    private void serveReady() {
        if (inServe || deferred > 0) {
            return; // the running pass picks new keys up; a deferred one waits for resumeServing
        }
        inServe = true;
        due = false;
        try {
            serveKeys();
        } finally {
            inServe = false;
            due = false;
        }
    }

    private void serveKeys() {
        while (!ready.isEmpty()) {
            ByteBuffer key = ready.iterator().next();
            ready.remove(key);
            ArrayDeque<Waiter> q = byKey.get(key);
            if (q == null || held.contains(key)) {
                continue; // a held key is offered again when it is released
            }
            for (Waiter w : new ArrayList<>(q)) {
                if (!w.done && w.serve(key) == HOLD) {
                    held.add(key);
                    break;
                }
            }
        }
    }

    /**
     * Ends the wait of {@code ticket}, if it still waits, with {@code reply} (null: its timeout reply);
     * a client that went away ends as a timeout would (nobody reads that reply), so it takes nothing.
     */
    boolean cancel(Object ticket, byte[] reply) {
        Waiter w = byTicket.get(ticket);
        if (w == null || w.done) {
            return false;
        }
        finish(w);
        w.ended(reply);
        return true;
    }

    void cancel(Object ticket) {
        cancel(ticket, null);
    }

    private void changed() {
        if (onChange != null) {
            onChange.run();
        }
    }

    /** Takes {@code w} out of every queue; it will not be offered a key again. */
    void finish(Waiter w) {
        if (w.done) {
            return;
        }
        w.done = true;
        byTicket.remove(w.ticket);
        if (w.counted) {
            waiting--;
        }
        if (w.timer != null) {
            w.timer.cancel();
        }
        for (ByteBuffer k : w.keys) {
            ArrayDeque<Waiter> q = byKey.get(k);
            if (q != null) {
                q.remove(w);
                if (q.isEmpty()) {
                    byKey.remove(k);
                    ready.remove(k);
                }
            }
        }
        changed();
    }

    /** {@code call}, made by client {@code clientId} of this shard, waits: CLIENT UNBLOCK may end it. */
    void addCall(long clientId, Unblockable call) {
        byClient.computeIfAbsent(clientId, x -> new ArrayDeque<>()).addLast(call);
        changed();
    }

    void removeCall(long clientId, Unblockable call) {
        ArrayDeque<Unblockable> calls = byClient.get(clientId);
        if (calls != null && calls.remove(call)) {
            if (calls.isEmpty()) {
                byClient.remove(clientId);
            }
            changed();
        }
    }

    /** Client {@code clientId} of this shard disconnected: each of its waits ends. */
    void clientGone(long clientId) {
        ArrayDeque<Unblockable> calls = byClient.get(clientId);
        if (calls != null) {
            for (Unblockable u : new ArrayList<>(calls)) {
                u.clientGone();
            }
        }
    }

    /** CLIENT UNBLOCK for client {@code clientId} of this shard: true if it was blocked. */
    Future<Boolean> unblock(long clientId, boolean error) {
        ArrayDeque<Unblockable> calls = byClient.get(clientId);
        if (calls == null) {
            return Future.succeeded(false);
        }
        Unblockable first = calls.peekFirst();
        return first.unblock(error);
    }

    /**
     * Runs a possibly blocking stream request on this shard: the reply now, or once a wait ends;
     * {@code ticket} names the wait for {@link #cancel}.
     */
    Future<byte[]> run(CommandSpec spec, byte[][] argv, int protocol, int db, Object ticket) {
        Future<byte[]> reply;
        BlockRequest block;
        deferServing(); // a waiter's retry served after the command would take the block it left
        try {
            reply = shard.execute(spec, argv, protocol, db);
            block = shard.commands(db).streamReads().takeBlock();
        } finally {
            resumeServing();
        }
        return block == null ? reply : block(spec, protocol, db, block, ticket);
    }

    /** An XREAD or XREADGROUP with BLOCK: run again when its stream is written. */
    private final class StreamWaiter extends Waiter {
        final CommandSpec spec;
        final byte[][] retry;
        final boolean endsIfKeyGone;
        final int protocol;
        final Promise<byte[]> reply;

        StreamWaiter(CommandSpec spec, BlockRequest block, int protocol, int db, Promise<byte[]> reply, Object ticket) {
            super(ticket, db, block.keys(), true);
            this.spec = spec;
            this.retry = block.retry();
            this.endsIfKeyGone = block.endsIfKeyGone();
            this.protocol = protocol;
            this.reply = reply;
        }

        @Override
        int serve(ByteBuffer key) {
            if (endsIfKeyGone && !shard.keyspace(db).exists(key.array())) {
                finish(this);
                reply.succeed(RespWriter.errorBytes(BlockRequest.KEY_GONE));
                return DONE;
            }
            Future<byte[]> r = shard.execute(spec, retry, protocol, db);
            BlockRequest again = shard.commands(db).streamReads().takeBlock();
            if (again != null) {
                return WAIT; // nothing for it yet (another waiter took it, or it was not its key's turn)
            }
            finish(this);
            r.whenComplete((bytes, failure) -> {
                if (failure == null) {
                    reply.succeed(bytes);
                } else {
                    reply.fail(failure);
                }
            });
            return DONE;
        }

        @Override
        void ended(byte[] with) {
            reply.succeed(with != null ? with : nullReply(protocol));
        }
    }
}
