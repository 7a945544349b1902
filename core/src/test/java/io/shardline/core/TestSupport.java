package io.shardline.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Helpers for tests that wait across threads: bounded, and without sleeping. */
final class TestSupport {
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private TestSupport() {
    }

    static <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("future failed", e.getCause());
        } catch (Exception e) {
            throw new AssertionError("future did not complete in " + PATIENCE, e);
        }
    }

    static Throwable failureOf(CompletableFuture<?> f) {
        try {
            f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("future did not complete in " + PATIENCE, e);
        }
        throw new AssertionError("future succeeded, expected a failure");
    }

    /** Spins (yielding) until {@code condition} holds; fails after {@link #PATIENCE}. */
    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.yield();
        }
    }
}
