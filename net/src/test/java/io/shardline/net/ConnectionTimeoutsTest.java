package io.shardline.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import io.shardline.core.ManualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The timeouts alone, on a loop the test drives with a {@link ManualClock}: the test plays the
 * connection, reporting reads and writes, and time moves only when it says. The loop's timer wheel
 * fires at most one tick (0.5 ms) late, so the steps here leave a millisecond either side.
 */
class ConnectionTimeoutsTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 4242);
    private final ManualClock clock = new ManualClock();
    private final List<ConnectionTimeoutException> fired = new ArrayList<>();
    private Loop loop;

    @BeforeEach
    void bindLoopToTestThread() {
        loop = new Loop(LoopConfig.builder().name("timeouts").clock(clock)
                // A hand-driven loop looks stalled between runOnce calls; keep the watchdog quiet.
                .stallThreshold(Duration.ofHours(1)).stallListener(r -> { }).build());
        loop.runOnce();
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    private ConnectionTimeouts started(ConnectionOptions options) {
        ConnectionTimeouts t = new ConnectionTimeouts(loop, options, PEER, fired::add);
        t.start();
        return t;
    }

    private void advanceMillis(long ms) {
        clock.advance(Duration.ofMillis(ms));
        loop.runOnce();
    }

    private long timersPending() {
        loop.runOnce(); // stats are published at the end of an iteration
        return loop.stats().timersPending();
    }

    @Test
    void theReadTimeoutFiresOnceWhenNoBytesArriveForItsLength() {
        started(ConnectionOptions.DEFAULT.withReadTimeout(Duration.ofMillis(100)));
        advanceMillis(99);
        assertEquals(List.of(), fired);
        advanceMillis(2);
        assertEquals(1, fired.size());
        assertTrue(fired.get(0).getMessage().contains("no data from " + PEER), fired.get(0).getMessage());
        advanceMillis(1000);
        assertEquals(1, fired.size(), "fires once, though the test left the connection open");
    }

    @Test
    void writesKeepTheIdleTimeoutAway() {
        ConnectionTimeouts t = started(ConnectionOptions.DEFAULT.withIdleTimeout(Duration.ofMillis(100)));
        for (int i = 0; i < 10; i++) {
            advanceMillis(60);
            t.wrote();
        }
        assertEquals(List.of(), fired, "600 ms open, never 100 ms without a write");
        advanceMillis(99);
        assertEquals(List.of(), fired);
        advanceMillis(2);
        assertEquals(1, fired.size());
        assertTrue(fired.get(0).getMessage().contains("idle"), fired.get(0).getMessage());
    }

    @Test
    void writesDoNotKeepTheReadTimeoutAway() {
        ConnectionTimeouts t = started(ConnectionOptions.DEFAULT.withReadTimeout(Duration.ofMillis(100))
                .withIdleTimeout(Duration.ofMillis(1000)));
        for (int i = 0; i < 3; i++) {
            advanceMillis(30);
            t.wrote();
        }
        assertEquals(List.of(), fired);
        advanceMillis(11); // 101 ms since the start, the last read
        assertEquals(1, fired.size());
        assertTrue(fired.get(0).getMessage().contains("no data"), fired.get(0).getMessage());
    }

    @Test
    void readsKeepBothAwayAndTheShorterFiresWhenTheyStop() {
        ConnectionTimeouts t = started(ConnectionOptions.DEFAULT.withIdleTimeout(Duration.ofMillis(100))
                .withReadTimeout(Duration.ofMillis(150)));
        for (int i = 0; i < 10; i++) {
            advanceMillis(90);
            t.read();
        }
        assertEquals(List.of(), fired);
        advanceMillis(99);
        assertEquals(List.of(), fired);
        advanceMillis(2);
        assertEquals(1, fired.size());
        assertTrue(fired.get(0).getMessage().contains("idle for PT0.1S"), fired.get(0).getMessage());
    }

    @Test
    void aStoppedTimeoutNeverFiresAndLeavesNoTimer() {
        ConnectionTimeouts t = started(ConnectionOptions.DEFAULT.withIdleTimeout(Duration.ofMillis(100)));
        assertEquals(1, timersPending());
        t.stop();
        assertEquals(0, timersPending());
        advanceMillis(1000);
        assertEquals(List.of(), fired);
        t.read(); // a late report from a closing connection is harmless
        t.wrote();
        t.stop();
    }

    @Test
    void withoutTimeoutsNothingIsArmed() {
        ConnectionTimeouts t = started(ConnectionOptions.DEFAULT);
        assertFalse(t.enabled());
        assertEquals(0, timersPending());
        t.read();
        t.wrote();
        advanceMillis(Duration.ofDays(1).toMillis());
        assertEquals(List.of(), fired);
    }

    @Test
    void nothingCountsBeforeStart() {
        ConnectionTimeouts t = new ConnectionTimeouts(loop, ConnectionOptions.DEFAULT.withIdleTimeout(
                Duration.ofMillis(100)), PEER, fired::add);
        advanceMillis(500);
        t.start();
        advanceMillis(99);
        assertEquals(List.of(), fired, "counted from start, not from construction");
        advanceMillis(2);
        assertEquals(1, fired.size());
    }
}
