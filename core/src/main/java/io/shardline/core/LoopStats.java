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

    /**
     * Reads a loop's counters into a snapshot; any thread, no locks. A park still in progress counts as
     * parked up to now, so a loop asleep for an hour does not look busy.
     *
     * @param startRealNanos when the loop's thread bound ({@code System.nanoTime()}), or 0 before that
     * @param inboxPending   the foreign inbox's current size
     */
    static LoopStats read(int loopId, LoopCounters c, long startRealNanos, int inboxPending) {
        long now = System.nanoTime();
        long parked = LoopCounters.read(LoopCounters.PARKED_NANOS, c);
        long parkStart = LoopCounters.read(LoopCounters.PARK_START_NANOS, c);
        if (parkStart != 0 && now > parkStart) {
            parked += now - parkStart;
        }
        long alive = startRealNanos == 0 ? 0 : now - startRealNanos;
        return new LoopStats(loopId,
                LoopCounters.read(LoopCounters.TASKS_RUN, c),
                LoopCounters.read(LoopCounters.POLLS, c),
                LoopCounters.read(LoopCounters.ITERATIONS, c),
                LoopCounters.read(LoopCounters.PARKS, c),
                Math.max(0, alive - parked), parked,
                LoopCounters.read(LoopCounters.TIMERS_FIRED, c),
                LoopCounters.read(LoopCounters.UNCAUGHT, c),
                LoopCounters.read(LoopCounters.STALLS, c),
                LoopCounters.read(LoopCounters.WAKEUPS, c),
                LoopCounters.read(LoopCounters.PENDING_TASKS, c),
                inboxPending,
                LoopCounters.read(LoopCounters.INBOX_FULL_WAITS, c),
                LoopCounters.read(LoopCounters.TIMERS_PENDING, c),
                LoopCounters.read(LoopCounters.LIVE_THREADS, c));
    }
}
