package io.shardline.core;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The process-wide watchdog that notices loops stuck in one task. Its own daemon thread does all the
 * checking; loops only register, unregister and bump their progress counter.
 *
 * <p>A loop bumps an opaque progress counter before each task and each poll pass, which costs it a
 * plain store. The watchdog samples every loop at a quarter of the smallest threshold: a loop that is
 * not parked and whose counter has not moved for its threshold is stalled in one task, unless its
 * thread spent part of that time runnable but waiting for a CPU (Linux's run-queue time, see
 * {@link RunQueueTime}): that part is the machine's doing (other threads on the loop's CPU, a JIT
 * compiler during warm-up), so it does not count, and the report says how much there was. Each stall
 * is counted and recorded as a JFR event, and its length goes to the loop's {@link StallHistogram} when
 * it ends; reports (with the loop thread's stack) are rate-limited per
 * loop. While all loops are parked it samples less and less often (down to 5 per second); when no
 * loop is registered it parks and costs nothing.
 */
final class StallWatchdog implements Runnable {
    static final StallWatchdog INSTANCE = new StallWatchdog();

    private final CopyOnWriteArrayList<Watched> watched = new CopyOnWriteArrayList<>();
    private static final long MAX_IDLE_PERIOD_NANOS = 200_000_000L;

    private volatile Thread thread;
    /** Sampling period while every loop is parked; watchdog thread only. */
    private long idlePeriod;
    /** Completed passes over all loops; written by the watchdog thread only, read by tests. */
    private volatile long sweeps;

    /** Per-loop sampling state; touched only by the watchdog thread after registration (or a test). */
    static final class Watched {
        final Loop loop;
        long lastProgress = -1;
        long sinceNanos;
        /** Whether the current stall candidate's run-queue time has been sampled. */
        boolean sampled;
        /** The loop thread's run-queue time when the candidate was first seen; -1 if unknown. */
        long waitAtStart = -1;
        boolean reportedThisStall;
        long lastReportNanos;
        long suppressed;

        Watched(Loop loop) {
            this.loop = loop;
        }
    }

    void register(Loop loop) {
        watched.add(new Watched(loop));
        Thread t = thread;
        if (t == null) {
            synchronized (this) {
                if (thread == null) {
                    t = Thread.ofPlatform().daemon().name("shardline-watchdog").unstarted(this);
                    thread = t;
                    t.start();
                    return;
                }
                t = thread;
            }
        }
        LockSupport.unpark(t);
    }

    long sweeps() {
        return sweeps;
    }

    void unregister(Loop loop) {
        watched.removeIf(w -> w.loop == loop);
    }

    @Override
    public void run() {
        while (true) {
            if (watched.isEmpty()) {
                LockSupport.park(this);
                continue;
            }
            long now = System.nanoTime();
            long period = Long.MAX_VALUE;
            boolean allParked = true;
            for (Watched w : watched) {
                check(w, now);
                period = Math.min(period, w.loop.config().stallThresholdNanos / 4);
                allParked &= w.loop.isIdle();
            }
            sweeps = sweeps + 1; // single writer
            // While every loop sleeps, back off so an idle process stays idle; a stall that starts
            // meanwhile is still caught, at most MAX_IDLE_PERIOD late (its duration counts from then).
            idlePeriod = allParked ? Math.min(Math.max(idlePeriod * 2, period), MAX_IDLE_PERIOD_NANOS) : 0;
            LockSupport.parkNanos(this, Math.max(Math.max(period, idlePeriod), 1_000_000));
        }
    }

    /** One look at one loop at time {@code now}; package-private so tests can play the clock. */
    void check(Watched w, long now) {
        Loop loop = w.loop;
        long progress = loop.progress();
        if (progress != w.lastProgress || loop.isIdle()) {
            if (w.reportedThisStall) {
                // The counted stall is over: its whole length, seen at most one sampling period late.
                loop.stallDurations().record(now - w.sinceNanos);
            }
            w.lastProgress = progress;
            w.sinceNanos = now;
            w.sampled = false;
            w.reportedThisStall = false;
            return;
        }
        if (w.reportedThisStall) {
            return;
        }
        RunQueueTime runQueue = loop.runQueueTime();
        if (!w.sampled) {
            // Read only for a loop that has not moved since the last sweep, which is rare: a busy loop
            // costs the watchdog nothing. Waiting before this sample (at most one period) still counts.
            w.sampled = true;
            w.waitAtStart = runQueue.nanos();
        }
        long stalled = now - w.sinceNanos;
        LoopConfig config = loop.config();
        if (stalled < config.stallThresholdNanos) {
            return;
        }
        long waited = 0;
        if (w.waitAtStart >= 0) {
            waited = Math.max(0, runQueue.nanos() - w.waitAtStart);
        }
        if (stalled - waited < config.stallThresholdNanos) {
            return; // preempted for part of it: the task has not yet had its threshold of the thread's time
        }
        w.reportedThisStall = true;
        Thread loopThread = loop.thread();
        StackTraceElement[] stack = loopThread != null ? loopThread.getStackTrace() : new StackTraceElement[0];
        loop.countStall();
        StallReport report = new StallReport(config.id, config.name,
                loopThread != null ? loopThread.getName() : "?", stalled, waited, stack, w.suppressed);
        StallEvent event = new StallEvent();
        if (event.isEnabled()) {
            event.loopId = config.id;
            event.thread = report.threadName();
            event.stalledNanos = stalled;
            event.waitedNanos = waited;
            event.stack = report.stackText();
            event.commit();
        }
        if (w.lastReportNanos != 0 && now - w.lastReportNanos < config.stallReportIntervalNanos) {
            w.suppressed++;
            return;
        }
        w.lastReportNanos = now;
        w.suppressed = 0;
        try {
            config.stallListener.accept(report);
        } catch (Throwable t) {
            Loop.logUncaught(loop, t);
        }
    }
}
