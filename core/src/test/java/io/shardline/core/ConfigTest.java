package io.shardline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void defaultsMatchTheDesign() {
        LoopConfig c = LoopConfig.builder().id(2).build();
        assertEquals(Duration.ofNanos(500_000), c.quota());
        assertEquals(Duration.ofMillis(25), c.stallThreshold());
        assertEquals("loop-2", c.name());
    }

    @Test
    void aNegativeOrZeroQuotaIsRejectedSayingWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoopConfig.builder().quota(Duration.ofNanos(-5)));
        assertTrue(e.getMessage().contains("quota must be positive") && e.getMessage().contains("never run a task"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoopConfig.builder().quota(Duration.ZERO));
    }

    @Test
    void otherBadValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> LoopConfig.builder().id(-1));
        assertThrows(IllegalArgumentException.class, () -> LoopConfig.builder().stallThreshold(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> LoopConfig.builder().spin(Duration.ofNanos(-1)));
        assertThrows(IllegalArgumentException.class, () -> LoopConfig.builder().taskBudget(0));
        assertThrows(IllegalArgumentException.class, () -> LoopConfig.builder().inboxCapacity(1));
        assertThrows(IllegalArgumentException.class, () -> LoopConfig.builder().name(" "));
        Loop loop = new Loop(LoopConfig.builder().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.newTaskQueue("q", 0));
        assertTrue(e.getMessage().contains("shares"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loop.newTaskQueue("default", 10));
    }

    @Test
    void aLoopCannotBeStartedTwice() {
        try (Loop loop = Loop.start(LoopConfig.builder().build())) {
            assertThrows(IllegalStateException.class, loop::start);
            assertThrows(IllegalStateException.class, loop::runOnce);
        }
    }
}
