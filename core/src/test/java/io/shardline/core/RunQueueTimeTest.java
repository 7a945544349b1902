package io.shardline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schedstat parser the stall watchdog and the benchmarks share; on files the test writes. */
class RunQueueTimeTest {
    @Test
    void aSampleIsTheFirstTwoSchedstatFieldsFromOneRead(@TempDir Path dir) throws Exception {
        Path schedstat = Files.writeString(dir.resolve("schedstat"), "9000 4711 12\n"); // on-CPU, run queue, slices
        RunQueueTime.Sample s = RunQueueTime.sample(schedstat);
        assertEquals(new RunQueueTime.Sample(9000, 4711), s);
        assertTrue(s.known());
        assertEquals(4711, RunQueueTime.read(schedstat), "read is the sample's run-queue time");
    }

    @Test
    void aMissingOrShortFileIsUnknown(@TempDir Path dir) throws Exception {
        assertEquals(RunQueueTime.Sample.UNKNOWN, RunQueueTime.sample(dir.resolve("gone")));
        assertEquals(RunQueueTime.Sample.UNKNOWN, RunQueueTime.sample(Files.writeString(dir.resolve("odd"), "9000\n")));
        assertEquals(RunQueueTime.Sample.UNKNOWN, RunQueueTime.sample(Files.writeString(dir.resolve("text"), "a b c\n")));
        assertFalse(RunQueueTime.Sample.UNKNOWN.known());
    }

    @Test
    void differencesAndSumsAreUnknownIfEitherSideIs() {
        RunQueueTime.Sample early = new RunQueueTime.Sample(100, 10);
        RunQueueTime.Sample late = new RunQueueTime.Sample(350, 40);
        assertEquals(new RunQueueTime.Sample(250, 30), late.since(early));
        assertEquals(new RunQueueTime.Sample(450, 50), late.plus(early));
        assertEquals(RunQueueTime.Sample.UNKNOWN, late.since(RunQueueTime.Sample.UNKNOWN));
        assertEquals(RunQueueTime.Sample.UNKNOWN, RunQueueTime.Sample.UNKNOWN.plus(early));
    }

    @Test
    void theCallingThreadsOwnFileReads() {
        RunQueueTime reader = RunQueueTime.ofCurrentThread();
        assumeTrue(reader != RunQueueTime.UNKNOWN, "no /proc/thread-self here");
        RunQueueTime.Sample s = RunQueueTime.sample(Path.of("/proc/thread-self/schedstat"));
        assertTrue(s.known() && s.onCpuNanos() > 0, "a running thread has been on a CPU: " + s);
    }
}
