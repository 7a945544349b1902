package io.shardline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Tests of {@link SpinThenParkIdleStrategy}: when it parks, decided by work counts alone. */
class IdleStrategyTest {
    private int parks;

    @Test
    void withoutSpinTheFirstIdleIterationParks() {
        IdleStrategy idle = new SpinThenParkIdleStrategy(0, () -> parks++);
        idle.idle(3);
        assertEquals(0, parks, "an iteration that did work never parks");
        idle.idle(0);
        assertEquals(1, parks);
        idle.idle(0);
        assertEquals(2, parks, "every idle iteration parks again");
    }

    @Test
    void withSpinTheLoopKeepsPollingUntilTheSpinIsSpent() {
        // A spin no test outlives: the loop must poll again instead of parking, however often it is idle.
        IdleStrategy idle = new SpinThenParkIdleStrategy(Long.MAX_VALUE, () -> parks++);
        for (int i = 0; i < 10_000; i++) {
            idle.idle(0);
        }
        assertEquals(0, parks);
    }

    @Test
    void workStartsTheSpinOver() {
        // One nanosecond of spin: spent by the time of the next call, so only a fresh streak keeps it from parking.
        IdleStrategy idle = new SpinThenParkIdleStrategy(1, () -> parks++);
        idle.idle(0);
        assertEquals(0, parks, "the first idle iteration starts the streak and polls again at once");
        idle.idle(1);
        idle.idle(0);
        assertEquals(0, parks, "work ended the streak: this idle iteration starts a new one instead of parking");
        while (parks == 0) {
            idle.idle(0);
        }
        idle.idle(0);
        assertEquals(1, parks, "a park ends the streak too");
    }

    @Test
    void aNegativeSpinIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SpinThenParkIdleStrategy(-1, () -> { }));
    }
}
