package io.shardline.core;

import static io.shardline.core.TestSupport.eventually;
import static io.shardline.core.TestSupport.failureOf;
import static io.shardline.core.TestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoopTest {

    @Test
    void runsTasksOnItsOwnThreadInSubmissionOrder() {
        try (Loop loop = Loop.start(LoopConfig.builder().id(3).name("shard-3").build())) {
            List<Integer> order = new ArrayList<>();
            CompletableFuture<List<Integer>> result = loop.call(() -> {
                for (int i = 0; i < 100; i++) {
                    int n = i;
                    loop.execute(() -> order.add(n));
                }
                return null;
            }).thenCompose(v -> loop.call(() -> List.copyOf(order)));
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add(i);
            }
            assertEquals(expected, get(result));
            assertEquals("shard-3", get(loop.call(() -> Thread.currentThread().getName())));
            assertEquals(3, loop.id());
        }
    }

    @Test
    void foreignSubmissionsFromManyThreadsAllRunOnTheLoop() throws Exception {
        try (Loop loop = Loop.start(LoopConfig.builder().inboxCapacity(64).build())) {
            int producers = 4;
            int perProducer = 5_000;
            int[] counts = new int[producers];
            AtomicReference<String> wrongThread = new AtomicReference<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perProducer; i++) {
                        int expected = i;
                        loop.execute(() -> {
                            if (Thread.currentThread() != loop.thread()) {
                                wrongThread.set(Thread.currentThread().getName());
                            }
                            // FIFO per producer: each producer's tasks arrive in the order sent.
                            if (counts[id] != expected) {
                                wrongThread.set("out of order for producer " + id);
                            }
                            counts[id]++;
                        });
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            int[] seen = get(loop.call(counts::clone));
            for (int p = 0; p < producers; p++) {
                assertEquals(perProducer, seen[p], "producer " + p);
            }
            assertEquals(null, wrongThread.get());
            assertTrue(loop.stats().inboxFullWaits() > 0, "a 64-slot inbox must have made producers wait");
        }
    }

    @Test
    void aLoopNeverBlocksOnAnotherLoopsFullInbox() {
        try (Loop a = Loop.start(LoopConfig.builder().id(0).build());
             Loop b = Loop.start(LoopConfig.builder().id(1).inboxCapacity(4).build())) {
            CountDownLatch release = new CountDownLatch(1);
            // Keep b busy so its inbox fills up.
            b.execute(() -> awaitQuietly(release));
            Throwable error = failureOf(a.call(() -> {
                for (int i = 0; i < 100; i++) {
                    b.execute(() -> { });
                }
                return null;
            }));
            release.countDown();
            assertInstanceOf(RejectedExecutionException.class, error);
            assertTrue(error.getMessage().contains("must not block"), error.getMessage());
            // Both loops carry on.
            assertEquals(1, get(b.call(() -> 1)));
            assertEquals(2, get(a.call(() -> 2)));
        }
    }

    @Test
    void sharesDivideTimeBetweenBusyQueues() {
        ManualClock clock = new ManualClock();
        Loop loop = new Loop(LoopConfig.builder().clock(clock).quota(Duration.ofMillis(1)).build());
        loop.runOnce();
        TaskQueue heavy = loop.newTaskQueue("heavy", 300);
        TaskQueue light = loop.newTaskQueue("light", 100);
        int[] runs = new int[2];
        // Each task costs 100 µs of (manual) time and queues itself again: both queues are always busy.
        Runnable[] tasks = new Runnable[2];
        tasks[0] = () -> {
            clock.advanceNanos(100_000);
            runs[0]++;
            heavy.execute(tasks[0]);
        };
        tasks[1] = () -> {
            clock.advanceNanos(100_000);
            runs[1]++;
            light.execute(tasks[1]);
        };
        heavy.execute(tasks[0]);
        light.execute(tasks[1]);
        for (int i = 0; i < 400; i++) {
            loop.runOnce();
        }
        double ratio = (double) runs[0] / runs[1];
        assertTrue(ratio > 2.6 && ratio < 3.4, "300:100 shares should give ~3x the runs, got "
                + runs[0] + ":" + runs[1]);
        assertEquals(runs[0], heavy.tasksRun());
        loop.close();
    }

    @Test
    void quotaEndsARunPhaseSoSourcesGetPolled() {
        ManualClock clock = new ManualClock();
        Loop loop = new Loop(LoopConfig.builder().clock(clock).quota(Duration.ofNanos(500_000)).build());
        loop.runOnce();
        int[] polls = {0};
        loop.register(() -> {
            polls[0]++;
            return 0;
        });
        int[] ran = {0};
        Runnable spinner = new Runnable() {
            @Override
            public void run() {
                clock.advanceNanos(10_000); // 10 µs per task: a 500 µs quota fits about 50
                ran[0]++;
                loop.execute(this);
            }
        };
        loop.execute(spinner);
        loop.runOnce();
        assertEquals(1, polls[0]);
        // The clock is read every 16 tasks, so the phase ends within 16 tasks of the quota.
        assertTrue(ran[0] >= 50 && ran[0] <= 66, "ran " + ran[0]);
        loop.close();
    }

    @Test
    void taskBudgetEndsAPhaseWhenTheClockStandsStill() {
        ManualClock clock = new ManualClock();
        Loop loop = new Loop(LoopConfig.builder().clock(clock).taskBudget(100).build());
        loop.runOnce();
        int[] ran = {0};
        Runnable forever = new Runnable() {
            @Override
            public void run() {
                ran[0]++;
                loop.execute(this);
            }
        };
        loop.execute(forever);
        loop.runOnce();
        assertEquals(100, ran[0]);
        loop.close();
    }

    @Test
    void needsPreemptTurnsTrueOnceTheQuotaIsSpent() {
        ManualClock clock = new ManualClock();
        Loop loop = new Loop(LoopConfig.builder().clock(clock).quota(Duration.ofMillis(1)).build());
        loop.runOnce();
        List<Boolean> seen = new ArrayList<>();
        loop.execute(() -> {
            seen.add(loop.needsPreempt());
            clock.advance(Duration.ofMillis(2));
            seen.add(loop.needsPreempt());
        });
        loop.runOnce();
        assertEquals(List.of(false, true), seen);
        loop.close();
    }

    @Test
    void pollSourcesRunEveryIterationAndCanBeRemoved() {
        Loop loop = new Loop(LoopConfig.builder().build());
        loop.runOnce();
        int[] polled = {0};
        AutoCloseable reg = loop.register(() -> {
            polled[0]++;
            return 1;
        });
        assertEquals(1, loop.runOnce(), "a source's work counts as the loop's work");
        assertEquals(1, loop.runOnce());
        assertEquals(2, polled[0]);
        assertDoesNotThrow(reg::close);
        assertEquals(0, loop.runOnce());
        assertEquals(2, polled[0]);
        loop.close();
    }

    @Test
    void aSourceThatThrowsIsReportedAndTheLoopGoesOn() {
        List<Throwable> uncaught = new ArrayList<>();
        Loop loop = new Loop(LoopConfig.builder().uncaughtHandler((l, t) -> uncaught.add(t)).build());
        loop.runOnce();
        loop.register(() -> {
            throw new IllegalStateException("broken source");
        });
        int[] ran = {0};
        loop.execute(() -> ran[0]++);
        loop.runOnce();
        loop.runOnce();
        assertEquals(1, ran[0]);
        assertEquals(2, uncaught.size());
        assertEquals("broken source", uncaught.get(0).getMessage());
        loop.close();
    }

    @Test
    void anIdleLoopParksWithoutATimeoutAndIsWokenByOneSyscall() {
        try (Loop loop = Loop.start(LoopConfig.builder().build())) {
            // No timers: the loop parks without a deadline (WAITING), which uses no CPU at all.
            eventually("loop parked", () -> loop.isParked() && loop.thread().getState() == Thread.State.WAITING);
            long wakeupsBefore = loop.stats().wakeups();
            long parksBefore = loop.stats().parks();
            assertEquals(7, get(loop.call(() -> 7)));
            assertEquals(wakeupsBefore + 1, loop.stats().wakeups(), "one wake-up for one submission to a parked loop");
            eventually("parked again", () -> loop.isParked() && loop.stats().parks() > parksBefore);
        }
    }

    @Test
    void aBusyLoopIsNotWokenBySubmissions() {
        try (Loop loop = Loop.start(LoopConfig.builder().build())) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                running.countDown();
                awaitQuietly(release);
            });
            awaitQuietly(running);
            long before = loop.stats().wakeups();
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 1_000; i++) {
                loop.execute(ran::incrementAndGet);
            }
            assertEquals(before, loop.stats().wakeups(), "submissions to a busy loop made wake-up syscalls");
            release.countDown();
            eventually("all ran", () -> ran.get() == 1_000);
        }
    }

    @Test
    void concurrentWakersOfOneParkMakeOneSyscall() throws Exception {
        try (Loop loop = Loop.start(LoopConfig.builder().build())) {
            for (int round = 0; round < 20; round++) {
                eventually("parked", () -> loop.isParked() && loop.thread().getState() == Thread.State.WAITING);
                long before = loop.stats().wakeups();
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> wakers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    wakers.add(Thread.ofPlatform().start(() -> {
                        awaitQuietly(go);
                        loop.wakeup();
                    }));
                }
                go.countDown();
                for (Thread t : wakers) {
                    t.join();
                }
                long made = loop.stats().wakeups() - before;
                assertTrue(made >= 1, "nobody woke the parked loop");
            }
            // Without timers a park ends only by a wake-up, and a waker that finds the loop awake or
            // already being woken makes no syscall: at most one per park (plus one that may land while
            // the loop re-checks its sources and is then consumed by the next park).
            LoopStats s = loop.stats();
            assertTrue(s.wakeups() <= s.parks() + 1, s.wakeups() + " wake-ups for " + s.parks() + " parks");
        }
    }

    @Test
    void aThrowingTaskIsReportedWithTheLoopAndTheLoopKeepsRunning() {
        ConcurrentLinkedQueue<String> reports = new ConcurrentLinkedQueue<>();
        try (Loop loop = Loop.start(LoopConfig.builder().id(5)
                .uncaughtHandler((l, t) -> reports.add(l.id() + ":" + t.getMessage())).build())) {
            loop.execute(() -> {
                throw new IllegalStateException("boom");
            });
            loop.execute(() -> {
                throw new StackOverflowError("deep");
            });
            assertEquals("still here", get(loop.call(() -> "still here")));
            assertEquals(List.of("5:boom", "5:deep"), List.copyOf(reports));
            assertEquals(2, loop.stats().uncaught());
        }
    }

    @Test
    void aThrowingSpawnFailsItsFutureAndIsNotReportedAsUncaught() {
        List<Throwable> uncaught = new ArrayList<>();
        Loop loop = new Loop(LoopConfig.builder().uncaughtHandler((l, t) -> uncaught.add(t)).build());
        loop.runOnce();
        Future<Integer> f = loop.spawn(() -> {
            throw new IllegalArgumentException("bad");
        });
        loop.runOnce();
        assertTrue(f.isFailed());
        assertEquals("bad", f.cause().getMessage());
        assertTrue(uncaught.isEmpty());
        loop.close();
    }

    @Test
    void theDefaultHandlerLogsUnobservedExceptionsWithTheLoopId() {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.shardline.core");
        List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(h);
        try (Loop loop = Loop.start(LoopConfig.builder().id(9).name("shard-9").build())) {
            loop.execute(() -> {
                throw new IllegalStateException("nobody watches");
            });
            get(loop.call(() -> null));
            assertTrue(records.stream().anyMatch(r -> r.getMessage().contains("loop 9")
                    && r.getThrown() != null && "nobody watches".equals(r.getThrown().getMessage())), records.toString());
        } finally {
            jul.removeHandler(h);
        }
    }

    @Test
    void countersAreReadableFromAnotherThread() {
        try (Loop loop = Loop.start(LoopConfig.builder().build())) {
            for (int i = 0; i < 100; i++) {
                loop.execute(() -> { });
            }
            get(loop.callAsync(() -> loop.sleep(Duration.ofMillis(1))));
            eventually("counters published", () -> loop.stats().tasksRun() >= 101 && loop.stats().timersFired() >= 1);
            LoopStats s = loop.stats();
            assertTrue(s.polls() > 0 && s.iterations() > 0);
            assertTrue(s.busyNanos() > 0);
            assertEquals(0, s.stalls());
            eventually("parked time counted", () -> loop.stats().parkedNanos() > 0);
        }
    }

    @Test
    void ownerOnlyCallsFromAForeignThreadFailNamingBothThreads() {
        try (Loop loop = Loop.start(LoopConfig.builder().name("shard-7").build())) {
            AssertionError e = assertThrows(AssertionError.class, () -> loop.sleep(Duration.ofMillis(1)));
            assertTrue(e.getMessage().contains("shard-7") && e.getMessage().contains(Thread.currentThread().getName()),
                    e.getMessage());
            assertThrows(AssertionError.class, () -> loop.spawn(() -> 1));
            assertThrows(AssertionError.class, () -> loop.defaultQueue().execute(() -> { }));
        }
    }

    @Test
    void loopCurrentIsSetOnTheLoopOnly() {
        try (Loop loop = Loop.start(LoopConfig.builder().build())) {
            assertSame(loop, get(loop.call(Loop::current)));
            assertEquals(null, Loop.current());
            assertTrue(get(loop.call(loop::inLoop)));
            assertFalse(loop.inLoop());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void assertDoesNotThrow(AutoCloseableAction a) {
        try {
            a.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @FunctionalInterface
    private interface AutoCloseableAction {
        void run() throws Exception;
    }
}
