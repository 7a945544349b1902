package io.shardline.storage;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import io.shardline.core.ManualClock;
import io.shardline.core.ring.Ring;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A started loop on a manual clock for storage tests; the test thread drives it through {@link #call}.
 * When the suite tests the ring backend ({@code -Dshardline.storage.fileio=ring}) the loop parks on an
 * io_uring {@link Ring}, so {@link Storage#fileIo} puts its files on that ring.
 */
final class LoopHarness implements AutoCloseable {
    final ManualClock clock = new ManualClock();
    final Loop loop = Loop.start(config("storage-test").clock(clock).build());

    /** A loop config for the backend under test: with a ring parker when testing the ring. */
    static LoopConfig.Builder config(String name) {
        LoopConfig.Builder b = LoopConfig.builder().name(name);
        return testsRing() ? b.parker(Ring::new) : b;
    }

    /** Whether this run tests the ring backend (asked for, and io_uring can be set up here). */
    static boolean testsRing() {
        return "ring".equals(System.getProperty(Storage.FILEIO_PROPERTY)) && Ring.available();
    }

    /** Runs {@code body} on the loop and waits for its future; a failure is rethrown as its cause. */
    <T> T call(Supplier<? extends Future<T>> body) throws Exception {
        return call(loop, body);
    }

    /** Runs {@code body} on the loop and returns its value. */
    <T> T onLoop(java.util.concurrent.Callable<T> body) throws Exception {
        return onLoop(loop, body);
    }

    /** {@link #call(Supplier)} on any started {@code loop}, for tests that need a loop of their own. */
    static <T> T call(Loop loop, Supplier<? extends Future<T>> body) throws Exception {
        try {
            return loop.callAsync(body).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** {@link #onLoop(java.util.concurrent.Callable)} on any started {@code loop}. */
    static <T> T onLoop(Loop loop, java.util.concurrent.Callable<T> body) throws Exception {
        return loop.call(body).get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        loop.close();
    }
}
