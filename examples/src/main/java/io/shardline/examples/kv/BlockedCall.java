package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Promise;
import io.shardline.core.Timer;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.shard.Shard;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One blocking pop or move of a client, coordinated from the client's shard (its home): owned by that
 * shard, every method runs on its thread but for what it sends to the keys' shards.
 *
 * <p>The scheme. First it tries without waiting, in Redis' key order: with every key on one shard,
 * that shard tries them all and, finding nothing, leaves a {@link PopWaiter} for them in the same task
 * (nothing can slip in between); with keys on several shards, each key is tried on its shard in turn,
 * as LMPOP's key-by-key pop does, then a waiter is left on each shard for that shard's keys (one that
 * finds a key filled meanwhile asks at once). Inside MULTI/EXEC it never waits. A waiter is offered
 * its keys in arrival order right after the writes that change them. Alone (every key on one shard)
 * it takes at once, and a timeout, CLIENT UNBLOCK or disconnect at home asks that shard to cancel it:
 * whichever comes first there wins, so exactly one happens. One of several, a waiter may take only
 * after this call grants it the claim: the call grants one claim at a time and queues the others, so
 * at most one element is ever taken. A waiter that finds its key emptied meanwhile gives the claim
 * back, and the next queued one is granted. The first take ends the call: its reply goes to the
 * client, and the other shards' waiters are cancelled. A timeout (the home shard's timer), CLIENT
 * UNBLOCK or a disconnect ends it too, but never while a claim is out (the take's answer decides)
 * nor while a hop of the first tries is on its way. A BLMOVE whose destination is on another shard takes on the
 * source's shard and pushes here after, from the home shard (back to the source if the destination
 * turned out to hold another type, as LMOVE across shards does). The call counts once in INFO's
 * blocked_clients, here, whatever the number of shards it waits on.
 */
final class BlockedCall implements KeyWaiters.Unblockable {
    /** A shard's answer "nothing to take" / "waiter left": not replies. */
    static final byte[] NOTHING = new byte[0];
    static final byte[] REGISTERED = new byte[0];

    private final KvConnection c;
    final PopRequest req;
    private final int[] owner;
    /** BLMOVE: the destination's shard, else -1. */
    private final int destinationShard;
    private final long deadlineNanos;
    private final boolean forever;
    private final boolean mayBlock;
    final int home;
    private final long clientId;
    private final KeyWaiters homeWaiters;
    private final Promise<byte[]> reply;
    /** Done once the first tries and the placing of the waiters are over: the connection's barrier until then. */
    private final Promise<byte[]> settled;
    private boolean done;
    private boolean waiting;
    /** Hops of the first tries or of the waiters' placing that have not answered yet. */
    private int busy;
    private PopWaiter claimedBy;
    private final ArrayDeque<PopWaiter> claims = new ArrayDeque<>();
    private byte[] endWith;
    /** All keys on one shard: its waiter takes without a claim, and is asked to end ({@link #end}). */
    private boolean alone;
    private boolean endAsked;
    private Timer timer;
    /** The shards a waiter was sent to, each with the key indexes it waits on there. */
    private final LinkedHashMap<Integer, int[]> parts = new LinkedHashMap<>();

    BlockedCall(KvConnection c, PopRequest req, int[] owner, int destinationShard, long timeoutMillis) {
        this.c = c;
        this.req = req;
        this.owner = owner;
        this.destinationShard = destinationShard;
        this.forever = timeoutMillis == 0;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(timeoutMillis, 100L * 365 * 86_400_000));
        this.mayBlock = !c.inExec;
        this.home = c.shard().id();
        this.clientId = c.id;
        this.homeWaiters = c.server.shards().local().waiters();
        this.reply = new Promise<>(c.shard().loop());
        this.settled = new Promise<>(c.shard().loop());
    }

    /** Starts the call; the future is its reply. */
    Future<byte[]> start() {
        boolean one = true;
        for (int s : owner) {
            one &= s == owner[0];
        }
        if (mayBlock) {
            homeWaiters.addCall(clientId, this);
            hookClose(c);
        }
        if (one) {
            int[] all = new int[owner.length];
            for (int k = 0; k < all.length; k++) {
                all[k] = k;
            }
            if (mayBlock) {
                parts.put(owner[0], all);
            }
            alone = true;
            busy++;
            hop(owner[0], () -> tryOnShard(all, true, mayBlock)).whenComplete((bytes, failure) -> {
                busy--;
                if (failure != null || bytes != REGISTERED) {
                    parts.clear(); // nothing was left there
                    answer(bytes == NOTHING ? req.emptyReply() : bytes, failure);
                } else {
                    placed();
                }
            });
        } else {
            tryKey(0);
        }
        if (!settled.isDone()) {
            // As a cross-shard chain (SameShard): the connection's next requests wait for the hops, so
            // one of them cannot reach a key's shard before this call's try there.
            c.barrier = settled;
            settled.whenComplete((bytes, failure) -> c.scheduleDrain());
        }
        return reply;
    }

    /** The connection's close ends the blocking calls it still has on this shard. */
    static void hookClose(KvConnection c) {
        KeyWaiters w = c.server.shards().local().waiters();
        long id = c.id;
        c.onClose = () -> w.clientGone(id);
    }

    private void tryKey(int k) {
        busy++;
        hop(owner[k], () -> tryOnShard(new int[] {k}, true, false)).whenComplete((bytes, failure) -> {
            busy--;
            if (failure != null || bytes != NOTHING) {
                answer(bytes, failure);
            } else if (endWith != null) {
                end();
            } else if (k + 1 < owner.length) {
                tryKey(k + 1);
            } else if (!mayBlock) {
                answer(req.emptyReply(), null);
            } else {
                placeAll();
            }
        });
    }

    /** On a key's shard: tries keys {@code idx}; finding nothing, leaves a waiter for them if {@code register}. */
    private Future<byte[]> tryOnShard(int[] idx, boolean strict, boolean register) {
        KvShard shard = c.server.shards().local();
        Future<byte[]> r = req.attempt(shard, idx, strict, moveHere(shard.id));
        if (r != null) {
            return r;
        }
        if (!register) {
            return Future.succeeded(NOTHING);
        }
        shard.waiters().add(new PopWaiter(this, shard, idx, strict, true));
        return Future.succeeded(REGISTERED);
    }

    private void placeAll() {
        for (int k = 0; k < owner.length; k++) {
            int[] idx = parts.get(owner[k]);
            int[] more = idx == null ? new int[1] : java.util.Arrays.copyOf(idx, idx.length + 1);
            more[more.length - 1] = k;
            parts.put(owner[k], more);
        }
        busy += parts.size(); // all counted first: a part placed here answers at once
        for (var part : parts.entrySet()) {
            int[] idx = part.getValue();
            hop(part.getKey(), () -> {
                KvShard shard = c.server.shards().local();
                PopWaiter w = new PopWaiter(this, shard, idx, false, false);
                shard.waiters().add(w);
                if (req.ready(shard, idx)) {
                    for (int k : idx) {
                        shard.waiters().signal(req.keys()[k]); // filled since its first try: ask now
                    }
                }
                return Future.succeeded(REGISTERED);
            }).whenComplete((bytes, failure) -> {
                busy--;
                if (busy == 0) {
                    placed();
                }
            });
        }
    }

    /** Every waiter is in place: the wait starts, unless it already ended. */
    private void placed() {
        if (done) {
            cancelParts(-1);
            return;
        }
        waiting = true;
        homeWaiters.count(1);
        settled.trySucceed(NOTHING);
        if (endWith != null) {
            end();
            return;
        }
        if (!forever) {
            long left = Math.max(0, deadlineNanos - System.nanoTime());
            timer = c.shard().loop().schedule(Duration.ofNanos(left), () -> {
                timer = null;
                endWith(KeyWaiters.nullReply(req.protocol()));
            });
        }
    }

    boolean moveHere(int shard) {
        return destinationShard < 0 || destinationShard == shard;
    }

    /** From waiter {@code w}'s shard: it may take now, if no other waiter holds the claim. */
    void claim(PopWaiter w) {
        if (done) {
            tell(w, w::refused);
        } else if (claimedBy != null) {
            claims.addLast(w);
        } else {
            claimedBy = w;
            tell(w, w::granted);
        }
    }

    /** The claimed waiter took: its reply ends the call. */
    void taken(PopWaiter w, byte[] bytes, Throwable failure) {
        claimedBy = null;
        parts.remove(w.shardId); // it finished itself there
        answer(bytes, failure);
    }

    /** The claimed waiter found nothing after all: the next claim, or the end that waited for it. */
    void gaveBack(PopWaiter w) {
        claimedBy = null;
        if (endWith != null) {
            end();
        } else if (!claims.isEmpty()) {
            claimedBy = claims.pollFirst();
            tell(claimedBy, claimedBy::granted);
        }
    }

    private void answer(byte[] bytes, Throwable failure) {
        if (done) {
            return;
        }
        if (failure != null) {
            finish(Future.failed(failure));
        } else {
            finish(deliver(bytes));
        }
    }

    /** BLMOVE across shards: the element taken from the source goes to the destination from here. */
    private Future<byte[]> deliver(byte[] popped) {
        if (req.kind() != PopRequest.Kind.MOVE || moveHere(owner[0]) || popped.length == 0 || popped[0] == '-') {
            return Future.succeeded(popped);
        }
        byte[] v = CrossShard.bulkValue(popped);
        if (v == null) {
            return Future.succeeded(req.emptyReply());
        }
        byte[] src = req.keys()[0];
        return CrossShard.run(c, destinationShard, req.toLeft() ? "lpush" : "rpush", req.destination(), v).flatMap(pushed -> {
            if (pushed[0] != '-') {
                return Future.succeeded(RespWriter.forReply(req.protocol()).bulk(v).toByteArray());
            }
            return CrossShard.run(c, owner[0], req.first() ? "lpush" : "rpush", src, v).map(back -> pushed);
        });
    }

    private void finish(Future<byte[]> result) {
        done = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (waiting) {
            waiting = false;
            homeWaiters.count(-1);
        }
        if (mayBlock) {
            homeWaiters.removeCall(clientId, this);
        }
        while (!claims.isEmpty()) {
            PopWaiter w = claims.pollFirst();
            tell(w, w::refused);
        }
        if (busy == 0) {
            cancelParts(-1);
        }
        result.whenComplete((bytes, failure) -> {
            settled.trySucceed(NOTHING);
            if (failure == null) {
                reply.succeed(bytes);
            } else {
                reply.fail(failure);
            }
        });
    }

    private void cancelParts(int except) {
        for (int s : parts.keySet()) {
            if (s != except) {
                Object ticket = this;
                hop(s, () -> {
                    c.server.shards().local().waiters().cancel(ticket);
                    return Future.succeeded(NOTHING);
                });
            }
        }
        parts.clear();
    }

    /** Ends the wait with {@code with} as soon as nothing is in flight; false if it already ended or is ending. */
    private boolean endWith(byte[] with) {
        if (done || endWith != null) {
            return false;
        }
        endWith = with;
        end();
        return true;
    }

    private void end() {
        if (done || busy > 0 || claimedBy != null) {
            return;
        }
        if (alone && !parts.isEmpty()) {
            // the waiter decides, on its shard: ended there, or it took and its answer is on the way
            if (!endAsked) {
                endAsked = true;
                busy++;
                Object ticket = this;
                hop(owner[0], () -> Future.succeeded(c.server.shards().local().waiters().cancel(ticket, null) ? REGISTERED : NOTHING))
                        .whenComplete((bytes, failure) -> {
                            busy--;
                            if (bytes == REGISTERED && !done) {
                                parts.clear();
                                finish(Future.succeeded(endWith));
                            }
                        });
            }
            return;
        }
        finish(Future.succeeded(endWith));
    }

    @Override
    public Future<Boolean> unblock(boolean error) {
        return Future.succeeded(endWith(error ? RespWriter.errorBytes(KeyWaiters.UNBLOCKED) : KeyWaiters.nullReply(req.protocol())));
    }

    @Override
    public void clientGone() {
        endWith(KeyWaiters.nullReply(req.protocol())); // nobody reads it
    }

    /** Runs {@code fn} on the waiter's shard. */
    private void tell(PopWaiter w, Runnable fn) {
        if (w.shardId == home) {
            fn.run();
        } else {
            c.shard().submitTo(w.shardId, () -> {
                fn.run();
                return null;
            });
        }
    }

    /** Runs {@code fn} on shard {@code s}, from home. */
    private <T> Future<T> hop(int s, java.util.function.Supplier<Future<T>> fn) {
        Shard here = c.shard();
        return s == here.id() ? fn.get() : here.submitToAsync(s, fn);
    }
}
