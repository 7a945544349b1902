package io.shardline.shard;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.shardline.core.Future;
import io.shardline.core.LoopConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Helpers for shard tests: every wait is bounded, nothing sleeps, nothing measures wall time. */
final class ShardTestSupport {
    /** How long any single wait may take before the test fails (not a timing assertion: a hang guard). */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private ShardTestSupport() {
    }

    /** The value of {@code f}; fails the test if it failed or did not complete within {@link #PATIENCE}. */
    static <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("future failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("future did not complete within " + PATIENCE, e);
        }
    }

    /** The failure of {@code f}; fails the test if it succeeded or did not complete within {@link #PATIENCE}. */
    static Throwable failureOf(CompletableFuture<?> f) {
        Object v;
        try {
            v = f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("future did not complete within " + PATIENCE, e);
        }
        throw new AssertionError("future succeeded with " + v + ", expected a failure");
    }

    /** The value of {@code f}, or its failure (a Throwable), once it completes within {@link #PATIENCE}. */
    static Object outcome(CompletableFuture<?> f) {
        try {
            return f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("future did not complete within " + PATIENCE, e);
        }
    }

    /** Runs {@code body} on shard {@code shard} (from outside) and waits for the loop future it returns. */
    static <T> T onShard(ShardRuntime rt, int shard, Supplier<? extends Future<T>> body) {
        return get(rt.submitAsync(shard, body));
    }

    /** The shard the calling code runs on; fails if it is not on one. */
    static Shard here() {
        Shard s = Shard.current();
        assertNotNull(s, "not on a shard: thread " + Thread.currentThread().getName());
        return s;
    }

    /** Spins (yielding) until {@code condition} holds; fails after {@link #PATIENCE}. */
    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + PATIENCE + " waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Waits for a latch, bounded; fails the test on timeout. */
    static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("timed out after " + PATIENCE + " waiting for: " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for: " + what, e);
        }
    }

    /** For a task on a shard that must block until the test releases it; bounded so a failed test cannot hang. */
    static boolean block(CountDownLatch started, CountDownLatch release) throws InterruptedException {
        started.countDown();
        return release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True when the JVM runs with {@code -ea} for this package. */
    static boolean assertionsEnabled() {
        boolean on = false;
        assert on = true;
        return on;
    }

    /**
     * Loop settings for tests that block a shard on purpose: collect exceptions nobody observed (so a
     * test can assert there were none) and keep stall reports out of the log.
     */
    static Consumer<LoopConfig.Builder> quiet(ConcurrentLinkedQueue<Throwable> uncaught) {
        return b -> b.uncaughtHandler((loop, t) -> uncaught.add(t))
                .stallThreshold(Duration.ofMinutes(5))
                .stallListener(r -> { });
    }

    /** The shard threads of {@code rt}, by id. */
    static List<Thread> threads(ShardRuntime rt) {
        Thread[] out = new Thread[rt.shards()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rt.shard(i).loop().thread();
            assertNotNull(out[i], "shard " + i + " has no thread");
        }
        return List.of(out);
    }

    /** Waits (bounded, by join) for every shard thread of {@code rt} to end. */
    static void assertThreadsEnd(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join(PATIENCE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            assertFalse(t.isAlive(), t.getName() + " is still alive after close");
        }
    }

    /** Asserts {@code actual} is exactly {@code from, from+1, ... to-1}, naming the first place it differs. */
    static void assertRange(int from, int to, List<Integer> actual, String what) {
        int n = to - from;
        for (int i = 0; i < Math.min(n, actual.size()); i++) {
            if (actual.get(i) != from + i) {
                throw new AssertionError(what + ": at index " + i + " expected " + (from + i) + " but was " + actual.get(i)
                        + " (next: " + actual.subList(i, Math.min(actual.size(), i + 8)) + ")");
            }
        }
        if (actual.size() != n) {
            throw new AssertionError(what + ": expected " + n + " elements (" + from + ".." + (to - 1) + ") but got "
                    + actual.size());
        }
    }

    /** True when shard {@code i}'s thread is parked in its loop with nothing to do. */
    static boolean parked(ShardRuntime rt, int i) {
        Shard s = rt.shard(i);
        return s.loop().stats().parks() > 0 && s.loop().thread().getState() == Thread.State.WAITING;
    }
}
