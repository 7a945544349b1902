package io.shardline.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How long one loop's stalls lasted, in fixed buckets: written by the stall watchdog's thread only
 * (when a stall it counted ends), read from any thread. Single writer, so a count is bumped with a
 * plain read and an opaque store; a reader wants recent values, not a consistent set.
 */
public final class StallHistogram {
    /** Upper bounds in seconds, from the default threshold (25 ms) up; a longer stall falls in +Inf. */
    private static final double[] BOUNDS = {0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle SUM;

    static {
        try {
            SUM = MethodHandles.lookup().findVarHandle(StallHistogram.class, "sumNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One count per bound and one for +Inf. */
    private final long[] counts = new long[BOUNDS.length + 1];
    private long sumNanos;

    /**
     * A copy of the histogram; immutable.
     *
     * @param upperBounds each bucket's upper bound in seconds, the last {@code +Inf}
     * @param counts      stalls in each bucket (not cumulative)
     * @param sumSeconds  the stalls' total duration
     */
    public record Snapshot(double[] upperBounds, long[] counts, double sumSeconds) {
        /** Stalls recorded. */
        public long count() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }
    }

    /** Watchdog thread only: a stall of {@code nanos} has ended. */
    void record(long nanos) {
        double seconds = nanos / 1e9;
        int i = 0;
        while (i < BOUNDS.length && seconds > BOUNDS[i]) {
            i++;
        }
        COUNT.setOpaque(counts, i, (long) COUNT.getOpaque(counts, i) + 1); // single writer
        SUM.setOpaque(this, (long) SUM.getOpaque(this) + nanos);
    }

    /** Any thread. */
    public Snapshot snapshot() {
        double[] bounds = new double[BOUNDS.length + 1];
        System.arraycopy(BOUNDS, 0, bounds, 0, BOUNDS.length);
        bounds[BOUNDS.length] = Double.POSITIVE_INFINITY;
        long[] copy = new long[counts.length];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = (long) COUNT.getOpaque(counts, i);
        }
        return new Snapshot(bounds, copy, (long) SUM.getOpaque(this) / 1e9);
    }
}
