package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lazy and active expiry, the bound on stale heap slots, and loading mode. */
class KeyspaceExpiryTest {
    private final TestShard shard = new TestShard();
    private final Keyspace ks = shard.keyspace;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void activeExpireRemovesDueKeysEarliestFirst() {
        for (int i = 0; i < 10; i++) {
            shard.call("SET", "k" + i, "v", "PX", Integer.toString(100 * (i + 1)));
        }
        shard.call("SET", "forever", "v");
        assertEquals(10, ks.expiresCount());
        assertEquals(0, ks.activeExpire(100), "nothing is due yet");
        shard.advance(350);
        shard.journal.clear();
        assertEquals(2, ks.activeExpire(2), "the bound is respected");
        assertEquals(List.of("DEL k0", "DEL k1"), shard.journalText());
        assertEquals(1, ks.activeExpire(100), "k3 is due only after 400 ms");
        assertEquals(8, ks.size());
        assertEquals(7, ks.expiresCount());
        shard.advance(10_000);
        assertEquals(7, ks.activeExpire(Integer.MAX_VALUE));
        assertEquals(1, ks.size());
        assertEquals(0, ks.expiresCount());
    }

    @Test
    void changedAndRemovedTtlsLeaveStaleSlotsThatAreSkipped() {
        shard.call("SET", "k", "v", "PX", "100");
        shard.call("PEXPIRE", "k", "1000");
        shard.call("SET", "gone", "v", "PX", "100");
        shard.call("DEL", "gone");
        shard.call("SET", "p", "v", "PX", "100");
        shard.call("PERSIST", "p");
        shard.advance(500);
        assertEquals(0, ks.activeExpire(100), "stale slots at 100 ms do not expire anything");
        assertEquals(2, ks.size());
        shard.advance(600);
        assertEquals(1, ks.activeExpire(100));
        assertEquals(1, ks.size());
    }

    @Test
    void staleSlotsStayBounded() {
        shard.call("SET", "k", "v");
        for (int i = 0; i < 100_000; i++) {
            shard.call("PEXPIRE", "k", Integer.toString(1000 + i % 7));
        }
        assertTrue(ks.expiryHeapSize() <= 2 * ks.expiresCount() + 65, "heap holds " + ks.expiryHeapSize());
        for (int i = 0; i < 1000; i++) {
            shard.call("SET", "t" + i, "v", "EX", "100");
            shard.call("DEL", "t" + i);
        }
        assertTrue(ks.expiryHeapSize() <= 2 * ks.expiresCount() + 65, "heap holds " + ks.expiryHeapSize());
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
        assertEquals(0, ks.expiryHeapSize());
        shard.advance(100_000);
        assertEquals(0, ks.activeExpire(10));
        assertEquals("$-1\r\n", shard.call("GET", "a"));
    }
}
