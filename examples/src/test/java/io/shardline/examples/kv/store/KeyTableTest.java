package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The open-addressing key table on its own, with chosen hashes so runs, wrap-around and backward
 * shifts are exercised on purpose, and SCAN's guarantee across growth and shrinking.
 */
class KeyTableTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Entry entry(String key) {
        byte[] k = b(key);
        return Entry.of(k, 0, k.length, ValueType.STRING, b("v"));
    }

    private static String key(Entry e) {
        return new String(e.key(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void collidingKeysAreFoundAndDeletionsKeepTheRunReachable() {
        KeyTable t = new KeyTable();
        Map<String, Entry> model = new HashMap<>();
        // Every key homes on slot 14 or 15 of 16, so runs wrap round the end of the array.
        for (int i = 0; i < 10; i++) {
            Entry e = entry("k" + i);
            t.insert(e, 14 + (i & 1));
            model.put("k" + i, e);
        }
        for (int i : new int[] {0, 3, 4, 9}) {
            t.delete(model.remove("k" + i), 14 + (i & 1));
        }
        assertEquals(model.size(), t.size());
        for (int i = 0; i < 10; i++) {
            byte[] k = b("k" + i);
            Entry found = t.find(k, 0, k.length, 14 + (i & 1));
            assertSame(model.get("k" + i), found, "k" + i);
        }
    }

    @Test
    void aSliceFindsTheKeyInsideALargerArray() {
        KeyTable t = new KeyTable();
        Entry e = entry("user:7");
        byte[] k = b("user:7");
        t.insert(e, KeyHash.of(k, 0, k.length));
        byte[] buffer = b("*2\r\n$3\r\nGET\r\n$6\r\nuser:7\r\n");
        int off = 17;
        assertSame(e, t.find(buffer, off, 6, KeyHash.of(buffer, off, 6)));
        assertEquals(KeyHash.of(k, 0, k.length), KeyHash.of(buffer, off, 6), "the hash depends on the bytes only");
        assertNull(t.find(buffer, off, 5, KeyHash.of(buffer, off, 5)));
    }

    @Test
    void growsAndShrinksWithTheKeysAndMatchesAModelUnderRandomChurn() {
        KeyTable t = new KeyTable();
        Map<String, Entry> model = new HashMap<>();
        Random random = new Random(3);
        int peak = 0;
        for (int step = 0; step < 40_000; step++) {
            String k = "k" + random.nextInt(5000);
            byte[] kb = b(k);
            int h = KeyHash.of(kb, 0, kb.length) & 0x7FF; // few distinct hashes: long runs, many collisions
            Entry found = t.find(kb, 0, kb.length, h);
            assertSame(model.get(k), found, k);
            if (found == null) {
                Entry e = entry(k);
                t.insert(e, h);
                model.put(k, e);
            } else if (step > 20_000 || random.nextBoolean()) {
                t.delete(found, h);
                model.remove(k);
            }
            peak = Math.max(peak, t.capacity());
            assertEquals(model.size(), t.size());
            assertTrue(t.size() <= t.capacity() * 3 / 4, "load factor bound");
        }
        assertTrue(peak >= 4096, "grew: " + peak);
        assertTrue(t.capacity() <= Math.max(16, model.size() * 16), "shrank back: " + t.capacity() + " for " + model.size());
    }

    @Test
    void scanReturnsEveryStayingKeyWhileTheTableGrowsThenShrinks() {
        KeyTable t = new KeyTable();
        Map<String, Integer> hashes = new HashMap<>();
        List<Entry> staying = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Entry e = entry("stay" + i);
            int h = KeyHash.of(e.key(), 0, e.keyLength());
            t.insert(e, h);
            staying.add(e);
        }
        Set<String> seen = new HashSet<>();
        List<Entry> batch = new ArrayList<>();
        long cursor = 0;
        int calls = 0;
        List<Entry> churn = new ArrayList<>();
        do {
            batch.clear();
            cursor = t.scan(cursor, 3, batch);
            for (Entry e : batch) {
                seen.add(key(e));
            }
            calls++;
            if (calls < 20) { // grow the table to many times its size mid-scan
                for (int i = 0; i < 200; i++) {
                    Entry e = entry("churn" + calls + "-" + i);
                    int h = KeyHash.of(e.key(), 0, e.keyLength());
                    t.insert(e, h);
                    churn.add(e);
                    hashes.put(key(e), h);
                }
            } else if (!churn.isEmpty()) { // then shrink it again
                for (int i = 0; i < 400 && !churn.isEmpty(); i++) {
                    Entry e = churn.remove(churn.size() - 1);
                    t.delete(e, hashes.get(key(e)));
                }
            }
        } while (cursor != 0 && calls < 100_000);
        assertEquals(0, cursor, "the scan ends");
        for (Entry e : staying) {
            assertTrue(seen.contains(key(e)), "missed " + key(e));
        }
    }

    @Test
    void randomDrawsFromEveryPart() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 100; i++) {
            Entry e = entry("k" + i);
            t.insert(e, KeyHash.of(e.key(), 0, e.keyLength()));
        }
        SplittableRandom r = new SplittableRandom(1);
        Set<String> drawn = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            Entry e = t.random(r);
            assertNotNull(e);
            drawn.add(key(e));
        }
        assertTrue(drawn.size() > 90, "drew " + drawn.size() + " of 100");
        t.clear();
        assertNull(t.random(r));
    }
}
