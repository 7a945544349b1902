package io.shardline.examples.kv;

import io.shardline.core.Future;
import java.nio.ByteBuffer;

/**
 * The part of a {@link BlockedCall} that waits on one shard, on the call's keys that live there.
 * Owned by that shard's {@link KeyWaiters}; every method runs on its thread, and it reaches the call
 * only through messages to the call's home shard (or directly, when that is this shard).
 *
 * <p>Alone (the call's keys all live here), offered a key it could take from, it takes at once and
 * reports what it took; the call ends it only through {@link KeyWaiters#cancel}, here, so the two
 * cannot both happen. One of several, it asks the call for the claim and holds the key meanwhile, so
 * the waiters behind it on that key wait for the answer (first blocked, first served). Granted, it
 * takes and reports what it took, or gives the claim back if the key was emptied meanwhile; refused
 * (the call ended), it leaves.
 */
final class PopWaiter extends KeyWaiters.Waiter {
    private final BlockedCall call;
    final int shardId;
    private final KvShard shard;
    private final int[] idx;
    private final boolean strict;
    /** The call waits on this shard only: this waiter takes on its own, and the call asks it to end. */
    private final boolean alone;
    private boolean claiming;
    private ByteBuffer heldKey;

    PopWaiter(BlockedCall call, KvShard shard, int[] idx, boolean strict, boolean alone) {
        super(call, call.req.db(), keysOf(call.req, idx), false); // counted once, by the call at home
        this.call = call;
        this.shard = shard;
        this.shardId = shard.id;
        this.idx = idx;
        this.strict = strict;
        this.alone = alone;
    }

    private static byte[][] keysOf(PopRequest req, int[] idx) {
        byte[][] keys = new byte[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            keys[i] = req.keys()[idx[i]];
        }
        return keys;
    }

    @Override
    int serve(ByteBuffer key) {
        if (claiming || !call.req.ready(shard, idx)) {
            return KeyWaiters.WAIT;
        }
        if (alone) {
            Future<byte[]> r = call.req.attempt(shard, idx, strict, call.moveHere(shardId));
            if (r == null) {
                return KeyWaiters.WAIT;
            }
            shard.waiters().finish(this);
            r.whenComplete((bytes, failure) -> toCall(() -> call.taken(this, bytes, failure)));
            return KeyWaiters.DONE;
        }
        claiming = true;
        heldKey = key;
        toCall(() -> call.claim(this));
        if (!claiming) { // answered at once: the call lives on this shard
            return done ? KeyWaiters.DONE : KeyWaiters.WAIT;
        }
        return KeyWaiters.HOLD;
    }

    /** The call let this waiter take. */
    void granted() {
        claiming = false;
        Future<byte[]> r = done ? null : call.req.attempt(shard, idx, strict, call.moveHere(shardId));
        if (r == null) {
            toCall(() -> call.gaveBack(this));
        } else {
            shard.waiters().finish(this);
            r.whenComplete((bytes, failure) -> toCall(() -> call.taken(this, bytes, failure)));
        }
        releaseHold();
    }

    /** The call has ended: this waiter leaves. */
    void refused() {
        claiming = false;
        shard.waiters().finish(this);
        releaseHold();
    }

    @Override
    void ended(byte[] reply) {
        // cancelled by the call, which gives the client its reply
    }

    private void releaseHold() {
        if (heldKey != null) {
            ByteBuffer k = heldKey;
            heldKey = null;
            shard.waiters().release(k);
        }
    }

    private void toCall(Runnable fn) {
        if (call.home == shardId) {
            fn.run();
        } else {
            io.shardline.shard.Shard.current().submitTo(call.home, () -> {
                fn.run();
                return null;
            });
        }
    }
}
