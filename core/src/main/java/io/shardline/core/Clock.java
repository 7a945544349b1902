package io.shardline.core;

/**
 * A source of monotonic time for one or more loops; implementations are thread-safe.
 *
 * <p>Loops read time for their task quota and their timer wheel through this interface, so a test
 * can swap in a {@link ManualClock} and advance time instead of sleeping.
 */
public interface Clock {

    /** Monotonic time in nanoseconds; only differences between two readings mean anything. */
    long nanoTime();

    /**
     * How long, in real nanoseconds, a parked loop may sleep before {@code delayNanos} of this
     * clock's time has passed. A manual clock answers {@link Long#MAX_VALUE}: its time moves only
     * when advanced, and advancing wakes the loop through {@link #addAdvanceListener}.
     */
    default long realParkNanos(long delayNanos) {
        return delayNanos;
    }

    /** Registers a callback run (on the advancing thread) each time this clock is advanced by hand. */
    default void addAdvanceListener(Runnable listener) {
    }

    /** Removes a callback added by {@link #addAdvanceListener}. */
    default void removeAdvanceListener(Runnable listener) {
    }

    /** The system's monotonic clock, {@link System#nanoTime()}. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
