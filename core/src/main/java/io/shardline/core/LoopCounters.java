package io.shardline.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

abstract class LoopCountersPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

abstract class LoopCountersFields extends LoopCountersPad0 {
    /** Depth of synchronous continuation calls (see Future); loop thread only, plain access. */
    int continuationDepth;
    long progress;
    long tasksRun;
    long polls;
    long iterations;
    long parks;
    long parkedNanos;
    long parkStartNanos;
    long timersFired;
    long uncaught;
    long pendingTasks;
    long timersPending;
    long liveThreads;
    long inboxFullWaits;
    long stalls;
    long wakeups;
}

/**
 * Per-loop counters. Written by the loop thread with opaque stores (wakeups, stalls and inbox
 * waits by other threads, atomically); read from any thread without locks.
 *
 * <p>Opaque is enough: readers want a recent value of each counter, not a consistent snapshot across
 * them. The fields sit between pads because readers on other cores would otherwise pull the line the
 * loop writes on every iteration.
 */
final class LoopCounters extends LoopCountersFields {
    long p10, p11, p12, p13, p14, p15, p16, p17;

    static final VarHandle PROGRESS = handle("progress");
    static final VarHandle TASKS_RUN = handle("tasksRun");
    static final VarHandle POLLS = handle("polls");
    static final VarHandle ITERATIONS = handle("iterations");
    static final VarHandle PARKS = handle("parks");
    static final VarHandle PARKED_NANOS = handle("parkedNanos");
    static final VarHandle PARK_START_NANOS = handle("parkStartNanos");
    static final VarHandle TIMERS_FIRED = handle("timersFired");
    static final VarHandle UNCAUGHT = handle("uncaught");
    static final VarHandle PENDING_TASKS = handle("pendingTasks");
    static final VarHandle TIMERS_PENDING = handle("timersPending");
    static final VarHandle LIVE_THREADS = handle("liveThreads");
    static final VarHandle INBOX_FULL_WAITS = handle("inboxFullWaits");
    static final VarHandle STALLS = handle("stalls");
    static final VarHandle WAKEUPS = handle("wakeups");

    private static VarHandle handle(String name) {
        try {
            return MethodHandles.lookup().findVarHandle(LoopCountersFields.class, name, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Loop thread only: a single writer, so read-modify-write needs no atomic. */
    static void add(VarHandle counter, LoopCounters c, long delta) {
        counter.setOpaque(c, (long) counter.getOpaque(c) + delta);
    }

    static long read(VarHandle counter, LoopCounters c) {
        return (long) counter.getOpaque(c);
    }
}
