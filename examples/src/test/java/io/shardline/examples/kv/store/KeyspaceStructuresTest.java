package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The value structures against simple models: skip list ranks, the list ring, the indexed set. */
class KeyspaceStructuresTest {
    private static Bytes b(String s) {
        return new Bytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** (score, member) as the skip list orders it. */
    private record Scored(double score, Bytes member) {
    }

    private static final Comparator<Scored> ORDER = Comparator.comparingDouble(Scored::score).thenComparing(Scored::member);

    @Test
    void skipListMatchesASortedModel() {
        Random random = new Random(11);
        ZSetValue zset = new ZSetValue();
        TreeMap<Scored, Boolean> model = new TreeMap<>(ORDER);
        java.util.HashMap<Bytes, Double> scores = new java.util.HashMap<>();
        for (int step = 0; step < 20_000; step++) {
            Bytes m = b("m" + random.nextInt(300));
            double s = random.nextInt(50) / 4.0;
            Double old = scores.get(m);
            switch (random.nextInt(3)) {
                case 0, 1 -> {
                    if (old == null) {
                        zset.add(m, s);
                    } else {
                        zset.rescore(m, s);
                        model.remove(new Scored(old, m));
                    }
                    scores.put(m, s);
                    model.put(new Scored(s, m), true);
                }
                default -> {
                    assertEquals(old != null, zset.remove(m));
                    if (old != null) {
                        scores.remove(m);
                        model.remove(new Scored(old, m));
                    }
                }
            }
            if (step % 1000 == 0) {
                checkAgainst(zset, new ArrayList<>(model.keySet()));
            }
        }
        checkAgainst(zset, new ArrayList<>(model.keySet()));
    }

    private static void checkAgainst(ZSetValue zset, List<Scored> expected) {
        assertEquals(expected.size(), zset.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).member(), new Bytes(zset.memberAt(i)), "rank " + i);
            assertEquals(expected.get(i).score(), zset.scoreAt(i));
        }
        for (int i = expected.size() - 1; i >= 0; i--) { // the backward walk too
            assertEquals(expected.get(i).member(), new Bytes(zset.memberAt(i)), "rank " + i);
        }
        if (!expected.isEmpty()) {
            double pivot = expected.get(expected.size() / 2).score();
            long below = expected.stream().filter(s -> s.score() < pivot).count();
            assertEquals(below, zset.countPrefix((score, member) -> score < pivot));
        }
    }

    @Test
    void negativeAndPositiveZeroAreOneScore() {
        ZSetValue zset = new ZSetValue();
        zset.add(b("b"), -0.0);
        zset.add(b("a"), 0.0);
        assertEquals(b("a"), new Bytes(zset.memberAt(0)), "equal scores fall back to member order");
        assertTrue(zset.remove(b("b")));
        assertEquals(1, zset.size());
    }

    @Test
    void listRingMatchesADeque() {
        Random random = new Random(5);
        ListValue list = new ListValue();
        ArrayDeque<String> model = new ArrayDeque<>();
        for (int step = 0; step < 50_000; step++) {
            String v = Integer.toString(step);
            switch (random.nextInt(4)) {
                case 0 -> {
                    list.addFirst(v.getBytes(StandardCharsets.US_ASCII));
                    model.addFirst(v);
                }
                case 1 -> {
                    list.addLast(v.getBytes(StandardCharsets.US_ASCII));
                    model.addLast(v);
                }
                case 2 -> {
                    if (!model.isEmpty()) {
                        assertEquals(model.pollFirst(), new String(list.pollFirst(), StandardCharsets.US_ASCII));
                    }
                }
                default -> {
                    if (!model.isEmpty()) {
                        assertEquals(model.pollLast(), new String(list.pollLast(), StandardCharsets.US_ASCII));
                    }
                }
            }
            assertEquals(model.size(), list.size());
        }
        int i = 0;
        for (String v : model) {
            assertEquals(v, new String(list.get(i++), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void indexedSetAddsRemovesAndPops() {
        SetValue set = new SetValue();
        Set<Bytes> model = new HashSet<>();
        SplittableRandom random = new SplittableRandom(9);
        for (int step = 0; step < 20_000; step++) {
            Bytes m = b("m" + random.nextInt(200));
            switch (random.nextInt(3)) {
                case 0 -> assertEquals(model.add(m), set.add(m));
                case 1 -> assertEquals(model.remove(m), set.remove(m));
                default -> {
                    if (set.size() > 0) {
                        Bytes popped = set.popRandom(random);
                        assertTrue(model.remove(popped));
                    }
                }
            }
            assertEquals(model.size(), set.size());
        }
        Set<Bytes> members = new HashSet<>();
        for (int i = 0; i < set.size(); i++) {
            members.add(set.get(i));
            assertTrue(set.contains(set.get(i)));
        }
        assertEquals(model, members);
        assertFalse(set.contains(b("absent")));
    }

    @Test
    void bytesCompareByContent() {
        assertEquals(b("abc"), b("abc"));
        assertEquals(b("abc").hashCode(), b("abc").hashCode());
        assertFalse(b("abc").equals(b("abd")));
        assertTrue(b("ab").compareTo(b("abc")) < 0, "a prefix sorts first");
        assertTrue(new Bytes(new byte[] {(byte) 0x80}).compareTo(b("z")) > 0, "bytes compare unsigned, as memcmp");
    }
}
