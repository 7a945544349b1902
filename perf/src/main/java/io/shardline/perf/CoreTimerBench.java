package io.shardline.perf;

import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import io.shardline.core.Timer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Timer schedule-and-cancel: arm a timer {@value #DELAY_MILLIS} ms ahead (a typical request timeout)
 * and cancel it before it fires, as a connection does with its idle timeout on every read. One
 * operation is one schedule plus one cancel; batches of {@value #BATCH}.
 *
 * <ul>
 *   <li>{@code shardline}: one reusable {@link Timer} of a hand-driven loop, re-armed and cancelled on
 *       the loop thread; one {@link Loop#runOnce} per batch, as a real loop would turn in between.
 *   <li>{@code jdk} (the reference for the result line): a {@link ScheduledThreadPoolExecutor} with one
 *       thread and remove-on-cancel, {@code schedule} then {@code cancel(false)} from the benchmark
 *       thread, as code outside the executor does.
 *   <li>{@code jdkInExecutor}: the same calls made by a task running on the executor's own thread (one
 *       hand-off per batch): the queue's cost without waking its thread.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CoreTimerBench {
    static final int BATCH = 1000;
    static final long DELAY_MILLIS = 100;
    static final long DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(DELAY_MILLIS);
    static final Runnable NOOP = () -> { };

    /** A loop driven by the benchmark thread and one timer on it. Owned by that thread. */
    @State(Scope.Thread)
    public static class ShardlineState {
        Loop loop;
        Timer timer;

        @Setup(Level.Trial)
        public void setUp() {
            loop = new Loop(LoopConfig.builder().name("bench-timer").build());
            loop.runOnce(); // the first call binds the loop to this, the benchmark thread
            timer = loop.timer(NOOP);
        }

        @Setup(Level.Iteration)
        public void checkThread() {
            BenchSupport.requireLoopThread(loop);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            loop.close();
        }
    }

    @State(Scope.Thread)
    public static class JdkState {
        ScheduledThreadPoolExecutor executor;
        Runnable batch;

        @Setup(Level.Trial)
        public void setUp() {
            executor = new ScheduledThreadPoolExecutor(1, BenchSupport.daemonThreads("bench-jdk-scheduler"));
            executor.setRemoveOnCancelPolicy(true);
            executor.prestartAllCoreThreads();
            batch = () -> scheduleAndCancel(executor);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchSupport.shutdown(executor);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public boolean shardline(ShardlineState s) {
        Timer timer = s.timer;
        boolean cancelled = true;
        for (int i = 0; i < BATCH; i++) {
            timer.scheduleNanos(DELAY_NANOS, 0);
            cancelled &= timer.cancel();
        }
        s.loop.runOnce();
        return cancelled;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public boolean jdk(JdkState s) {
        return scheduleAndCancel(s.executor);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object jdkInExecutor(JdkState s) throws Exception {
        return s.executor.submit(s.batch).get();
    }

    static boolean scheduleAndCancel(ScheduledThreadPoolExecutor executor) {
        boolean cancelled = true;
        for (int i = 0; i < BATCH; i++) {
            ScheduledFuture<?> f = executor.schedule(NOOP, DELAY_MILLIS, TimeUnit.MILLISECONDS);
            cancelled &= f.cancel(false);
        }
        return cancelled;
    }
}
