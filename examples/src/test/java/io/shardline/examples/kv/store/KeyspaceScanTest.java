package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** SCAN's guarantee under concurrent change, its filters, and KEYS. */
class KeyspaceScanTest {
    private final TestShard shard = new TestShard();
    private final Keyspace ks = shard.keyspace;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Set<String> texts(List<byte[]> keys) {
        Set<String> out = new TreeSet<>();
        for (byte[] k : keys) {
            out.add(new String(k, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    @Test
    void emptyKeyspaceEndsAtOnce() {
        ScanResult r = ks.scan(0, 10, null, null);
        assertEquals(0, r.cursor());
        assertTrue(r.keys().isEmpty());
    }

    @Test
    void fullIterationReturnsEveryKeyOnce() {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            all.add("key:" + i);
            ks.setString(b("key:" + i), b("v"));
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        do {
            ScanResult r = ks.scan(cursor, 10, null, null);
            for (String k : texts(r.keys())) {
                assertTrue(seen.add(k), "without changes no key comes twice: " + k);
            }
            cursor = r.cursor();
            assertTrue(cursor >= 0 && cursor < 1L << Keyspace.SCAN_CURSOR_BITS, "cursor leaves the top bits free");
            calls++;
        } while (cursor != 0);
        assertEquals(all, seen);
        assertTrue(calls >= 90 && calls <= 110, "about count keys per call: " + calls);
    }

    @Test
    void keysPresentThroughoutAreSeenDespiteInsertsAndDeletes() {
        Random random = new Random(7);
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            ks.setString(b("stable:" + i), b("v"));
            stable.add("stable:" + i);
        }
        for (int i = 0; i < 2000; i++) {
            ks.setString(b("churn:" + i), b("v"));
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int next = 2000;
        do {
            ScanResult r = ks.scan(cursor, 1 + random.nextInt(20), null, null);
            seen.addAll(texts(r.keys()));
            cursor = r.cursor();
            for (int j = 0; j < 30; j++) { // between calls: add new keys, delete churn keys
                ks.setString(b("churn:" + next++), b("v"));
                ks.delete(b("churn:" + random.nextInt(next)));
            }
        } while (cursor != 0);
        Set<String> missing = new HashSet<>(stable);
        missing.removeAll(seen);
        assertEquals(Set.of(), missing);
    }

    @Test
    void patternAndTypeFilter() {
        shard.call("SET", "user:1", "a");
        shard.call("SET", "user:2", "b");
        shard.call("RPUSH", "user:list", "x");
        shard.call("ZADD", "board", "1", "m");
        shard.call("HSET", "h", "f", "v");
        assertEquals(Set.of("user:1", "user:2", "user:list"), scanAll(b("user:*"), null));
        assertEquals(Set.of("user:1", "user:2"), scanAll(b("user:?"), "string"));
        assertEquals(Set.of("board"), scanAll(null, "ZSET"));
        assertEquals(Set.of("h"), scanAll(null, "hash"));
        assertEquals(Set.of(), scanAll(null, "stream"), "an unknown type matches nothing");
        assertEquals(Set.of("user:1", "user:2", "user:list", "board", "h"), scanAll(b("*"), null));
    }

    @Test
    void scanSkipsAndRemovesExpiredKeys() {
        shard.call("SET", "a", "v", "PX", "10");
        shard.call("SET", "b", "v");
        shard.advance(11);
        assertEquals(Set.of("b"), scanAll(null, null));
        assertEquals(1, ks.size());
    }

    @Test
    void cursorsOutOfRangeEndTheIteration() {
        ks.setString(b("k"), b("v"));
        assertEquals(new ScanResult(0, List.of()).cursor(), ks.scan(-1, 10, null, null).cursor());
        assertTrue(ks.scan(1L << Keyspace.SCAN_CURSOR_BITS, 10, null, null).keys().isEmpty());
    }

    private Set<String> scanAll(byte[] pattern, String type) {
        Set<String> out = new TreeSet<>();
        long cursor = 0;
        do {
            ScanResult r = ks.scan(cursor, 2, pattern, type);
            out.addAll(texts(r.keys()));
            cursor = r.cursor();
        } while (cursor != 0);
        return out;
    }

    @Test
    void keysMatchesGlobs() {
        for (String k : new String[] {"hello", "hallo", "hxllo", "hllo", "heeeello", "a*c", ""}) {
            ks.setString(b(k), b("v"));
        }
        assertEquals(Set.of("hello", "hallo", "hxllo"), texts(ks.keys(b("h?llo"))));
        assertEquals(Set.of("hello", "hallo", "hxllo", "hllo", "heeeello"), texts(ks.keys(b("h*llo"))));
        assertEquals(Set.of("hello", "hallo"), texts(ks.keys(b("h[ae]llo"))));
        assertEquals(Set.of("hallo", "hxllo"), texts(ks.keys(b("h[^e]llo"))));
        assertEquals(Set.of("a*c"), texts(ks.keys(b("a\\*c"))));
        assertEquals(Set.of("hello"), texts(ks.keys(b("hello"))), "a literal pattern is a lookup");
        assertEquals(7, ks.keys(b("*")).size(), "* also returns the empty key");
        assertEquals(Set.of(""), texts(ks.keys(b(""))));
    }
}
