package io.shardline.core;

/**
 * One stall: a loop stuck in one task (or one poll) past its threshold; immutable.
 *
 * @param loopId        the stalled loop's id
 * @param loopName      the stalled loop's name
 * @param threadName    the loop thread's name
 * @param stalledNanos  how long the task had run when the watchdog saw it
 * @param waitedNanos   how much of that the loop thread spent runnable but waiting for a CPU (Linux's
 *                      run-queue time; 0 where unknown); the rest, at least the threshold, is the task's
 * @param stack         the loop thread's stack at that moment
 * @param suppressed    stalls of this loop counted but not reported since the previous report
 */
public record StallReport(int loopId, String loopName, String threadName, long stalledNanos, long waitedNanos,
                          StackTraceElement[] stack, long suppressed) {

    private static final System.Logger LOG = System.getLogger("io.shardline.core.stall");

    /** The default listener: one warning with the stack. */
    public static void log(StallReport r) {
        LOG.log(System.Logger.Level.WARNING, r.describe());
    }

    /** A multi-line description: who stalled, how long, and where. */
    public String describe() {
        StringBuilder sb = new StringBuilder()
                .append("loop ").append(loopId).append(" (").append(loopName).append(", thread ").append(threadName)
                .append(") stalled: one task has run for ").append(stalledNanos / 1_000_000).append(" ms");
        if (waitedNanos >= 1_000_000) {
            sb.append(" (").append(waitedNanos / 1_000_000).append(" ms of it waiting for a CPU)");
        }
        if (suppressed > 0) {
            sb.append(" (").append(suppressed).append(" more stalls since the last report)");
        }
        sb.append("; its thread is at:");
        for (StackTraceElement e : stack) {
            sb.append("\n\tat ").append(e);
        }
        return sb.toString();
    }

    /** The stack as text, one frame per line. */
    String stackText() {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : stack) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }
}
