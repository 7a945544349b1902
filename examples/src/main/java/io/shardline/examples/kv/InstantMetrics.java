package io.shardline.examples.kv;

/**
 * One shard's INFO {@code instantaneous_ops_per_sec}, {@code instantaneous_input_kbps} and
 * {@code instantaneous_output_kbps}, owned by its {@link KvShard} and used on that shard's thread only.
 * As Redis does, a sample of each rate is taken every 100 ms and the figure is the mean of the last
 * 16 samples, so it follows the load of the last 1.6 s; INFO sums the shards' figures.
 */
final class InstantMetrics {
    static final long PERIOD_MILLIS = 100;
    static final int SAMPLES = 16;
    private static final int OPS = 0;
    private static final int INPUT = 1;
    private static final int OUTPUT = 2;

    private final double[][] rates = new double[3][SAMPLES];
    private final long[] last = new long[3];
    private long lastNanos;
    private boolean started;
    private int next;

    /** Takes a sample of the three running totals at {@code nowNanos}; the first call only sets the base. */
    void sample(long nowNanos, long commands, long bytesIn, long bytesOut) {
        if (started && nowNanos > lastNanos) {
            double seconds = (nowNanos - lastNanos) / 1e9;
            rates[OPS][next] = Math.max(0, commands - last[OPS]) / seconds;
            rates[INPUT][next] = Math.max(0, bytesIn - last[INPUT]) / seconds;
            rates[OUTPUT][next] = Math.max(0, bytesOut - last[OUTPUT]) / seconds;
            next = (next + 1) % SAMPLES;
        }
        started = true;
        lastNanos = nowNanos;
        last[OPS] = commands;
        last[INPUT] = bytesIn;
        last[OUTPUT] = bytesOut;
    }

    /** Commands a second, the mean of the samples (Redis rounds it down to a whole number). */
    long opsPerSecond() {
        return (long) mean(OPS);
    }

    /** Kilobytes (of 1,024 bytes) read a second. */
    double inputKbps() {
        return mean(INPUT) / 1024;
    }

    /** Kilobytes (of 1,024 bytes) written a second. */
    double outputKbps() {
        return mean(OUTPUT) / 1024;
    }

    /** Over all 16 slots, those not yet sampled counting as 0, as Redis computes it. */
    private double mean(int metric) {
        double sum = 0;
        for (double r : rates[metric]) {
            sum += r;
        }
        return sum / SAMPLES;
    }
}
