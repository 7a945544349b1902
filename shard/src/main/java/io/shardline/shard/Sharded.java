package io.shardline.shard;

import io.shardline.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One instance of a service per shard, like Seastar's {@code sharded<S>}. The handle is thread-safe
 * and may be shared; instance i is touched only on shard i.
 *
 * <p>Keys route with {@link ShardHash}: {@code CRC32C(key bytes) mod shards}, stable across runs and
 * JVMs. Instances are created in shard order and closed ({@link AutoCloseable}) in reverse order, each
 * on its own shard.
 *
 * @param <S> the service type
 */
public final class Sharded<S> implements AutoCloseable {
    private static final long STEP_TIMEOUT_SECONDS = 60;

    private final ShardRuntime runtime;
    private final Object[] instances;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Sharded(ShardRuntime runtime, Object[] instances) {
        this.runtime = runtime;
        this.instances = instances;
    }

    static <S> Sharded<S> start(ShardRuntime runtime, Function<Shard, S> factory) {
        Object[] instances = new Object[runtime.shards()];
        for (int i = 0; i < instances.length; i++) {
            int id = i;
            try {
                // Written on shard i; the CompletableFuture hand-off publishes it to every later reader.
                instances[i] = await(runtime.submit(i, () -> factory.apply(runtime.shard(id))), "start", i);
            } catch (RuntimeException e) {
                // Started together or not at all: stop the ones already running, last first.
                try {
                    new Sharded<S>(runtime, instances).close();
                } catch (RuntimeException stopFailure) {
                    e.addSuppressed(stopFailure);
                }
                throw e;
            }
        }
        return new Sharded<>(runtime, instances);
    }

    /** The instance on the calling shard. */
    @SuppressWarnings("unchecked")
    public S local() {
        Shard s = Shard.current();
        if (s == null || s.runtime() != runtime) {
            throw new IllegalStateException("local() must be called on one of this runtime's shards, not from thread "
                    + Thread.currentThread().getName());
        }
        return (S) instances[s.id()];
    }

    /** The shard that owns {@code key}: byte[], CharSequence or an integral number. */
    public int shardOf(Object key) {
        return ShardHash.shardOf(key, runtime.shards());
    }

    /** Runs {@code fn} on the instance that owns {@code key}; call from a shard. */
    public <R> Future<R> invokeOn(Object key, Function<S, R> fn) {
        return invokeOnShard(shardOf(key), fn);
    }

    /** Runs {@code fn} on shard {@code shard}'s instance; call from a shard. */
    public <R> Future<R> invokeOnShard(int shard, Function<S, R> fn) {
        return here().submitTo(shard, () -> fn.apply(local()));
    }

    /** Runs {@code fn} on every instance; results in shard order. Call from a shard. */
    public <R> Future<List<R>> invokeOnAll(Function<S, R> fn) {
        return here().invokeOnAll(() -> fn.apply(local()));
    }

    /** From outside the runtime: runs {@code fn} on the instance that owns {@code key}. */
    public <R> CompletableFuture<R> submit(Object key, Function<S, R> fn) {
        return runtime.submit(shardOf(key), () -> fn.apply(local()));
    }

    /** Closes the instances that are {@link AutoCloseable}, last shard first, each on its shard. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Throwable> failures = new ArrayList<>();
        for (int i = instances.length - 1; i >= 0; i--) {
            int id = i;
            if (instances[i] instanceof AutoCloseable c) {
                try {
                    await(runtime.submit(id, () -> {
                        c.close();
                        return null;
                    }), "stop", id);
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("stopping a sharded service failed on "
                    + failures.size() + " shard(s)", failures.get(0));
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    private Shard here() {
        Shard s = Shard.current();
        if (s == null || s.runtime() != runtime) {
            throw new IllegalStateException("call from one of this runtime's shards (or use submit from outside), not from thread "
                    + Thread.currentThread().getName());
        }
        return s;
    }

    private static <T> T await(CompletableFuture<T> f, String what, int shard) {
        try {
            return f.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " of the service on shard " + shard + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " of the service on shard " + shard + " took over "
                    + STEP_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what + " on shard " + shard, e);
        }
    }
}
