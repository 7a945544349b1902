package io.shardline.shard;

import static io.shardline.shard.ShardTestSupport.assertThreadsEnd;
import static io.shardline.shard.ShardTestSupport.await;
import static io.shardline.shard.ShardTestSupport.block;
import static io.shardline.shard.ShardTestSupport.eventually;
import static io.shardline.shard.ShardTestSupport.failureOf;
import static io.shardline.shard.ShardTestSupport.get;
import static io.shardline.shard.ShardTestSupport.onShard;
import static io.shardline.shard.ShardTestSupport.quiet;
import static io.shardline.shard.ShardTestSupport.threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shardline.core.Future;
import io.shardline.core.LoopClosedException;
import io.shardline.core.Promise;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import net.openhft.affinity.Affinity;
import org.junit.jupiter.api.Test;

/** The runtime's life cycle, placement and pinning, the way in from outside threads, and builder checks. */
class ShardRuntimeTest {
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    // ------------------------------------------------------------------ life cycle

    @Test
    void defaultIsOneShardPerAvailableCpu() {
        try (ShardRuntime rt = ShardRuntime.builder().start()) {
            assertEquals(CPUS, rt.shards());
            assertEquals(IntStream.range(0, CPUS).boxed().toList(), get(rt.submitToAll(() -> Shard.current().id())));
        }
    }

    @Test
    void startReturnsWithEveryShardRunningOnItsNamedThread() {
        ShardRuntime rt = ShardRuntime.builder().shards(3).start();
        List<Thread> threads;
        try {
            // No waiting: start() must not return before each loop has its thread and runs.
            threads = threads(rt);
            for (int i = 0; i < 3; i++) {
                Shard s = rt.shard(i);
                assertEquals("shard-" + i, threads.get(i).getName());
                assertTrue(threads.get(i).isAlive(), "shard-" + i + " is not running after start");
                assertFalse(s.loop().isClosing());
                assertFalse(s.loop().isTerminated());
                assertEquals(i, s.id());
                assertEquals(3, s.count());
                assertSame(rt, s.runtime());
                assertSame(s, s.loop().service(Shard.class));
                assertEquals(i, s.stats().shardId());
            }
            assertEquals(3, rt.shards());
            assertEquals(3, rt.stats().size());
            List<String> seen = get(rt.submitToAll(
                    () -> Thread.currentThread().getName() + "/" + Shard.current().id()));
            assertEquals(List.of("shard-0/0", "shard-1/1", "shard-2/2"), seen);
            assertNull(Shard.current(), "the test thread is no shard");
        } finally {
            rt.close();
        }
        assertThreadsEnd(threads);
    }

    @Test
    void closeIsGracefulAndIdempotent() {
        ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
        ShardRuntime rt = ShardRuntime.builder().shards(2).loop(quiet(uncaught)).start();
        List<Thread> threads = threads(rt);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread closer = null;
        try {
            assertEquals(7, get(rt.submit(0, () -> 7)));
            // A task that is running when close starts finishes and delivers its result.
            CompletableFuture<String> running = rt.submit(1, () -> block(started, release) ? "finished" : "timed out");
            await(started, "the blocking task to start");
            // Queued behind it from outside: it may never run, but its future must complete.
            CompletableFuture<Integer> queued = rt.submit(1, () -> 8);
            closer = Thread.ofPlatform().name("closer").start(rt::close);
            eventually("close to start", () -> rt.shard(0).loop().isClosing() && rt.shard(1).loop().isClosing());
            assertFalse(running.isDone());
            release.countDown();
            assertEquals("finished", get(running));
            // It completes either way: with its value if it ran, else with LoopClosedException.
            Object outcome = ShardTestSupport.outcome(queued);
            assertTrue(Integer.valueOf(8).equals(outcome) || outcome instanceof LoopClosedException,
                    "a task queued at close either runs or fails with LoopClosedException, got " + outcome);
        } finally {
            release.countDown();
            if (closer == null) {
                rt.close();
            }
        }
        assertThreadsEnd(List.of(closer));
        assertThreadsEnd(threads);
        assertTrue(rt.shard(0).loop().isTerminated());
        assertTrue(rt.shard(1).loop().isTerminated());
        // The second (and third) close return at once, from any thread.
        assertTimeoutPreemptively(ShardTestSupport.PATIENCE, rt::close);
        rt.close();
        // After close the runtime refuses work with LoopClosedException instead of hanging.
        assertInstanceOf(LoopClosedException.class, failureOf(rt.submit(0, () -> 1)));
        assertInstanceOf(LoopClosedException.class, failureOf(rt.submitAsync(1, () -> Future.succeeded(1))));
        assertInstanceOf(LoopClosedException.class, failureOf(rt.submitToAll(() -> 1)));
        assertTrue(uncaught.isEmpty(), "exceptions nobody observed: " + uncaught);
    }

    @Test
    void closeEndsEveryShardThread() {
        for (int round = 0; round < 20; round++) {
            ShardRuntime rt = ShardRuntime.builder().shards(2).start();
            List<Thread> threads = threads(rt);
            assertEquals(List.of(0, 1), get(rt.submitToAll(() -> Shard.current().id())));
            rt.close();
            assertTrue(rt.shard(0).loop().isTerminated() && rt.shard(1).loop().isTerminated());
            assertThreadsEnd(threads);
        }
    }

    /**
     * {@link ShardRuntime#close()} documents "every shard thread has ended when this returns", and
     * the brief asks for {@code Thread.isAlive() == false} right after close. It is not so: close
     * waits on Loop's termination latch, counted down inside the thread's last finally block.
     */
    @Test
    void closeReturnsOnlyAfterEveryShardThreadHasEnded() {
        for (int round = 0; round < 200; round++) {
            ShardRuntime rt = ShardRuntime.builder().shards(2).start();
            List<Thread> threads = threads(rt);
            rt.close();
            for (Thread t : threads) {
                assertFalse(t.isAlive(), "round " + round + ": " + t.getName() + " still alive when close() returned");
            }
        }
    }

    @Test
    void closeRightAfterStartNeverHangs() {
        // Races the close wake-up against each shard's first park (a lost wake-up would hang here).
        for (int round = 0; round < 200; round++) {
            ShardRuntime rt = ShardRuntime.builder().shards(2).start();
            List<Thread> threads = threads(rt);
            assertTimeoutPreemptively(ShardTestSupport.PATIENCE, rt::close, "round " + round);
            assertThreadsEnd(threads);
        }
    }

    // ------------------------------------------------------------------ placement and pinning

    @Test
    void twoShardsArePinnedOnePerCpu() {
        assumeTrue(CPUS >= 2, "needs 2 CPUs");
        try (ShardRuntime rt = ShardRuntime.builder().shards(2).start()) {
            assumeTrue(rt.shard(0).cpu() != -1 && rt.shard(1).cpu() != -1,
                    "pinning is not permitted on this machine (the runtime fell back to unpinned)");
            for (int i = 0; i < 2; i++) {
                assertEquals(i, rt.shard(i).cpu());
                assertEquals(i, rt.shard(i).stats().cpu());
                BitSet mask = get(rt.submit(i, Affinity::getAffinity));
                assertEquals(cpuSet(i), mask, "affinity mask of shard-" + i);
            }
        }
    }

    @Test
    void explicitPlacementPutsShardZeroOnCpuOne() {
        assumeTrue(CPUS >= 2, "needs 2 CPUs");
        try (ShardRuntime rt = ShardRuntime.builder().shards(2).cpus(1, 0).start()) {
            assumeTrue(rt.shard(0).cpu() != -1 && rt.shard(1).cpu() != -1, "pinning is not permitted on this machine");
            assertEquals(1, rt.shard(0).cpu());
            assertEquals(0, rt.shard(1).cpu());
            assertEquals(cpuSet(1), get(rt.submit(0, Affinity::getAffinity)));
            assertEquals(cpuSet(0), get(rt.submit(1, Affinity::getAffinity)));
            // Placement does not change ids: shard 0 is still shard 0.
            assertEquals(List.of(0, 1), get(rt.submitToAll(() -> Shard.current().id())));
        }
    }

    @Test
    void moreShardsThanCpusRunUnpinnedAndStillWork() {
        int n = Math.max(8, CPUS + 1);
        BitSet processMask = Affinity.getAffinity();
        try (ShardRuntime rt = ShardRuntime.builder().shards(n).start()) {
            for (int i = 0; i < n; i++) {
                assertEquals(-1, rt.shard(i).cpu(), "shard " + i + " must run unpinned");
                assertEquals(-1, rt.shard(i).stats().cpu());
                assertEquals(processMask, get(rt.submit(i, Affinity::getAffinity)), "mask of unpinned shard-" + i);
            }
            // And correct: every shard reaches every other one, and results fold in shard order.
            for (int from = 0; from < n; from++) {
                List<Integer> ids = onShard(rt, from, () -> here().invokeOnAll(() -> Shard.current().id()));
                assertEquals(IntStream.range(0, n).boxed().toList(), ids);
            }
            long sum = onShard(rt, n - 1, () -> here().mapReduce(() -> (long) Shard.current().id(), 0L, Long::sum));
            assertEquals((long) n * (n - 1) / 2, sum);
        }
    }

    @Test
    void pinFalseRunsUnpinnedEvenWithEnoughCpus() {
        BitSet processMask = Affinity.getAffinity();
        try (ShardRuntime rt = ShardRuntime.builder().shards(Math.min(2, CPUS)).pin(false).start()) {
            for (int i = 0; i < rt.shards(); i++) {
                assertEquals(-1, rt.shard(i).cpu());
                assertEquals(processMask, get(rt.submit(i, Affinity::getAffinity)));
            }
        }
    }

    // ------------------------------------------------------------------ from outside threads

    @Test
    void submitFromTheTestThreadReturnsACompletableFuture() {
        try (ShardRuntime rt = ShardRuntime.builder().shards(2).start()) {
            CompletableFuture<String> f = rt.submit(1, () -> Thread.currentThread().getName() + "/" + Shard.current().id());
            assertEquals("shard-1/1", get(f));

            IOException boom = new IOException("boom");
            Throwable t = failureOf(rt.submit(0, () -> {
                throw boom;
            }));
            assertSame(boom, t, "the function's own exception fails the future");
            // The shard survived the exception.
            assertEquals(0, get(rt.submit(0, () -> Shard.current().id())));
        }
    }

    @Test
    void submitAsyncWaitsForTheShardFuture() {
        try (ShardRuntime rt = ShardRuntime.builder().shards(2).start()) {
            CompletableFuture<String> f = rt.submitAsync(1, () -> {
                Shard s = here();
                Promise<String> p = new Promise<>(s.loop());
                // Completed by a later task on the same shard, not inline.
                s.loop().execute(() -> p.succeed("later on " + Shard.current().id()));
                return p;
            });
            assertEquals("later on 1", get(f));
            IllegalStateException boom = new IllegalStateException("async boom");
            assertSame(boom, failureOf(rt.submitAsync(0, () -> Future.failed(boom))));
        }
    }

    @Test
    void submitToAllRunsOnEveryShardInShardOrder() {
        try (ShardRuntime rt = ShardRuntime.builder().shards(4).start()) {
            List<String> names = get(rt.submitToAll(() -> Thread.currentThread().getName()));
            assertEquals(List.of("shard-0", "shard-1", "shard-2", "shard-3"), names);
            IllegalArgumentException boom = new IllegalArgumentException("on 2");
            Throwable t = failureOf(rt.submitToAll(() -> {
                if (Shard.current().id() == 2) {
                    throw boom;
                }
                return 1;
            }));
            assertSame(boom, t);
        }
    }

    @Test
    void manyOutsideThreadsSubmitConcurrently() throws InterruptedException {
        int producers = 4;
        int each = 5_000;
        try (ShardRuntime rt = ShardRuntime.builder().shards(2).start()) {
            long[] counter = new long[1]; // touched only on shard 1
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<Long>> last = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                CompletableFuture<Long> mine = new CompletableFuture<>();
                last.add(mine);
                threads.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                    CompletableFuture<Long> f = null;
                    for (int i = 0; i < each; i++) {
                        f = rt.submit(1, () -> ++counter[0]);
                    }
                    f.whenComplete((v, e) -> {
                        if (e != null) {
                            mine.completeExceptionally(e);
                        } else {
                            mine.complete(v);
                        }
                    });
                }));
            }
            for (CompletableFuture<Long> f : last) {
                get(f);
            }
            assertThreadsEnd(threads);
            assertEquals((long) producers * each, get(rt.submit(1, () -> counter[0])));
        }
    }

    // ------------------------------------------------------------------ misuse

    @Test
    void submitOutOfRangeNamesTheRange() {
        try (ShardRuntime rt = ShardRuntime.builder().shards(2).start()) {
            for (int bad : new int[] {-1, 2, Integer.MAX_VALUE}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rt.submit(bad, () -> 1));
                assertTrue(e.getMessage().contains("0..1"), e.getMessage());
                assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> rt.submitAsync(bad, () -> Future.succeeded(1)));
                assertTrue(e.getMessage().contains("0..1"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> rt.shard(bad));
                assertTrue(e.getMessage().contains("0..1"), e.getMessage());
            }
            // Nothing broke: the runtime still serves.
            assertEquals(List.of(0, 1), get(rt.submitToAll(() -> Shard.current().id())));
        }
    }

    @Test
    void builderRefusesBadShardCounts() {
        for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ShardRuntime.builder().shards(bad));
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
    }

    @Test
    void builderRefusesCpusThatDoNotExist() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShardRuntime.builder().shards(1).cpus(CPUS));
        assertTrue(e.getMessage().contains("CPU " + CPUS), e.getMessage());
        assertTrue(e.getMessage().contains("0.." + (CPUS - 1)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShardRuntime.builder().shards(2).cpus(0, CPUS + 5));
        assertThrows(IllegalArgumentException.class, () -> ShardRuntime.builder().shards(1).cpus(-1));
    }

    @Test
    void builderRefusesACpuListOfTheWrongLengthAtStart() {
        ShardRuntime.Builder b = ShardRuntime.builder().shards(2).cpus(0); // accepted so far: shards may change later
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::start);
        assertTrue(e.getMessage().contains("1 CPUs for 2 shards"), e.getMessage());
        ShardRuntime.Builder longer = ShardRuntime.builder().shards(1).cpus(0, 0);
        assertThrows(IllegalArgumentException.class, longer::start);
        // The order of the calls does not matter: fixing the count makes the same list valid.
        try (ShardRuntime rt = ShardRuntime.builder().cpus(0).shards(1).start()) {
            assertEquals(1, rt.shards());
        }
    }

    @Test
    void builderRefusesBadInflightCaps() {
        assertThrows(IllegalArgumentException.class, () -> ShardRuntime.builder().inflightPerPair(0));
        assertThrows(IllegalArgumentException.class, () -> ShardRuntime.builder().inflightPerPair(-4));
        assertThrows(IllegalArgumentException.class, () -> ShardRuntime.builder().inflightPerPair((1 << 20) + 1));
        assertThrows(NullPointerException.class, () -> ShardRuntime.builder().loop(null));
    }

    @Test
    void aSingleShardRuntimeWorks() {
        try (ShardRuntime rt = ShardRuntime.builder().shards(1).start()) {
            String r = onShard(rt, 0, () -> {
                Shard me = here();
                return me.invokeOnOthers(() -> 1).flatMap(others -> me.submitTo(0, () -> Shard.current().id())
                        .map(self -> others + " then " + self));
            });
            assertEquals("[] then 0", r);
        }
    }

    private static Shard here() {
        return ShardTestSupport.here();
    }

    private static BitSet cpuSet(int cpu) {
        BitSet b = new BitSet();
        b.set(cpu);
        return b;
    }
}
