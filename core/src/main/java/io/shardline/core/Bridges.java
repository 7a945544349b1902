package io.shardline.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Bridges between loop futures and {@link CompletableFuture}, for code outside the runtime. Stateless;
 * each method says from which thread it may be called.
 */
public final class Bridges {
    private Bridges() {
    }

    /**
     * A {@link CompletableFuture} completed with {@code future}'s outcome, for code outside the loop. Call
     * on the future's loop. It is completed on the loop's thread, so its synchronous dependents run there:
     * keep them short.
     */
    public static <T> CompletableFuture<T> toCompletableFuture(Future<T> future) {
        if (future.isSucceeded()) {
            return CompletableFuture.completedFuture(future.getNow());
        }
        if (future.isFailed()) {
            return CompletableFuture.failedFuture(future.cause());
        }
        CompletableFuture<T> cf = new CompletableFuture<>();
        completeWith(cf, future);
        return cf;
    }

    /** Completes {@code cf} with {@code future}'s outcome when it has one. Call on the future's loop. */
    static <T> void completeWith(CompletableFuture<T> cf, Future<T> future) {
        future.whenComplete((v, e) -> {
            if (e != null) {
                cf.completeExceptionally(e);
            } else {
                cf.complete(v);
            }
        });
    }

    /**
     * A future on {@code loop} completed with the outcome of {@code stage}, which may complete on any
     * thread; the completion crosses to the loop through its inbox. Call on the loop.
     */
    public static <T> Future<T> fromCompletionStage(Loop loop, CompletionStage<T> stage) {
        Promise<T> p = new Promise<>(loop);
        stage.whenComplete((v, e) -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (loop.inLoop()) {
                p.tryComplete(v, cause);
            } else {
                loop.execute(() -> p.tryComplete(v, cause));
            }
        });
        return p;
    }
}
