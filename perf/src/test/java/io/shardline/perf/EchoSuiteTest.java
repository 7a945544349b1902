package io.shardline.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.RunQueueTime;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The echo suite's statistics: paired per-round ratios over undisturbed rounds, and CPU per request. */
class EchoSuiteTest {
    private static final long SECOND = 1_000_000_000L;

    /** A round of {@code requests} in one second; the load generator waited {@code loadWaitedNanos} for a CPU. */
    private static EchoRun run(String server, int round, long requests, long p99Micros, long loadWaitedNanos) {
        Histogram h = new Histogram(3);
        h.recordValueWithCount(p99Micros * 1000 / 2, 98);
        h.recordValueWithCount(p99Micros * 1000, 2);
        return new EchoRun(server, "t", "IoUringTransport", round, requests, SECOND, h,
                new RunQueueTime.Sample(SECOND / 2, 0), new RunQueueTime.Sample(SECOND / 4, loadWaitedNanos), requests / 10,
                0, "");
    }

    @Test
    void ratiosArePairedByRoundAndLeaveOutRoundsWhereEitherSideWasDisturbed() {
        // Round 2 of a is disturbed (its generator waited 10% of the window): 0.5 must not count.
        List<EchoRun> a = List.of(run("a", 1, 110_000, 300, 0), run("a", 2, 50_000, 900, SECOND / 10),
                run("a", 3, 130_000, 200, 0));
        List<EchoRun> b = List.of(run("b", 1, 100_000, 400, 0), run("b", 2, 100_000, 400, 0),
                run("b", 3, 100_000, 400, 0));
        assertTrue(EchoSuite.disturbed(a.get(1)));
        assertFalse(EchoSuite.disturbed(a.get(0)));
        assertEquals(1.2, EchoSuite.paired(a, b, EchoRun::rps), 1e-9);
        assertEquals(0.625, EchoSuite.paired(a, b, r -> r.micros(99)), 0.01);
        assertEquals("1.10 (0.50) 1.30", Trials.perRound(a, b, EchoRun::rps, r -> !EchoSuite.disturbed(r)));
    }

    @Test
    void cpuPerRequestIsTheThreadsTimeOnACpuOverTheRequestsServed() {
        EchoRun r = run("a", 1, 100_000, 300, 0);
        assertEquals(5.0, r.serverMicrosPerRequest(), 1e-9); // 0.5 s of CPU for 100,000 requests
        assertEquals(2.5, r.loadMicrosPerRequest(), 1e-9);
        EchoRun unknown = new EchoRun("a", "t", "t", 1, 10, SECOND, new Histogram(3), RunQueueTime.Sample.UNKNOWN,
                RunQueueTime.Sample.UNKNOWN, 1, 0, "");
        assertTrue(Double.isNaN(unknown.serverMicrosPerRequest()) && Double.isNaN(unknown.loadMicrosPerRequest()));
    }
}
