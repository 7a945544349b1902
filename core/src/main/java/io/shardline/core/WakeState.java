package io.shardline.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

abstract class WakeStatePad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

abstract class WakeStateFields extends WakeStatePad0 {
    int parkState;
    boolean closing;
    boolean betweenRuns;
}

/**
 * Whether a loop is parked, and whether it has been asked to close. Written by the loop and by
 * wakers on any thread; padded because producers on other cores hit it on every hand-off.
 *
 * <p>The protocol: the loop stores PARKED (volatile), then checks its sources once more, then parks.
 * A producer publishes its work, issues a full fence, and only if it reads PARKED does it CAS
 * PARKED→WAKING and make the one wake-up system call. Either the loop's re-check sees the work or the
 * producer sees PARKED; a busy loop costs a producer a fence and a read, no system call.
 */
final class WakeState extends WakeStateFields {
    long p10, p11, p12, p13, p14, p15, p16, p17;

    static final int AWAKE = 0;
    static final int PARKED = 1;
    static final int WAKING = 2;

    private static final VarHandle PARK_STATE;
    private static final VarHandle CLOSING;
    private static final VarHandle BETWEEN_RUNS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PARK_STATE = l.findVarHandle(WakeStateFields.class, "parkState", int.class);
            CLOSING = l.findVarHandle(WakeStateFields.class, "closing", boolean.class);
            BETWEEN_RUNS = l.findVarHandle(WakeStateFields.class, "betweenRuns", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Loop thread, before its final re-check: volatile so the re-check cannot move above it. */
    void setParked() {
        PARK_STATE.setVolatile(this, PARKED);
    }

    /** Loop thread, after waking or deciding not to park. */
    void setAwake() {
        PARK_STATE.setVolatile(this, AWAKE);
    }

    /** Loop thread, after its re-check: whether it is still PARKED, i.e. no waker claimed it meanwhile. */
    boolean isParkedVolatile() {
        return (int) PARK_STATE.getVolatile(this) == PARKED;
    }

    /** For the stall watchdog: parked, or claimed by a waker and about to wake. */
    boolean isParkedOrWaking() {
        return (int) PARK_STATE.getOpaque(this) != AWAKE;
    }

    boolean isParked() {
        return (int) PARK_STATE.getOpaque(this) == PARKED;
    }

    /** Any thread, after publishing work: true if this caller won the right to wake the loop. */
    boolean claimWakeup() {
        // Order the caller's publication before the read of the state (StoreLoad).
        VarHandle.fullFence();
        return (int) PARK_STATE.getVolatile(this) == PARKED && PARK_STATE.compareAndSet(this, PARKED, WAKING);
    }

    /** A loop driven by hand is outside {@code runOnce}: idle as far as the stall watchdog goes. */
    void setBetweenRuns(boolean value) {
        // Opaque: the watchdog samples it; no other memory depends on it.
        BETWEEN_RUNS.setOpaque(this, value);
    }

    boolean isBetweenRuns() {
        return (boolean) BETWEEN_RUNS.getOpaque(this);
    }

    /** Any thread; returns true for the first caller only. */
    boolean requestClose() {
        return CLOSING.compareAndSet(this, false, true);
    }

    boolean isClosing() {
        return (boolean) CLOSING.getVolatile(this);
    }
}
