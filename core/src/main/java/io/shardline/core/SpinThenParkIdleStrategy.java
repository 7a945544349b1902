package io.shardline.core;

/**
 * The loop's idle strategy: after work, go again at once; when idle, spin for {@code spinNanos}
 * ({@code LoopConfig.spin}), then park. Owned by one loop and called only on its thread; not
 * thread-safe.
 *
 * <p>Parking is the loop's own step (the wake-up protocol of {@link WakeState}, the next timer
 * deadline), so it is passed in rather than done here. Spinning first keeps a loop that is fed in
 * bursts out of the park/wake-up system calls; {@code spinNanos == 0} parks at the first idle
 * iteration.
 */
final class SpinThenParkIdleStrategy implements IdleStrategy {
    private final long spinNanos;
    private final Runnable park;
    /** When the current idle streak began (real time), or 0 when there is none. */
    private long idleSince;

    SpinThenParkIdleStrategy(long spinNanos, Runnable park) {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spin must not be negative, was " + spinNanos + " ns");
        }
        this.spinNanos = spinNanos;
        this.park = park;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            idleSince = 0;
            return;
        }
        if (spinNanos > 0) {
            // Real time, not the loop's clock: a manual clock that stands still must not spin forever.
            long now = System.nanoTime();
            if (idleSince == 0) {
                idleSince = now; // the first idle iteration only starts the streak: poll again at once
                return;
            }
            if (now - idleSince < spinNanos) {
                Thread.onSpinWait();
                return;
            }
        }
        park.run();
        idleSince = 0;
    }
}
