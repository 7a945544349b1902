package io.shardline.core;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;

/**
 * Blocking-style waiting for a loop future, for code in a virtual thread confined to that loop
 * ({@link Loop#spawnThread}). Stateless; {@link #await} may be called only from such a virtual thread.
 */
public final class Await {
    private Await() {
    }

    /**
     * Waits for {@code future}'s value: parks the calling confined virtual thread, never the loop. A
     * failure is thrown wrapped in a {@link CompletionException} (a cancellation as itself); on the loop
     * thread itself, or off every loop, this throws {@link IllegalStateException}, since it would block
     * every task on the loop. An interrupt (the loop closing interrupts its virtual threads) ends the wait
     * with the loop's {@link LoopClosedException}, or a {@link CancellationException} otherwise.
     */
    public static <T> T await(Future<T> future) {
        if (!future.isDone()) {
            awaitPending(future);
        }
        return future.getNow();
    }

    private static void awaitPending(Future<?> future) {
        Thread me = Thread.currentThread();
        Loop current = Loop.current();
        if (!me.isVirtual() || current == null) {
            throw new IllegalStateException("await() would block " + (current != null ? current : "thread " + me.getName())
                    + "; call it inside loop.spawnThread(...), or chain with map/flatMap");
        }
        Loop owner = future.owner();
        if (owner != null && owner != current) {
            throw new IllegalStateException("await() on a future of " + owner + " from a virtual thread of " + current);
        }
        future.addListener((v, e) -> LockSupport.unpark(me));
        while (!future.isDone()) {
            LockSupport.park(future);
            if (!future.isDone() && me.isInterrupted()) {
                if (current.isClosing()) {
                    throw current.closedException();
                }
                throw new CancellationException("interrupted while awaiting a future on " + current);
            }
        }
    }
}
