package io.shardline.storage;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import io.shardline.core.ManualClock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A started loop on a manual clock for storage tests; the test thread drives it through {@link #call}. */
final class LoopHarness implements AutoCloseable {
    final ManualClock clock = new ManualClock();
    final Loop loop = Loop.start(LoopConfig.builder().name("storage-test").clock(clock).build());

    /** Runs {@code body} on the loop and waits for its future; a failure is rethrown as its cause. */
    <T> T call(Supplier<? extends Future<T>> body) throws Exception {
        try {
            return loop.callAsync(body).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Runs {@code body} on the loop and returns its value. */
    <T> T onLoop(java.util.concurrent.Callable<T> body) throws Exception {
        return loop.call(body).get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        loop.close();
    }
}
