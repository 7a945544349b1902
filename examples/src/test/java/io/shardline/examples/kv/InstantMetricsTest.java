package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The instantaneous rates' sampling, with times given by the test: Redis's mean over 16 samples. */
class InstantMetricsTest {
    private static final long TICK = 100_000_000L;

    @Test
    void aSteadyRateShowsWholeOnceSixteenSamplesAreIn() {
        InstantMetrics m = new InstantMetrics();
        m.sample(0, 0, 0, 0);
        assertEquals(0, m.opsPerSecond(), "the first call only sets the base");
        for (int i = 1; i <= 8; i++) { // 1,000 commands, 10 KiB in and 20 KiB out per 100 ms
            m.sample(i * TICK, i * 1_000L, i * 10_240L, i * 20_480L);
        }
        assertEquals(5_000, m.opsPerSecond(), "half the samples in: half the rate, as Redis shows it at start");
        for (int i = 9; i <= 16; i++) {
            m.sample(i * TICK, i * 1_000L, i * 10_240L, i * 20_480L);
        }
        assertEquals(10_000, m.opsPerSecond());
        assertEquals(100.0, m.inputKbps(), 1e-9);
        assertEquals(200.0, m.outputKbps(), 1e-9);
    }

    @Test
    void theOldestSampleGivesWayAndAStopFallsToZero() {
        InstantMetrics m = new InstantMetrics();
        m.sample(0, 0, 0, 0);
        for (int i = 1; i <= 16; i++) {
            m.sample(i * TICK, i * 500L, 0, 0);
        }
        assertEquals(5_000, m.opsPerSecond());
        for (int i = 17; i <= 24; i++) { // no command for 800 ms
            m.sample(i * TICK, 16 * 500L, 0, 0);
        }
        assertEquals(2_500, m.opsPerSecond());
        for (int i = 25; i <= 32; i++) {
            m.sample(i * TICK, 16 * 500L, 0, 0);
        }
        assertEquals(0, m.opsPerSecond());
    }

    @Test
    void aLongerGapIsARateOverThatGapAndAResetCountsNothingNegative() {
        InstantMetrics m = new InstantMetrics();
        m.sample(0, 0, 0, 0);
        m.sample(4 * TICK, 16_000, 0, 0); // a late timer: 16,000 in 400 ms is 40,000 a second
        assertEquals(40_000 / 16, m.opsPerSecond());
        m.sample(5 * TICK, 10, 0, 0); // CONFIG RESETSTAT zeroed a counter
        assertEquals(40_000 / 16, m.opsPerSecond());
    }
}
