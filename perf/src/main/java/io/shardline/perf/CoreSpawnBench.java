package io.shardline.perf;

import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * Spawn-and-run of a task: hand a pre-allocated {@link Runnable} to an executor and have it run.
 * Both sides work in batches of {@value #BATCH} submissions, so the cost measured is the per-task
 * cost, not one wake-up per task.
 *
 * <p>Shardline: the benchmark thread is the loop's thread (a loop driven by hand); it queues the
 * batch with {@link Loop#execute} and calls {@link Loop#runOnce} until every task has run. JDK:
 * {@code CompletableFuture.runAsync(task, executor)} on a single-thread executor, then a join of the
 * last future (the executor is FIFO, so the last done means all done).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CoreSpawnBench {
    static final int BATCH = 1000;

    /** A loop driven by the benchmark thread. Owned by that thread. */
    @State(Scope.Thread)
    public static class ShardlineState {
        Loop loop;
        /** Incremented by {@link #task}, on the loop thread. */
        long ran;
        Runnable task;

        @Setup(Level.Trial)
        public void setUp() {
            loop = new Loop(LoopConfig.builder().name("bench-spawn").build());
            loop.runOnce(); // the first call binds the loop to this, the benchmark thread
            task = () -> ran++;
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

    /** A single-thread executor and a task that does the same work as the Shardline one. */
    @State(Scope.Thread)
    public static class JdkState {
        ExecutorService executor;
        final Counter counter = new Counter();

        @Setup(Level.Trial)
        public void setUp() {
            executor = Executors.newSingleThreadExecutor(BenchSupport.daemonThreads("bench-jdk-executor"));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchSupport.shutdown(executor);
        }
    }

    /** The JDK task: a counter bump, written by the executor thread only. */
    static final class Counter implements Runnable {
        long ran;

        @Override
        public void run() {
            ran++;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long shardline(ShardlineState s) {
        Loop loop = s.loop;
        Runnable task = s.task;
        long target = s.ran + BATCH;
        for (int i = 0; i < BATCH; i++) {
            loop.execute(task);
        }
        while (s.ran < target) {
            loop.runOnce();
        }
        return s.ran;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Void jdk(JdkState s) {
        ExecutorService executor = s.executor;
        Runnable task = s.counter;
        CompletableFuture<Void> last = null;
        for (int i = 0; i < BATCH; i++) {
            last = CompletableFuture.runAsync(task, executor);
        }
        return last.join();
    }
}
