package io.shardline.perf;

import io.shardline.shard.Shard;
import io.shardline.shard.ShardRuntime;
import io.shardline.shard.ShardStats;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Cross-shard round trip (ping-pong): one thread asks another for a value and waits for the reply
 * before it asks again, and every round trip's time goes into an HdrHistogram. One request is in
 * flight at a time, so this is latency, not throughput. The next request is sent from the reply's
 * continuation, on the asking thread, the way code on a shard chains calls.
 *
 * <ul>
 *   <li>{@link Shardline}: on shard {@code from}, {@code Shard.submitTo(to, ECHO).whenComplete(...)};
 *       the function runs on shard {@code to} and its reply completes the future back on {@code from}.
 *   <li>{@link Jdk}: on single-thread executor A, {@code CompletableFuture.supplyAsync(ECHO, B)
 *       .whenCompleteAsync(..., A)}: the hand-off to executor B and back to A.
 *   <li>{@link Floor}: what the machine allows: two spinning threads on the same two CPUs bounce a
 *       counter through two cache lines, with no queue, no task and no future. Where the host puts
 *       the virtual CPUs moves this from run to run; it shows how much of a round trip is the hardware.
 * </ul>
 *
 * <p>The time is {@link System#nanoTime()} taken on the asking thread just before the call and first
 * thing in the continuation; recording it is outside the timed span. The function returns a cached
 * {@code Integer}, so neither side allocates for the value.
 */
final class ShardRoundTrip {
    /** Round trips longer than this (1 s) are recorded as 1 s; the histogram never resizes mid-trial. */
    static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(1);
    static final Callable<Integer> ECHO = () -> 42;
    static final Supplier<Integer> ECHO_SUPPLIER = () -> 42;

    private ShardRoundTrip() {
    }

    static Histogram newHistogram() {
        return new Histogram(HIGHEST_NS, 3);
    }

    /** How often all of {@code runtime}'s loops have parked so far; any thread. */
    static long parks(ShardRuntime runtime) {
        long sum = 0;
        for (ShardStats s : runtime.stats()) {
            sum += s.loop().parks();
        }
        return sum;
    }

    /** How long a caller waits for a trial of {@code nanos} before it gives up on a hung run. */
    static long timeoutNanos(long trialNanos) {
        return trialNanos + TimeUnit.SECONDS.toNanos(60);
    }

    /** What a trial fills in on the asking thread and hands over when it is done. */
    private abstract static class PingPong implements BiConsumer<Integer, Throwable> {
        private Histogram histogram;
        private long deadline;
        private CompletableFuture<Histogram> done;
        long t0;

        /** On the asking thread: starts a trial that sends round trips until {@code nanos} have passed. */
        final void begin(long nanos, Histogram h, CompletableFuture<Histogram> result) {
            histogram = h;
            done = result;
            deadline = System.nanoTime() + nanos;
            next();
        }

        /** Sends the next request; sets {@link #t0} first. */
        abstract void next();

        /** On the asking thread, when the last round trip is in, before the result is handed over. */
        void finished() {
        }

        @Override
        public final void accept(Integer value, Throwable failure) {
            long t1 = System.nanoTime();
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            histogram.recordValue(Math.min(t1 - t0, HIGHEST_NS));
            if (t1 - deadline >= 0) {
                finished();
                done.complete(histogram);
                return;
            }
            next();
        }
    }

    /** Ping-pong from shard {@code from} to shard {@code to} of a running runtime. */
    static final class Shardline extends PingPong {
        private final ShardRuntime runtime;
        private final int from;
        private final int to;
        /** Shard {@code from}; set on it when the first trial starts. */
        private Shard shard;
        private long parksAtStart;
        /** How often the runtime's loops parked during the last trial; read after it is handed over. */
        private long parks;

        Shardline(ShardRuntime runtime, int from, int to) {
            this.runtime = runtime;
            this.from = from;
            this.to = to;
        }

        /** From outside the runtime: one trial of {@code nanos}; returns its histogram. */
        Histogram run(long nanos) throws Exception {
            Histogram h = newHistogram();
            CompletableFuture<Histogram> result = new CompletableFuture<>();
            runtime.submit(from, () -> {
                shard = Shard.current();
                parksAtStart = parks(runtime);
                begin(nanos, h, result);
                return null;
            }).get(10, TimeUnit.SECONDS);
            return result.get(timeoutNanos(nanos), TimeUnit.NANOSECONDS);
        }

        /** Loop parks during the last trial, from its first send to its last reply; 0 if the loops spun. */
        long parksDuringLastTrial() {
            return parks;
        }

        @Override
        void next() {
            t0 = System.nanoTime();
            shard.submitTo(to, ECHO).whenComplete(this);
        }

        @Override
        void finished() {
            parks = parks(runtime) - parksAtStart;
        }
    }

    /** Ping-pong from single-thread executor {@code a} to single-thread executor {@code b}. */
    static final class Jdk extends PingPong {
        private final ExecutorService a;
        private final ExecutorService b;

        Jdk(ExecutorService a, ExecutorService b) {
            this.a = a;
            this.b = b;
        }

        /** From outside the executors: one trial of {@code nanos}; returns its histogram. */
        Histogram run(long nanos) throws Exception {
            Histogram h = newHistogram();
            CompletableFuture<Histogram> result = new CompletableFuture<>();
            a.execute(() -> begin(nanos, h, result));
            return result.get(timeoutNanos(nanos), TimeUnit.NANOSECONDS);
        }

        @Override
        void next() {
            t0 = System.nanoTime();
            CompletableFuture.supplyAsync(ECHO_SUPPLIER, b).whenCompleteAsync(this, a);
        }
    }

    /**
     * Two threads pinned to {@code cpuA} and {@code cpuB} (one pair per trial): A stores a sequence
     * number, B spins until it sees it and stores it back, A spins until it sees the echo. The two
     * counters sit 128 bytes apart, so each round trip moves two cache lines between the CPUs.
     */
    static final class Floor {
        private static final int PING = 16;
        private static final int PONG = 32;
        private final int cpuA;
        private final int cpuB;
        private final boolean pin;
        private final AtomicReference<String> pinFailure;

        Floor(int cpuA, int cpuB, boolean pin, AtomicReference<String> pinFailure) {
            this.cpuA = cpuA;
            this.cpuB = cpuB;
            this.pin = pin;
            this.pinFailure = pinFailure;
        }

        Histogram run(long nanos) throws Exception {
            Histogram h = newHistogram();
            AtomicLongArray cells = new AtomicLongArray(48);
            Thread echo = thread("bench-floor-B", cpuB, () -> {
                long seen = 0;
                while (true) {
                    long v = cells.getAcquire(PING);
                    if (v < 0) {
                        return;
                    }
                    if (v != seen) {
                        seen = v;
                        cells.setRelease(PONG, v);
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
            Thread ask = thread("bench-floor-A", cpuA, () -> {
                long deadline = System.nanoTime() + nanos;
                for (long n = 1; ; n++) {
                    long t0 = System.nanoTime();
                    cells.setRelease(PING, n);
                    while (cells.getAcquire(PONG) != n) {
                        Thread.onSpinWait();
                    }
                    long t1 = System.nanoTime();
                    h.recordValue(Math.min(t1 - t0, HIGHEST_NS));
                    if (t1 - deadline >= 0) {
                        break;
                    }
                }
                cells.setRelease(PING, -1);
            });
            echo.start();
            ask.start();
            long wait = TimeUnit.NANOSECONDS.toMillis(timeoutNanos(nanos));
            ask.join(wait);
            cells.setRelease(PING, -1);
            echo.join(wait);
            if (ask.isAlive() || echo.isAlive()) {
                throw new IllegalStateException("floor ping-pong did not finish");
            }
            return h;
        }

        private Thread thread(String name, int cpu, Runnable body) {
            return Thread.ofPlatform().name(name).daemon(true).unstarted(() -> {
                if (pin) {
                    String why = BenchSupport.pin(cpu);
                    if (why != null) {
                        pinFailure.compareAndSet(null, name + " not pinned to CPU " + cpu + ": " + why);
                    }
                }
                body.run();
            });
        }
    }
}
