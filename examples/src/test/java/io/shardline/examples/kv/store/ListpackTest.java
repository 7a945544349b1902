package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Listpack against a list model: inserts, replaces and removes anywhere, both walk directions, long entries. */
class ListpackTest {
    private static byte[] value(Random random) {
        // mostly short entries, some past 127 and 16383 bytes so 2- and 3-byte lengths are exercised
        int len = switch (random.nextInt(20)) {
            case 0 -> 128 + random.nextInt(300);
            case 1 -> 16_384 + random.nextInt(10);
            default -> random.nextInt(12);
        };
        byte[] b = new byte[len];
        random.nextBytes(b);
        return b;
    }

    @Test
    void matchesAListModel() {
        Random random = new Random(3);
        Listpack lp = new Listpack();
        List<byte[]> model = new ArrayList<>();
        for (int step = 0; step < 6_000; step++) {
            int op = random.nextInt(10);
            if (op < 4 || model.isEmpty()) {
                int at = random.nextInt(model.size() + 1);
                byte[] v = value(random);
                lp.insert(at, v);
                model.add(at, v);
            } else if (op < 6) {
                int at = random.nextInt(model.size());
                byte[] v = value(random);
                lp.set(at, v);
                model.set(at, v);
            } else if (op < 8) {
                int at = random.nextInt(model.size());
                int n = 1 + random.nextInt(Math.min(3, model.size() - at));
                lp.remove(at, n);
                model.subList(at, at + n).clear();
            } else {
                int at = random.nextInt(model.size());
                assertArrayEquals(model.get(at), lp.get(at), "random read at " + at);
                assertEquals(model.get(at).length, lp.length(at));
            }
            if (step % 500 == 0) {
                check(lp, model);
            }
        }
        check(lp, model);
    }

    private static void check(Listpack lp, List<byte[]> model) {
        assertEquals(model.size(), lp.size());
        int bytes = 0;
        for (int i = 0; i < model.size(); i++) {
            assertArrayEquals(model.get(i), lp.get(i), "forward " + i);
            bytes += Listpack.entrySize(model.get(i).length);
        }
        for (int i = model.size() - 1; i >= 0; i--) {
            assertArrayEquals(model.get(i), lp.get(i), "backward " + i);
        }
        assertEquals(bytes, lp.usedBytes(), "entries are packed back to back");
    }

    @Test
    void findsEveryStepThEntry() {
        Listpack lp = new Listpack();
        for (String s : new String[] {"f1", "v1", "f2", "f1", "f3", "v3"}) {
            lp.add(s.getBytes());
        }
        assertEquals(0, lp.indexOf("f1".getBytes(), 0, 2));
        assertEquals(-1, lp.indexOf("v1".getBytes(), 0, 2), "a value is not a field");
        assertEquals(3, lp.indexOf("f1".getBytes(), 1, 1));
        assertEquals(4, lp.indexOf("f3".getBytes(), 0, 2));
        assertTrue(lp.equalsAt(2, "f2".getBytes()));
        assertFalse(lp.equalsAt(2, "f".getBytes()));
        assertTrue(lp.compareAt(2, "f3".getBytes()) < 0);
        assertEquals(0, lp.compareAt(2, "f2".getBytes()));
    }

    @Test
    void shortEntriesCostTwoBytesOfFraming() {
        Listpack lp = new Listpack();
        lp.add(new byte[10]);
        lp.add(new byte[127]);
        lp.add(new byte[128]);
        assertEquals(12 + 129 + 132, lp.usedBytes());
        assertThrows(IndexOutOfBoundsException.class, () -> lp.get(4));
        lp.clear();
        assertEquals(0, lp.size());
        assertEquals(0, lp.usedBytes());
    }
}
