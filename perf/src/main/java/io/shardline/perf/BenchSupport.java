package io.shardline.perf;

import io.shardline.core.Loop;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** Helpers shared by the JMH benchmark states. */
final class BenchSupport {
    private BenchSupport() {
    }

    /** Daemon threads, so a benchmark that fails before its tear-down cannot keep a fork alive. */
    static ThreadFactory daemonThreads(String name) {
        return Thread.ofPlatform().name(name).daemon(true).factory();
    }

    static void shutdown(ExecutorService executor) throws InterruptedException {
        executor.shutdownNow();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(executor + " did not stop within 10 s");
        }
    }

    /**
     * A hand-driven loop is bound to the thread that first ran it; JMH runs every iteration of a
     * thread-scoped state on the same worker thread, and this makes sure of it (without -ea the
     * loop's own owner checks are off, and a foreign thread would silently take the slow path).
     */
    static void requireLoopThread(Loop loop) {
        if (loop.thread() != Thread.currentThread()) {
            throw new IllegalStateException("benchmark iteration runs on thread '" + Thread.currentThread().getName()
                    + "' but the hand-driven loop is bound to " + loop.thread());
        }
    }
}
