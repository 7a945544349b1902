package io.shardline.examples.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The in-memory tail of a partition: whole batches from the floor of the offset, the shard's budget oldest first. */
class CachedBatchesTest {
    private static byte[] batch(int length, int fill) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void readsWholeBatchesFromTheFloorUpToTheHighWatermarkAndMaxBytes() {
        CachedBatches c = new CachedBatches(new BatchCache(1 << 20));
        byte[] a = batch(100, 1);
        byte[] b = batch(100, 2);
        byte[] d = batch(100, 3);
        c.add(10, a); // offsets 10-14
        c.add(15, b); // 15-19
        c.add(20, d); // 20-24
        assertFalse(c.covers(9));
        assertTrue(c.covers(12));
        assertArrayEquals(concat(a, b, d), concat(c.read(12, 25, 1000)));
        assertArrayEquals(concat(b), concat(c.read(17, 20, 1000)), "nothing at or past the high watermark");
        assertArrayEquals(concat(a, b), concat(c.read(10, 25, 250)), "at most max bytes");
        assertArrayEquals(concat(a), concat(c.read(10, 25, 10)), "but the first batch whole");
        assertSame(b, c.read(15, 25, 1000)[0], "the kept array itself: a fetch sends it with no copy");
    }

    @Test
    void theShardsBudgetEvictsItsOldestBatchWhicheverPartitionHoldsIt() {
        BatchCache budget = new BatchCache(300);
        CachedBatches p0 = new CachedBatches(budget);
        CachedBatches p1 = new CachedBatches(budget);
        for (int i = 0; i < 40; i++) { // grows the ring past its first size
            p0.add(i, batch(5, i));
        }
        p0.add(40, batch(100, 9)); // 300 in all
        assertEquals(300, budget.used());
        p1.add(0, batch(100, 8)); // over: p0's twenty oldest go
        assertEquals(300, budget.used());
        assertFalse(p0.covers(19));
        assertTrue(p0.covers(20));
        p1.add(1, batch(100, 7)); // the other twenty small ones
        assertTrue(p0.covers(40));
        assertFalse(p0.covers(39));
        p1.add(2, batch(100, 6)); // then p0's big one: p1 is the newest
        assertFalse(p0.covers(40));
        assertTrue(p1.covers(0));
        assertEquals(300, budget.used());
        p1.clear();
        assertEquals(0, budget.used());
        assertFalse(p1.covers(1));
    }
}
