package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.examples.kv.resp.Argv;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One shard's intent locks on (database, key) pairs, for transactions and cross-shard multi-key
 * commands ({@link TxExec}). Owned by the {@link KvShard}; every method runs on its thread.
 *
 * <p>A request names its keys on this shard and either holds them until {@link #release} (a
 * transaction's or a cross-shard command's step) or only waits for them to be free and runs (an
 * ordinary command on a locked key). Requests are served first come, first served: one is granted when
 * none of its keys is held and none is named by a request still waiting ahead of it, so a later request
 * never overtakes an earlier one on a shared key, while requests on other keys go at once. A request's
 * keys on one shard are granted together or not at all, so a holder waiting here holds nothing here.
 *
 * <p>With nothing held or waiting, {@link #idle()} is one test and nothing is allocated: the path of a
 * command when no transaction runs.
 */
final class TxLocks {
    /** One locked (database, key); equal by content. */
    static final class Key {
        final int db;
        final byte[] key;
        private final int hash;

        Key(int db, byte[] key) {
            this.db = db;
            this.key = key;
            this.hash = Arrays.hashCode(key) * 31 + db;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.db == db && k.hash == hash && Arrays.equals(k.key, key);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private record Request(Key[] keys, boolean holds, Runnable onGrant) {
    }

    private final Set<Key> held = new HashSet<>();
    /** How many waiting requests name each key: a new request on one of them queues behind. */
    private final HashMap<Key, Integer> wanted = new HashMap<>();
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private boolean pumping;
    private boolean again;

    /** Nothing held, nothing waiting: a command needs no key check. */
    boolean idle() {
        return waiting.isEmpty() && held.isEmpty();
    }

    /** Whether a request on {@code keys} would have to wait now. */
    boolean conflicts(Key[] keys) {
        for (Key k : keys) {
            if (held.contains(k) || wanted.containsKey(k)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Grants {@code keys} now or, if one is held or wanted, once every request ahead on them is done;
     * then runs {@code onGrant} (on this thread). With {@code holds} the keys stay held until
     * {@link #release}; without, the request only waits its turn.
     */
    void acquire(Key[] keys, boolean holds, Runnable onGrant) {
        if (!conflicts(keys)) {
            if (holds) {
                hold(keys);
            }
            onGrant.run();
            return;
        }
        waiting.add(new Request(keys, holds, onGrant));
        for (Key k : keys) {
            wanted.merge(k, 1, Integer::sum);
        }
    }

    private void hold(Key[] keys) {
        for (Key k : keys) { // no list view per grant: this runs for every transaction's part
            held.add(k);
        }
    }

    /** Releases keys a holding request was granted, and grants what waited on them. */
    void release(Key[] keys) {
        for (Key k : keys) {
            held.remove(k);
        }
        pump();
    }

    /** Grants, in arrival order, each waiting request none of whose keys is held or wanted ahead of it. */
    private void pump() {
        if (pumping) {
            again = true; // a grant released keys: scan again once this pass is done
            return;
        }
        pumping = true;
        try {
            do {
                again = false;
                List<Request> granted = null;
                Set<Key> blocked = null;
                for (Iterator<Request> it = waiting.iterator(); it.hasNext();) {
                    Request r = it.next();
                    if (free(r.keys, blocked)) {
                        it.remove();
                        for (Key k : r.keys) {
                            wanted.computeIfPresent(k, (key, n) -> n == 1 ? null : n - 1);
                        }
                        if (r.holds) {
                            hold(r.keys);
                        }
                        (granted == null ? granted = new ArrayList<>() : granted).add(r);
                    } else {
                        if (blocked == null) {
                            blocked = new HashSet<>();
                        }
                        blocked.addAll(Arrays.asList(r.keys));
                    }
                }
                if (granted != null) {
                    for (Request r : granted) { // in arrival order, after the scan: a grant may queue new requests
                        r.onGrant.run();
                    }
                }
            } while (again);
        } finally {
            pumping = false;
        }
    }

    private boolean free(Key[] keys, Set<Key> blocked) {
        for (Key k : keys) {
            if (held.contains(k) || (blocked != null && blocked.contains(k))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code run} (an ordinary command on {@code keys}) now if none of its keys is locked, else
     * once they are free, in turn; its future completes on {@code loop}, this shard's.
     */
    <T> Future<T> whenFree(Key[] keys, Loop loop, Supplier<Future<T>> run) {
        if (!conflicts(keys)) {
            return run.get();
        }
        Promise<T> done = new Promise<>(loop);
        acquire(keys, false, () -> {
            try {
                run.get().whenComplete(done::tryComplete);
            } catch (RuntimeException e) {
                done.tryFail(e);
            }
        });
        return done;
    }

    /** The keys of a data command by its table positions, in database {@code db}. */
    static Key[] keysOf(CommandSpec spec, Argv argv, int db) {
        if (spec.firstKey() <= 0 || argv.count() <= spec.firstKey()) {
            return new Key[0];
        }
        int last = spec.lastKey() < 0 ? argv.count() + spec.lastKey() : Math.min(spec.lastKey(), argv.count() - 1);
        int step = Math.max(1, spec.keyStep());
        Key[] keys = new Key[(last - spec.firstKey()) / step + 1];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new Key(db, argv.bytes(spec.firstKey() + i * step));
        }
        return keys;
    }

    /** How many requests wait now (INFO, tests). */
    int waiting() {
        return waiting.size();
    }
}
