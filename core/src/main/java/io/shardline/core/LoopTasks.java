package io.shardline.core;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The kinds of task a loop queues for its own API ({@link Loop#spawn}, {@link Loop#call},
 * {@link Loop#callAsync}, {@link Loop#sleep}, a confined virtual thread resumed from outside). Each
 * runs on, and is owned by, the loop that queued it; not thread-safe.
 *
 * <p>Each is a {@link Task}, so when the loop closes before running it, whoever waits for its result is
 * failed with the loop's {@link LoopClosedException} instead of waiting forever.
 */
final class LoopTasks {
    private LoopTasks() {
    }

    /** {@link Loop#spawn}: runs the body and completes a loop future with its outcome. */
    record Spawn<T>(Promise<T> promise, Callable<T> body) implements Task {
        @Override
        public void run() {
            T v;
            try {
                v = body.call();
            } catch (Throwable t) {
                promise.tryFail(t);
                return;
            }
            promise.trySucceed(v);
        }

        @Override
        public void abandon(LoopClosedException cause) {
            promise.tryFail(cause);
        }
    }

    /** {@link Loop#call}: runs the body and completes a {@link CompletableFuture} for a caller off the loop. */
    record Call<T>(CompletableFuture<T> result, Callable<T> body) implements Task {
        @Override
        public void run() {
            try {
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }

        @Override
        public void abandon(LoopClosedException cause) {
            result.completeExceptionally(cause);
        }
    }

    /** {@link Loop#callAsync}: like {@link Call}, for a body whose result is a loop future. */
    record CallAsync<T>(CompletableFuture<T> result, Supplier<? extends Future<T>> body) implements Task {
        @Override
        public void run() {
            Future<T> f;
            try {
                f = body.get();
            } catch (Throwable t) {
                result.completeExceptionally(t);
                return;
            }
            Bridges.completeWith(result, f);
        }

        @Override
        public void abandon(LoopClosedException cause) {
            result.completeExceptionally(cause);
        }
    }

    /** {@link Loop#sleep}: the timer action that succeeds the sleep's future. */
    record Sleep(Promise<Void> promise) implements Task {
        @Override
        public void run() {
            promise.trySucceed(null);
        }

        @Override
        public void abandon(LoopClosedException cause) {
            promise.tryFail(cause);
        }
    }

    /**
     * A confined virtual thread's continuation arriving from another thread: the inbox routes it to the
     * loop's virtual-thread queue rather than the default one. Not a {@link Task}: a continuation is
     * never abandoned, the thread is interrupted and unwinds instead.
     */
    record Resume(Runnable continuation) implements Runnable {
        @Override
        public void run() {
            continuation.run();
        }
    }
}
