package io.shardline.core;

import static io.shardline.core.TestSupport.eventually;
import static io.shardline.core.TestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StallTest {

    @Test
    void aTaskStuckPastTheThresholdIsReportedWithLoopIdAndStack() throws Exception {
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        try (Loop loop = Loop.start(LoopConfig.builder().id(4).name("shard-4")
                .stallThreshold(Duration.ofMillis(30)).stallListener(reports::add).build())) {
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> stuckUntil(release));
            eventually("a stall report", () -> !reports.isEmpty());
            release.countDown();
            StallReport r = reports.get(0);
            assertEquals(4, r.loopId());
            assertEquals("shard-4", r.threadName());
            assertTrue(r.stalledNanos() >= 30_000_000L, "reported after " + r.stalledNanos() + " ns");
            assertTrue(r.waitedNanos() < r.stalledNanos() / 2, "a blocked thread waits on no run queue: "
                    + r.describe());
            assertTrue(Arrays.stream(r.stack()).anyMatch(f -> f.getMethodName().equals("stuckUntil")),
                    "the stack is the loop thread's: " + r.describe());
            assertTrue(r.describe().contains("loop 4") && r.describe().contains("stuckUntil"), r.describe());
            assertEquals(1, get(loop.call(() -> 1)), "the loop goes on after the stall");
            assertEquals(1, loop.stats().stalls());
        }
    }

    @Test
    void aLongStallIsReportedOnceAndShortTasksNever() throws Exception {
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        try (Loop loop = Loop.start(LoopConfig.builder().stallThreshold(Duration.ofMillis(20))
                .stallListener(reports::add).build())) {
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> stuckUntil(release));
            eventually("stall counted", () -> loop.stats().stalls() == 1);
            // Let the watchdog sample the same stuck task many more times.
            long sweeps = StallWatchdog.INSTANCE.sweeps();
            eventually("10 more watchdog sweeps", () -> StallWatchdog.INSTANCE.sweeps() >= sweeps + 10);
            release.countDown();
            assertEquals(1, loop.stats().stalls(), "one stuck task is one stall");
            // Many quick tasks: progress moves, so no stall.
            for (int i = 0; i < 10_000; i++) {
                loop.execute(() -> { });
            }
            get(loop.call(() -> null));
            assertEquals(1, loop.stats().stalls());
            assertEquals(1, reports.size());
        }
    }

    @Test
    void reportsAreRateLimitedButEveryStallIsCounted() {
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        try (Loop loop = Loop.start(LoopConfig.builder().stallThreshold(Duration.ofMillis(10))
                .stallReportInterval(Duration.ofHours(1)).stallListener(reports::add).build())) {
            for (int i = 1; i <= 3; i++) {
                CountDownLatch release = new CountDownLatch(1);
                loop.execute(() -> stuckUntil(release));
                int expected = i;
                eventually("stall " + i, () -> loop.stats().stalls() == expected);
                release.countDown();
                get(loop.call(() -> null));
            }
            assertEquals(3, loop.stats().stalls());
            assertEquals(1, reports.size(), "one report per interval");
        }
    }

    @Test
    void aStallIsRecordedAsAJfrEvent() throws Exception {
        List<RecordedEvent> events = new CopyOnWriteArrayList<>();
        try (RecordingStream rs = new RecordingStream()) {
            rs.enable("io.shardline.Stall");
            rs.onEvent("io.shardline.Stall", events::add);
            rs.startAsync();
            try (Loop loop = Loop.start(LoopConfig.builder().id(6).stallThreshold(Duration.ofMillis(20))
                    .stallListener(r -> { }).build())) {
                CountDownLatch release = new CountDownLatch(1);
                loop.execute(() -> stuckUntil(release));
                eventually("stall counted", () -> loop.stats().stalls() == 1);
                release.countDown();
                get(loop.call(() -> null));
            }
            // JFR delivers in chunks; keep flushing until the event arrives.
            List<String> seen = new ArrayList<>();
            eventually("the JFR stall event", () -> {
                events.forEach(e -> seen.add(e.getInt("loopId") + ":" + e.getString("stack")));
                return events.stream().anyMatch(e -> e.getInt("loopId") == 6
                        && e.getString("stack").contains("stuckUntil")
                        && e.getLong("stalledNanos") >= 20_000_000L);
            });
        }
    }

    @Test
    void timeTheLoopThreadWaitsForACpuDoesNotCountTowardsAStall() {
        List<StallReport> reports = new ArrayList<>();
        // A watchdog of the test's own, looked through at times the test picks, at a loop that never
        // moves: no real clock anywhere.
        try (Loop loop = new Loop(LoopConfig.builder().stallThreshold(Duration.ofMillis(50))
                .stallListener(reports::add).build())) {
            SetRunQueue runQueue = new SetRunQueue();
            loop.runQueueTime(runQueue);
            StallWatchdog dog = new StallWatchdog();
            StallWatchdog.Watched w = new StallWatchdog.Watched(loop);
            dog.check(w, 0); // the candidate starts here
            dog.check(w, ms(10)); // first look at the run queue: 0 waited so far
            runQueue.nanos = ms(240);
            dog.check(w, ms(250)); // 5 thresholds, but all save 10 ms of it waiting for a CPU
            assertEquals(0, loop.stats().stalls(), "a preempted loop is not stalled: " + reports);
            dog.check(w, ms(289)); // 49 ms of its own time
            assertEquals(0, loop.stats().stalls());
            dog.check(w, ms(300)); // now it has run for a threshold of its own time in one task
            assertEquals(1, loop.stats().stalls());
            assertEquals(1, reports.size());
            StallReport r = reports.get(0);
            assertEquals(ms(300), r.stalledNanos());
            assertEquals(ms(240), r.waitedNanos(), "the waiting is reported: " + r.describe());
            assertTrue(r.describe().contains("waiting for a CPU"), r.describe());
            dog.check(w, ms(400));
            assertEquals(1, loop.stats().stalls(), "one stall is counted once");
        }
    }

    @Test
    void aBlockedTaskStillCountsInFullWhenTheRunQueueTimeIsUnknown() {
        List<StallReport> reports = new ArrayList<>();
        try (Loop loop = new Loop(LoopConfig.builder().stallThreshold(Duration.ofMillis(50))
                .stallListener(reports::add).build())) {
            loop.runQueueTime(RunQueueTime.UNKNOWN);
            StallWatchdog dog = new StallWatchdog();
            StallWatchdog.Watched w = new StallWatchdog.Watched(loop);
            dog.check(w, 0);
            dog.check(w, ms(49));
            assertEquals(0, loop.stats().stalls());
            dog.check(w, ms(50));
            assertEquals(1, loop.stats().stalls());
            assertEquals(0, reports.get(0).waitedNanos());
        }
    }

    @Test
    void aStallsWholeLengthGoesToTheHistogramWhenItEnds() {
        try (Loop loop = new Loop(LoopConfig.builder().stallThreshold(Duration.ofMillis(50))
                .stallListener(r -> { }).build())) {
            loop.runQueueTime(RunQueueTime.UNKNOWN);
            StallWatchdog dog = new StallWatchdog();
            StallWatchdog.Watched w = new StallWatchdog.Watched(loop);
            dog.check(w, 0);
            dog.check(w, ms(50));
            assertEquals(1, loop.stats().stalls());
            assertEquals(0, loop.stallDurations().snapshot().count(), "still stalled: its length is not known yet");
            dog.check(w, ms(300));
            loop.runOnce(); // the loop moves on
            dog.check(w, ms(320));
            StallHistogram.Snapshot h = loop.stallDurations().snapshot();
            assertEquals(1, h.count());
            assertEquals(0.32, h.sumSeconds(), 1e-9);
            assertEquals(0.5, h.upperBounds()[4]);
            assertEquals(1, h.counts()[4], "320 ms falls in the 0.5 s bucket: " + Arrays.toString(h.counts()));
            assertEquals(Double.POSITIVE_INFINITY, h.upperBounds()[h.upperBounds().length - 1]);
            dog.check(w, ms(500));
            assertEquals(1, loop.stallDurations().snapshot().count(), "a stall is recorded once");
        }
    }

    private static long ms(long millis) {
        return millis * 1_000_000L;
    }

    /** A run-queue reading the test sets. */
    private static final class SetRunQueue implements RunQueueTime {
        volatile long nanos;

        @Override
        public long nanos() {
            return nanos;
        }
    }

    @Test
    void theRunQueueReaderReadsItsOwnThreadFromAnyThread() throws Exception {
        RunQueueTime[] reader = new RunQueueTime[1];
        CountDownLatch made = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            reader[0] = RunQueueTime.ofCurrentThread();
            made.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        made.await();
        assumeTrue(reader[0] != RunQueueTime.UNKNOWN, "no /proc/thread-self schedstat here");
        long first = reader[0].nanos();
        long second = reader[0].nanos();
        assertTrue(first >= 0 && second >= first, first + " then " + second);
        done.countDown();
        t.join();
    }

    @Test
    void theRunQueueTimeIsTheSecondSchedstatFieldAndUnknownWithoutTheFile(@TempDir Path dir) throws Exception {
        Path schedstat = Files.writeString(dir.resolve("schedstat"), "9000 4711 12\n"); // on-CPU, run queue, slices
        assertEquals(4711, RunQueueTime.read(schedstat));
        assertEquals(-1, RunQueueTime.read(dir.resolve("gone")), "an ended thread's entry is gone");
        assertEquals(-1, RunQueueTime.read(Files.writeString(dir.resolve("odd"), "9000\n")));
    }

    /** Blocks the loop thread until {@code release}: a stalled task whose thread sleeps, so none of it is run-queue time. */
    private static void stuckUntil(CountDownLatch release) {
        try {
            release.await(); // blocks the loop thread on purpose: this is the stall
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
