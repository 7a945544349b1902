package io.shardline.core;

/**
 * A snapshot of one loop's counters, taken from any thread without locks; immutable. Each value is
 * recent but the set is not read atomically.
 *
 * @param loopId         the loop's id
 * @param tasksRun       tasks run (including virtual-thread continuations)
 * @param polls          passes over the poll sources
 * @param iterations     loop iterations
 * @param parks          times the loop parked
 * @param busyNanos      wall time not parked since start (running or spinning)
 * @param parkedNanos    wall time parked since start
 * @param timersFired    timer expiries
 * @param uncaught       exceptions nobody observed (logged)
 * @param stalls         tasks that ran past the stall threshold
 * @param wakeups        wake-up system calls made to end a park
 * @param pendingTasks   tasks queued in the loop's task queues (as of the last iteration)
 * @param inboxPending   tasks waiting in the foreign inbox
 * @param inboxFullWaits times a foreign producer found the inbox full and waited
 * @param timersPending  armed timers (as of the last iteration)
 * @param liveThreads    confined virtual threads alive (as of the last iteration)
 */
public record LoopStats(int loopId, long tasksRun, long polls, long iterations, long parks, long busyNanos,
                        long parkedNanos, long timersFired, long uncaught, long stalls, long wakeups,
                        long pendingTasks, long inboxPending, long inboxFullWaits, long timersPending,
                        long liveThreads) {

    /** Fraction of wall time spent not parked, 0..1. */
    public double busyRatio() {
        long total = busyNanos + parkedNanos;
        return total == 0 ? 0 : (double) busyNanos / total;
    }
}
