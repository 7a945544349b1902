package io.shardline.shard;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.core.Loop;
import io.shardline.core.LoopClosedException;
import io.shardline.core.Promise;
import io.shardline.core.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * One shard of a {@link ShardRuntime}: its loop and its end of the mesh. Owned by its shard's thread:
 * the calls below must be made on this shard ({@link #current()} inside a task), which {@code -ea}
 * asserts; {@link #id()}, {@link #cpu()}, {@link #stats()} and the mesh counters may be read from anywhere.
 *
 * <p>Every call returns a loop {@link Future} that completes on this shard, whichever shard did the
 * work. Calls from this shard to one other shard run there in the order they were made (FIFO per
 * pair); a function that throws fails only the caller's future.
 */
public final class Shard {
    private final int id;
    private final ShardRuntime runtime;
    private final Loop loop;
    private final MeshEndpoint endpoint;
    volatile int cpu = -1;

    Shard(int id, ShardRuntime runtime, Loop loop, MeshEndpoint endpoint) {
        this.id = id;
        this.runtime = runtime;
        this.loop = loop;
        this.endpoint = endpoint;
    }

    /** The shard the calling thread (or confined virtual thread) runs on, or null off every shard. */
    public static Shard current() {
        Loop l = Loop.current();
        return l != null ? l.service(Shard.class) : null;
    }

    public int id() {
        return id;
    }

    /** The CPU this shard is pinned to, or -1 when it runs unpinned. */
    public int cpu() {
        return cpu;
    }

    public Loop loop() {
        return loop;
    }

    public ShardRuntime runtime() {
        return runtime;
    }

    /** How many shards the runtime has. */
    public int count() {
        return runtime.shards();
    }

    /**
     * Runs {@code fn} on shard {@code target}; the future completes here with its result or exception.
     * To this shard itself it runs as a task on this loop.
     *
     * @throws IllegalArgumentException if {@code target} is not a shard id
     */
    public <T> Future<T> submitTo(int target, Callable<T> fn) {
        assert loop.inLoop() : "submitTo called from thread " + Thread.currentThread().getName() + ", not from " + this;
        checkTarget(target);
        return target == id ? loop.spawn(fn) : endpoint.send(target, fn, false);
    }

    /** Like {@link #submitTo}, for a function that returns a future on the target shard. */
    public <T> Future<T> submitToAsync(int target, Supplier<? extends Future<T>> fn) {
        assert loop.inLoop() : "submitToAsync called from thread " + Thread.currentThread().getName() + ", not from " + this;
        checkTarget(target);
        if (target == id) {
            Promise<T> p = new Promise<>(loop);
            loop.execute(new LocalAsync<>(p, fn));
            return p;
        }
        return endpoint.send(target, fn, true);
    }

    /** Runs {@code fn} on every shard, this one included; results in shard order. */
    public <T> Future<List<T>> invokeOnAll(Callable<T> fn) {
        List<Future<T>> all = new ArrayList<>(count());
        for (int s = 0; s < count(); s++) {
            all.add(submitTo(s, fn));
        }
        return Futures.all(all);
    }

    /** Runs {@code fn}, which returns a future, on every shard, this one included; results in shard order. */
    public <T> Future<List<T>> invokeOnAllAsync(Supplier<? extends Future<T>> fn) {
        List<Future<T>> all = new ArrayList<>(count());
        for (int s = 0; s < count(); s++) {
            all.add(submitToAsync(s, fn));
        }
        return Futures.all(all);
    }

    /** Runs {@code fn} on every shard but this one; results in shard order. */
    public <T> Future<List<T>> invokeOnOthers(Callable<T> fn) {
        List<Future<T>> all = new ArrayList<>(count() - 1);
        for (int s = 0; s < count(); s++) {
            if (s != id) {
                all.add(submitTo(s, fn));
            }
        }
        return Futures.all(all);
    }

    /** Runs {@code mapper} on every shard and folds the results here, in shard order. */
    public <T, R> Future<R> mapReduce(Callable<T> mapper, R initial, BiFunction<R, ? super T, R> reducer) {
        return invokeOnAll(mapper).map(results -> fold(results, initial, reducer));
    }

    /** Like {@link #mapReduce}, for a mapper that returns a future on its shard. */
    public <T, R> Future<R> mapReduceAsync(Supplier<? extends Future<T>> mapper, R initial,
                                           BiFunction<R, ? super T, R> reducer) {
        return invokeOnAllAsync(mapper).map(results -> fold(results, initial, reducer));
    }

    private static <T, R> R fold(List<T> results, R initial, BiFunction<R, ? super T, R> reducer) {
        R acc = initial;
        for (T r : results) {
            acc = reducer.apply(acc, r);
        }
        return acc;
    }

    /** This shard's counters; any thread. */
    public ShardStats stats() {
        return new ShardStats(id, cpu, endpoint.counter(MeshEndpoint.SENT), endpoint.counter(MeshEndpoint.SERVED),
                endpoint.counter(MeshEndpoint.REPLIES), endpoint.counter(MeshEndpoint.WAITS),
                endpoint.counter(MeshEndpoint.IN_FLIGHT), endpoint.counter(MeshEndpoint.WAITING), loop.stats());
    }

    /** Mesh messages (requests and replies) this shard has sent to shard {@code to}; any thread. */
    public long meshSentTo(int to) {
        checkTarget(to);
        return endpoint.sentTo(to);
    }

    /** Mesh messages this shard has taken from shard {@code from}'s queues and handled; any thread. */
    public long meshReceivedFrom(int from) {
        checkTarget(from);
        return endpoint.receivedFrom(from);
    }

    /** Mesh messages from shard {@code from} queued for this shard and not yet taken; any thread. */
    public long meshQueuedFrom(int from) {
        checkTarget(from);
        return endpoint.queuedFrom(from);
    }

    /** An async call to this shard itself: a task that fails its future if the loop closes first. */
    private record LocalAsync<T>(Promise<T> promise, Supplier<? extends Future<T>> fn) implements Task {
        @Override
        public void run() {
            try {
                fn.get().whenComplete(promise::tryComplete);
            } catch (Throwable t) {
                promise.tryFail(t);
            }
        }

        @Override
        public void abandon(LoopClosedException cause) {
            promise.tryFail(cause);
        }
    }

    private void checkTarget(int target) {
        if (target < 0 || target >= count()) {
            throw new IllegalArgumentException("shard " + target + " does not exist: shard ids are 0.." + (count() - 1));
        }
    }

    @Override
    public String toString() {
        return "shard " + id;
    }
}
