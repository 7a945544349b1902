package io.shardline.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shardline.core.RunQueueTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The suites' CPU-use reader: threads found by name through /proc, and the machine lines. */
class CpuUseTest {
    @Test
    void aThreadIsFoundByItsNameCutAsTheKernelCutsIt() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc here");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        String name = "cpu-use-test-thread-with-a-long-name";
        Thread t = Thread.ofPlatform().name(name).start(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            started.await();
            RunQueueTime.Sample s = CpuUse.thread(name);
            assertTrue(s.known(), "found by its first 15 characters: " + s);
            assertTrue(CpuUse.onCpuNanos(name) >= 0);
            assertTrue(CpuUse.threads(List.of(name, name)).known());
            assertFalse(CpuUse.thread("no-such-thread").known());
            assertEquals(-1, CpuUse.onCpuNanos("no-such-thread"));
            assertFalse(CpuUse.threads(List.of(name, "no-such-thread")).known(), "a sum with an unknown part is unknown");
            assertTrue(CpuUse.self().known());
        } finally {
            release.countDown();
            t.join();
        }
    }

    @Test
    void otherProcessesAreTheBusyTicksThisProcessDidNotTake() {
        // {total ticks of all CPUs, busy ticks, this process's ticks}: 1000 ticks on 2 CPUs, 600 busy, 400 ours
        long[] before = {5_000, 1_000, 300};
        long[] after = {6_000, 1_600, 700};
        assertEquals("other processes (x) used 0.40 CPUs on average during the run",
                CpuUse.othersLine(before, after, 2, "(x)", 0.5, "advice"));
        assertEquals("other processes (x) used 0.40 CPUs on average during the run\nwarning: other work shared the CPUs"
                + " with the run; advice", CpuUse.othersLine(before, after, 2, "(x)", 0.3, "advice"));
        assertNull(CpuUse.othersLine(before, before, 2, "(x)", 0.3, "advice"), "no tick passed: unknown");
        assertNull(CpuUse.othersLine(null, after, 2, "(x)", 0.3, "advice"), "no /proc/stat: unknown");
    }

    @Test
    void aLoadRemarkReplacesTheBusyWarning() {
        assertTrue(CpuUse.start().machineLine("the spinning loops count in it").endsWith(" (the spinning loops count in it)"));
    }
}
