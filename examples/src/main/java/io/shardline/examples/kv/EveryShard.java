package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.shard.Shard;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Runs a command's part on every shard, in the order a connection's requests must see: this shard's
 * part at once, like a single-key command for this shard would run, and the other parts over the
 * mesh, behind the earlier requests already sent there (FIFO per pair). Going through
 * {@link Shard#invokeOnAll} would queue this shard's part as a task, after requests pipelined later.
 * Stateless; called on the connection's shard.
 */
final class EveryShard {
    private EveryShard() {
    }

    /** {@code fn}'s result on every shard, in shard order. */
    static <T> Future<List<T>> call(Shard here, Callable<T> fn) {
        List<Future<T>> parts = new ArrayList<>(here.count());
        for (int s = 0; s < here.count(); s++) {
            if (s == here.id()) {
                try {
                    parts.add(Future.succeeded(fn.call()));
                } catch (Exception e) {
                    parts.add(Future.failed(e));
                }
            } else {
                parts.add(here.submitTo(s, fn));
            }
        }
        return Futures.all(parts);
    }

    /**
     * {@link #call} over the shards of the connection's node: every shard, or in cluster mode the
     * connection's own, which is the whole node (DBSIZE, KEYS, FLUSHALL answer for one node there).
     */
    static <T> Future<List<T>> node(KvConnection c, Callable<T> fn) {
        if (c.server.cluster() == null) {
            return call(c.shard(), fn);
        }
        try {
            return Future.succeeded(List.of(fn.call()));
        } catch (Exception e) {
            return Future.failed(e);
        }
    }

    /** {@link #callAsync} over the shards of the connection's node, as {@link #node}. */
    static <T> Future<List<T>> nodeAsync(KvConnection c, Supplier<? extends Future<T>> fn) {
        if (c.server.cluster() == null) {
            return callAsync(c.shard(), fn);
        }
        try {
            return fn.get().map(List::of);
        } catch (RuntimeException e) {
            return Future.failed(e);
        }
    }

    /** Like {@link #call}, for a part that completes later (a logged write). */
    static <T> Future<List<T>> callAsync(Shard here, Supplier<? extends Future<T>> fn) {
        List<Future<T>> parts = new ArrayList<>(here.count());
        for (int s = 0; s < here.count(); s++) {
            if (s == here.id()) {
                try {
                    parts.add(fn.get());
                } catch (RuntimeException e) {
                    parts.add(Future.failed(e));
                }
            } else {
                parts.add(here.submitToAsync(s, fn));
            }
        }
        return Futures.all(parts);
    }
}
