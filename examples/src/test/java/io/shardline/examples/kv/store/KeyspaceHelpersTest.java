package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The typed helpers the cross-shard layer calls for MGET, MSET, DEL and EXISTS. */
class KeyspaceHelpersTest {
    private final TestShard shard = new TestShard();
    private final Keyspace ks = shard.keyspace;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void getStringAnswersAsMget() {
        shard.call("SET", "s", "v");
        shard.call("RPUSH", "l", "x");
        assertArrayEquals(b("v"), ks.getString(b("s")));
        assertNull(ks.getString(b("l")), "another type reads as missing");
        assertNull(ks.getString(b("nokey")));
    }

    @Test
    void setStringReplacesAnythingAndDropsTheTtl() {
        shard.call("RPUSH", "l", "x");
        shard.call("EXPIRE", "l", "100");
        ks.setString(b("l"), b("v"));
        assertEquals("$1\r\nv\r\n", shard.call("GET", "l"));
        assertEquals(":-1\r\n", shard.call("TTL", "l"));
        assertEquals(0, ks.expiresCount());
        ks.setString(b("new"), b("w"));
        assertArrayEquals(b("w"), ks.getString(b("new")));
    }

    @Test
    void deleteAndExists() {
        shard.call("SADD", "s", "m");
        assertTrue(ks.exists(b("s")));
        assertTrue(ks.delete(b("s")));
        assertFalse(ks.delete(b("s")));
        assertFalse(ks.exists(b("s")));
        shard.call("SET", "t", "v", "PX", "5");
        shard.advance(6);
        assertFalse(ks.exists(b("t")), "expired keys do not exist");
        assertFalse(ks.delete(b("t")));
    }

    @Test
    void countsTrackKeysAndTtls() {
        shard.call("MSET", "a", "1", "b", "2");
        shard.call("EXPIRE", "a", "10");
        assertEquals(2, ks.size());
        assertEquals(1, ks.expiresCount());
        ks.delete(b("a"));
        assertEquals(1, ks.size());
        assertEquals(0, ks.expiresCount());
    }
}
