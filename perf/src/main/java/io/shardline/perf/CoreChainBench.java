package io.shardline.perf;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import io.shardline.core.Promise;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
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
 * A chain of {@value #STAGES} continuations: build a pending future, attach {@value #STAGES}
 * {@code map}/{@code thenApply} stages, complete it, read the end of the chain. One operation is one
 * whole chain. The stage function adds one to a small {@code Integer}, so values stay in the
 * {@code Integer} cache and boxing allocates nothing on either side.
 *
 * <ul>
 *   <li>{@code shardline}: a {@link Promise} on a hand-driven loop; everything on the loop thread,
 *       batches of {@value #BATCH} chains with one {@link Loop#runOnce} after each batch.
 *   <li>{@code jdkExecutor} (the reference for the result line, the "CompletableFuture on a
 *       single-thread executor"): the benchmark thread builds {@value #BATCH} chains, then completes
 *       their sources with {@code completeAsync(..., executor)}, so the stages run on the executor
 *       thread, and joins the last one (the executor is FIFO). Batching keeps the two thread wake-ups
 *       per batch from dominating; the score still swings with the executor's park/wake pattern.
 *   <li>{@code jdkExecutorJoinEach}: the same, but joining every chain: one thread hand-off and
 *       wake-up per chain, what a caller that waits for each result pays.
 *   <li>{@code jdkSameThread}: the chain built and completed on the benchmark thread, no executor: the
 *       like-for-like cost of {@code CompletableFuture}'s continuation machinery alone.
 * </ul>
 *
 * <p>What bounds the Shardline side (measured, so later work need not repeat it): a chain is 11
 * allocations of 24 B (the promise, one object per stage) and 10 dependent stage hops, about 54 ns in
 * the steady state. It runs at about 21 ops/µs until C2 compiles JMH's stub loop, then at about 18.4,
 * even with this method kept out of line ({@code dontinline}); loop alignment, TLAB resizing, loop
 * unrolling, compact object headers and transparent huge pages do not change that. Young GC takes
 * under 1% of the time.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CoreChainBench {
    static final int STAGES = 10;
    static final int BATCH = 1000;
    static final Function<Integer, Integer> INC = x -> x + 1;
    static final Supplier<Integer> ZERO = () -> 0;

    /** A loop driven by the benchmark thread. Owned by that thread. */
    @State(Scope.Thread)
    public static class ShardlineState {
        Loop loop;

        @Setup(Level.Trial)
        public void setUp() {
            loop = new Loop(LoopConfig.builder().name("bench-chain").build());
            loop.runOnce(); // the first call binds the loop to this, the benchmark thread
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
        ExecutorService executor;
        @SuppressWarnings({"unchecked", "rawtypes"}) // no generic array creation in Java
        final CompletableFuture<Integer>[] sources = new CompletableFuture[BATCH];

        @Setup(Level.Trial)
        public void setUp() {
            executor = Executors.newSingleThreadExecutor(BenchSupport.daemonThreads("bench-jdk-executor"));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchSupport.shutdown(executor);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int shardline(ShardlineState s) {
        Loop loop = s.loop;
        int sum = 0;
        for (int b = 0; b < BATCH; b++) {
            Promise<Integer> source = new Promise<>(loop);
            Future<Integer> f = source;
            for (int i = 0; i < STAGES; i++) {
                f = f.map(INC);
            }
            source.succeed(0);
            sum += f.getNow();
        }
        // A real loop turns between batches of work; this also moves the loop's progress counter, so
        // the stall watchdog does not take the benchmark thread for a loop stuck in one task.
        loop.runOnce();
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Integer jdkExecutor(JdkState s) {
        CompletableFuture<Integer>[] sources = s.sources;
        CompletableFuture<Integer> last = null;
        for (int b = 0; b < BATCH; b++) {
            CompletableFuture<Integer> source = new CompletableFuture<>();
            CompletableFuture<Integer> f = source;
            for (int i = 0; i < STAGES; i++) {
                f = f.thenApply(INC);
            }
            sources[b] = source;
            last = f;
        }
        // Completions go out in a second pass: submitting while the executor keeps pace with the
        // builder makes it park and be woken per task or not, run by run, and the score bimodal.
        ExecutorService executor = s.executor;
        for (int b = 0; b < BATCH; b++) {
            sources[b].completeAsync(ZERO, executor);
            sources[b] = null;
        }
        return last.join();
    }

    @Benchmark
    public Integer jdkExecutorJoinEach(JdkState s) {
        CompletableFuture<Integer> source = new CompletableFuture<>();
        CompletableFuture<Integer> f = source;
        for (int i = 0; i < STAGES; i++) {
            f = f.thenApply(INC);
        }
        source.completeAsync(ZERO, s.executor);
        return f.join();
    }

    @Benchmark
    public Integer jdkSameThread() {
        CompletableFuture<Integer> source = new CompletableFuture<>();
        CompletableFuture<Integer> f = source;
        for (int i = 0; i < STAGES; i++) {
            f = f.thenApply(INC);
        }
        source.complete(0);
        return f.join();
    }
}
