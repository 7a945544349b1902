package io.shardline.perf;

import io.shardline.shard.ShardRuntime;
import io.shardline.shard.ShardStats;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps a spinning runtime out of the other contenders' trials in the shard suite: after a trial of
 * it, waits until each of its loops has parked (they do once they have spun idle for their spin time),
 * so they no longer take the CPUs the next trial runs on. Also adds up the parks during its own
 * trials, which should be none. Used by the suite's thread only; not thread-safe.
 */
final class SpinGuard {
    private static final long SETTLE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private final ShardRuntime runtime;
    /** Each shard's park count right after the last spinning trial, or null if settled since. */
    private long[] afterLastTrial;
    private long parksDuringTrials;
    private int timeouts;

    SpinGuard(ShardRuntime runtime) {
        this.runtime = runtime;
    }

    /** The spinning runtime's trial: runs it and notes how often its loops parked during it ({@code parks}). */
    <R> Trials.Trial<R> spinning(Trials.Trial<R> trial, LongSupplier parks) {
        return turn -> {
            R r = trial.run(turn);
            afterLastTrial = perShard();
            parksDuringTrials += parks.getAsLong();
            return r;
        };
    }

    /** Another contender's trial: waits for the spinning loops to park first. */
    <R> Trials.Trial<R> other(Trials.Trial<R> trial) {
        return turn -> {
            settle();
            return trial.run(turn);
        };
    }

    /** Parks of the spinning loops during their own trials, warm-ups included. */
    long parksDuringTrials() {
        return parksDuringTrials;
    }

    /** How often the spinning loops had not parked within the limit when another trial was due. */
    int timeouts() {
        return timeouts;
    }

    private void settle() throws InterruptedException {
        if (afterLastTrial == null) {
            return;
        }
        long deadline = System.nanoTime() + SETTLE_LIMIT_NANOS;
        while (true) {
            long[] now = perShard();
            boolean allParked = true;
            for (int i = 0; i < now.length; i++) {
                allParked &= now[i] > afterLastTrial[i];
            }
            if (allParked) {
                break;
            }
            if (System.nanoTime() - deadline >= 0) {
                timeouts++;
                break;
            }
            Thread.sleep(5); // polls the loops' park counters, which offer no way to wait on them
        }
        afterLastTrial = null;
    }

    private long[] perShard() {
        List<ShardStats> stats = runtime.stats();
        long[] parks = new long[stats.size()];
        for (int i = 0; i < parks.length; i++) {
            parks[i] = stats.get(i).loop().parks();
        }
        return parks;
    }
}
