package io.shardline.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that moves only when a test advances it; thread-safe: any thread may read or advance it.
 *
 * <p>Loops built with it park until they have work or the clock is advanced, so timer tests run
 * as fast as the CPU allows and never depend on the wall clock.
 */
public final class ManualClock implements Clock {
    private static final VarHandle NOW;

    static {
        try {
            NOW = MethodHandles.lookup().findVarHandle(ManualClock.class, "now", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through NOW
    private long now;
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** A clock that starts at an arbitrary non-zero time, as {@link System#nanoTime()} does. */
    public ManualClock() {
        this(1_000_000_000L);
    }

    public ManualClock(long startNanos) {
        NOW.setRelease(this, startNanos);
    }

    @Override
    public long nanoTime() {
        return (long) NOW.getAcquire(this);
    }

    /** Moves time forward and wakes every loop that uses this clock so due timers fire. */
    public void advance(Duration by) {
        advanceNanos(by.toNanos());
    }

    public void advanceNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("a clock cannot go back: advance by " + nanos + " ns");
        }
        NOW.getAndAdd(this, nanos);
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    @Override
    public long realParkNanos(long delayNanos) {
        return Long.MAX_VALUE;
    }

    @Override
    public void addAdvanceListener(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void removeAdvanceListener(Runnable listener) {
        listeners.remove(listener);
    }
}
