package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShardPinningTest {

    @Test
    void autoPinsOnlyWhenACpuIsLeftOver() {
        assertTrue(ShardPinning.pin(1, 2, null));
        assertTrue(ShardPinning.pin(3, 4, "auto"));
        assertFalse(ShardPinning.pin(2, 2, null), "as many shards as CPUs: unpinned");
        assertFalse(ShardPinning.pin(4, 2, " AUTO "), "more shards than CPUs: unpinned");
    }

    @Test
    void propertyOverridesTheRule() {
        assertTrue(ShardPinning.pin(2, 2, "true"));
        assertFalse(ShardPinning.pin(1, 8, "false"));
    }

    @Test
    void anUnknownSettingIsRefusedWithItsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShardPinning.pin(1, 2, "yes"));
        assertEquals("-Dshardline.kv.pin must be auto, true or false, not 'yes'", e.getMessage());
    }
}
