package io.shardline.core;

import java.time.Duration;

/**
 * A reusable one-shot or periodic timer on one loop's wheel, like Seastar's {@code timer<>}. Owned by
 * one loop; not thread-safe: arm, re-arm and cancel it only on that loop.
 *
 * <p>Arming and cancelling are O(1) and allocate nothing, so a connection can keep one timer for its
 * idle timeout and re-arm it on every read. The action runs on the loop; if it throws, the loop's
 * uncaught-exception handler sees it and the loop goes on.
 */
public final class Timer {
    private static final long MAX_DELAY_NANOS = Long.MAX_VALUE / 4;
    final Loop loop;
    final Runnable action;

    // Wheel bookkeeping; touched only by the owning loop's TimerWheel.
    long deadlineNanos;
    long tick;
    long periodNanos;
    int slot = -1;
    Timer prev;
    Timer next;

    Timer(Loop loop, Runnable action) {
        if (action == null) {
            throw new IllegalArgumentException("timer action must not be null");
        }
        this.loop = loop;
        this.action = action;
    }

    /** Arms this timer to fire once after {@code delay}; re-arms it if it was armed. */
    public Timer schedule(Duration delay) {
        return scheduleNanos(delay.toNanos(), 0);
    }

    /** Arms this timer to fire after {@code initialDelay} and then every {@code period}, at a fixed rate. */
    public Timer schedulePeriodic(Duration initialDelay, Duration period) {
        long p = period.toNanos();
        if (p <= 0) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
        return scheduleNanos(initialDelay.toNanos(), p);
    }

    /** Arms this timer {@code delayNanos} from now; a period of 0 means one-shot. */
    public Timer scheduleNanos(long delayNanos, long periodNanos) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delay must not be negative, was " + delayNanos + " ns");
        }
        // Capped so now + delay cannot overflow: ~73 years is "never" for a loop.
        loop.timers().arm(this, loop.clock().nanoTime() + Math.min(delayNanos, MAX_DELAY_NANOS), periodNanos);
        return this;
    }

    /** Disarms this timer; returns true if it was armed. O(1). */
    public boolean cancel() {
        return loop.timers().cancel(this);
    }

    /** True while armed: scheduled and not yet fired (a periodic timer stays armed). */
    public boolean isScheduled() {
        return slot >= 0;
    }

    /** When it fires next, in the loop clock's nanoseconds; meaningful only while armed. */
    public long deadlineNanos() {
        return deadlineNanos;
    }
}
