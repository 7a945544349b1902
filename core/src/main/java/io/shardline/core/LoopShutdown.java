package io.shardline.core;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a loop closes, and whether it has. Owned by its loop: the sequence runs once, on the loop's
 * thread (or on the thread that closes a loop nobody ever drove); {@link #isTerminated},
 * {@link #awaitTermination} and {@link #abandonLateSubmissions} may be called from any thread.
 *
 * <p>The sequence: run the close hooks (components fail the futures they track); abandon armed timers
 * and queued tasks, failing their futures with {@link LoopClosedException}; interrupt the confined
 * virtual threads and keep running only their queue until they end or the close timeout passes; then
 * mark the loop terminated and fail whatever reached the inbox after it stopped polling.
 */
final class LoopShutdown {
    private static final System.Logger LOG = System.getLogger("io.shardline.core");
    /** Vthread continuations run per round of the drain, so the inbox and timers are swept between. */
    private static final int DRAIN_BATCH = 4096;

    private final Loop loop;
    private final TaskScheduler scheduler;
    private final TimerWheel timers;
    private final ConfinedThreads threads;
    private final ForeignInbox inbox;
    private final WakeState wake;
    private final Parker parker;
    private final long closeTimeoutNanos;
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Serialises failing late submissions with the closing of a loop nobody drove. Cold path only. */
    private final Object lateInboxLock = new Object();
    private Runnable[] hooks = new Runnable[0];
    private volatile boolean terminatedFlag;

    LoopShutdown(Loop loop, TaskScheduler scheduler, TimerWheel timers, ConfinedThreads threads,
                 ForeignInbox inbox, WakeState wake, Parker parker, long closeTimeoutNanos) {
        this.loop = loop;
        this.scheduler = scheduler;
        this.timers = timers;
        this.threads = threads;
        this.inbox = inbox;
        this.wake = wake;
        this.parker = parker;
        this.closeTimeoutNanos = closeTimeoutNanos;
    }

    /** Adds a hook run first in the sequence. On the loop, or before it starts. */
    void addHook(Runnable hook) {
        Runnable[] h = Arrays.copyOf(hooks, hooks.length + 1);
        h[h.length - 1] = hook;
        hooks = h;
    }

    /** True once the sequence has finished. Any thread. */
    boolean isTerminated() {
        return terminatedFlag;
    }

    boolean awaitTermination(long timeoutNanos) throws InterruptedException {
        return terminated.await(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Waits, uninterruptibly, until the sequence has finished; keeps the caller's interrupt status. */
    void awaitTerminationUninterruptibly(Thread loopThread) {
        boolean interrupted = false;
        while (true) {
            try {
                terminated.await();
                // The latch opens in the thread's last finally; wait for the thread itself to end too.
                loopThread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs the sequence on a thread standing in for the owner of a loop nobody drove, unless it has
     * already terminated; {@code becomeOwner} makes the calling thread the loop's owner first.
     */
    void runInPlaceOfOwner(Runnable becomeOwner) {
        synchronized (lateInboxLock) {
            if (!terminatedFlag) {
                becomeOwner.run();
                run();
            }
        }
    }

    /** The sequence; on the loop's (or the standing-in) thread, once. */
    void run() {
        LoopClosedException cause = loop.closedException();
        try {
            for (Runnable hook : hooks) {
                try {
                    hook.run();
                } catch (Throwable t) {
                    loop.reportUncaught(t);
                }
            }
            timers.abandonAll(cause);
            threads.interruptAll();
            drainVirtualThreads(cause);
            for (int round = 0; round < 1000 && (scheduler.hasTasks() || timers.size() > 0); round++) {
                scheduler.abandonAllExcept(null, cause);
                timers.abandonAll(cause);
            }
        } finally {
            try {
                parker.close(); // last: close hooks and the final parks may still have used it
            } catch (Throwable t) {
                loop.reportUncaught(t);
            }
            terminatedFlag = true;
            abandonLateSubmissions();
            loop.unbind();
            terminated.countDown();
        }
    }

    /** Runs only the confined threads' queue, abandoning everything else, until they end or time runs out. */
    private void drainVirtualThreads(LoopClosedException cause) {
        long deadline = System.nanoTime() + closeTimeoutNanos;
        TaskQueue vthreads = threads.queue();
        while (true) {
            inbox.poll();
            scheduler.abandonAllExcept(vthreads, cause);
            timers.abandonAll(cause);
            int ran = scheduler.runOnly(vthreads, DRAIN_BATCH);
            if (threads.liveCount() == 0) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                LOG.log(System.Logger.Level.WARNING, loop + ": " + threads.liveCount()
                        + " confined virtual threads did not finish within the close timeout; abandoning them");
                return;
            }
            if (ran == 0) {
                // The same wake-up protocol as an idle park: a resumed thread's producer wakes us.
                wake.setParked();
                if (inbox.isEmpty() && !scheduler.hasTasks()) {
                    parker.park(1_000_000);
                }
                wake.setAwake();
            }
        }
    }

    /** Fails whatever reached the inbox after the loop stopped polling it. Any thread; after termination only. */
    void abandonLateSubmissions() {
        synchronized (lateInboxLock) {
            LoopClosedException cause = null;
            Runnable r;
            while ((r = inbox.pollOne()) != null) {
                if (cause == null) {
                    cause = loop.closedException();
                }
                loop.abandon(r, cause);
            }
        }
    }
}
