package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Intset against a sorted-set model, and its width upgrades. */
class IntsetTest {
    @Test
    void matchesASortedModel() {
        Random random = new Random(9);
        Intset set = new Intset();
        TreeSet<Long> model = new TreeSet<>();
        for (int step = 0; step < 20_000; step++) {
            long v = switch (random.nextInt(10)) {
                case 0 -> random.nextLong();
                case 1 -> random.nextInt();
                default -> random.nextInt(2000) - 1000;
            };
            if (random.nextInt(3) == 0) {
                assertEquals(model.remove(v), set.remove(v));
            } else {
                assertEquals(model.add(v), set.add(v));
            }
            assertEquals(model.contains(v), set.contains(v));
        }
        assertEquals(model.size(), set.size());
        int i = 0;
        for (long v : model) {
            assertEquals(v, set.get(i++), "ascending order");
        }
        assertEquals(model.first(), set.min());
        assertEquals(model.last(), set.max());
    }

    @Test
    void widthGrowsToTheWidestMemberAndStays() {
        Intset set = new Intset();
        set.add(5);
        set.add(-32768);
        assertEquals(2, set.width());
        set.add(32768);
        assertEquals(4, set.width());
        set.add(Long.MIN_VALUE);
        assertEquals(8, set.width());
        assertEquals(Long.MIN_VALUE, set.get(0));
        assertEquals(32768, set.max());
        assertTrue(set.remove(Long.MIN_VALUE));
        assertEquals(8, set.width(), "Redis never narrows an intset");
        assertFalse(set.contains(Long.MIN_VALUE));
        assertEquals(3, set.size());
        assertEquals(2, Intset.widthOf(Short.MIN_VALUE));
        assertEquals(4, Intset.widthOf(Integer.MAX_VALUE));
        assertEquals(8, Intset.widthOf(Integer.MAX_VALUE + 1L));
    }
}
