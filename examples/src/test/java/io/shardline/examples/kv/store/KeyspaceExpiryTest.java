package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lazy and active expiry, the expiry table's size, and loading mode. */
class KeyspaceExpiryTest {
    private final TestShard shard = new TestShard();
    private final Keyspace ks = shard.keyspace;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void activeExpireRemovesOnlyDueKeysWithinItsBound() {
        for (int i = 0; i < 10; i++) {
            shard.call("SET", "k" + i, "v", "PX", Integer.toString(100 * (i + 1)));
        }
        shard.call("SET", "forever", "v");
        assertEquals(10, ks.expiresCount());
        assertEquals(0, ks.activeExpire(100), "nothing is due yet");
        shard.advance(350);
        shard.journal.clear();
        assertEquals(2, ks.activeExpire(2), "the bound is respected");
        List<String> first = shard.journalText();
        assertEquals(2, first.size());
        assertTrue(List.of("DEL k0", "DEL k1", "DEL k2").containsAll(first), "only due keys: " + first);
        assertEquals(1, ks.activeExpire(100), "k3 is due only after 400 ms");
        assertEquals(3, new java.util.HashSet<>(shard.journalText()).size(), "the third due key, not one of the first two");
        assertEquals(8, ks.size());
        assertEquals(7, ks.expiresCount());
        shard.advance(10_000);
        assertEquals(7, ks.activeExpire(Integer.MAX_VALUE));
        assertEquals(1, ks.size());
        assertEquals(0, ks.expiresCount());
    }

    @Test
    void changedAndRemovedTtlsAreHonouredBySweeps() {
        shard.call("SET", "k", "v", "PX", "100");
        shard.call("PEXPIRE", "k", "1000");
        shard.call("SET", "gone", "v", "PX", "100");
        shard.call("DEL", "gone");
        shard.call("SET", "p", "v", "PX", "100");
        shard.call("PERSIST", "p");
        shard.advance(500);
        assertEquals(0, ks.activeExpire(100), "old TTLs at 100 ms do not expire anything");
        assertEquals(2, ks.size());
        shard.advance(600);
        assertEquals(1, ks.activeExpire(100));
        assertEquals(1, ks.size());
    }

    @Test
    void expiryTableFollowsTheKeysWithATtl() {
        shard.call("SET", "k", "v");
        for (int i = 0; i < 100_000; i++) {
            shard.call("PEXPIRE", "k", Integer.toString(1000 + i % 7));
        }
        assertEquals(1, ks.expiresCount(), "a changed TTL replaces the old one");
        assertEquals(16, ks.expiryTableCapacity());
        for (int i = 0; i < 10_000; i++) {
            shard.call("SET", "t" + i, "v", "EX", "100");
        }
        assertTrue(ks.expiryTableCapacity() >= 10_001 * 4 / 3, "grown to hold them: " + ks.expiryTableCapacity());
        for (int i = 0; i < 10_000; i++) {
            shard.call("DEL", "t" + i);
        }
        assertEquals(1, ks.expiresCount());
        assertEquals(16, ks.expiryTableCapacity(), "shrunk back once the keys went");
        assertEquals(":1\r\n", shard.call("PERSIST", "k"));
        assertEquals(0, ks.expiresCount());
    }

    @Test
    void aSweepResumesWhereTheLastOneStopped() {
        for (int i = 0; i < 1000; i++) {
            shard.call("SET", "k" + i, "v", "PX", "10");
        }
        shard.advance(11);
        int total = 0;
        for (int sweep = 0; sweep < 1000 && ks.size() > 0; sweep++) {
            int removed = ks.activeExpire(10);
            assertTrue(removed <= 10, "bounded: " + removed);
            total += removed;
        }
        assertEquals(1000, total, "repeated small sweeps reach every due key");
        assertEquals(0, ks.expiresCount());
    }

    @Test
    void typedHelpersExpireLazilyToo() {
        shard.call("SET", "k", "v", "PX", "10");
        shard.journal.clear();
        shard.advance(11);
        assertNull(ks.getString(b("k")));
        assertEquals(List.of("DEL k"), shard.journalText(), "reported to the expiry journal");
        assertEquals(0, ks.size());
    }

    @Test
    void keysAndSnapshotsSkipExpiredKeys() {
        shard.call("SET", "a", "v", "PX", "10");
        shard.call("SET", "b", "v");
        shard.advance(11);
        assertEquals(1, ks.keys(b("*")).size());
        assertEquals(1, ks.size(), "KEYS removed what it found expired");
    }

    @Test
    void loadingModeFreezesExpiry() {
        shard.call("SET", "k", "v", "PX", "10");
        shard.advance(100);
        ks.setLoading(true);
        assertEquals("$1\r\nv\r\n", shard.call("GET", "k"));
        assertEquals(0, ks.activeExpire(10));
        assertEquals(":1\r\n", shard.call("PEXPIREAT", "k", "5"), "a past time is set, not applied");
        assertEquals(":1\r\n", shard.call("EXISTS", "k"));
        ks.setLoading(false);
        assertEquals(":0\r\n", shard.call("EXISTS", "k"));
    }

    @Test
    void flushEmptiesEverything() {
        shard.call("SET", "a", "v", "EX", "10");
        shard.call("RPUSH", "b", "x");
        ks.flush();
        assertEquals(0, ks.size());
        assertEquals(0, ks.expiresCount());
        assertEquals(new Keyspace(() -> 0).usedMemory(), ks.usedMemory(), "accounting back to an empty keyspace");
        shard.advance(100_000);
        assertEquals(0, ks.activeExpire(10));
        assertEquals("$-1\r\n", shard.call("GET", "a"));
    }
}
