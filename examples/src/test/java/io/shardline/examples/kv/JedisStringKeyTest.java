package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.keyOn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.BitOP;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.LCSParams;

/**
 * Strings, bitmaps and key commands through Jedis, with the multi-key ones given keys on different
 * shards of a 3-shard server (the gather-then-write path) and on one shard.
 */
class JedisStringKeyTest {
    private static final int SHARDS = 3;
    static KvServer server;

    @BeforeAll
    static void start() throws Exception {
        server = KvServer.start(KvConfig.inMemory(SHARDS));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void renameAndCopyMoveEveryTypeAndItsTtlAcrossShards() {
        try (Jedis j = connect(server)) {
            j.flushAll();
            String a = keyOn("a", 0, SHARDS);
            String b = keyOn("b", 1, SHARDS);
            String c = keyOn("c", 2, SHARDS);
            j.rpush(a, "x", "y", "z");
            j.pexpireAt(a, 4_000_000_000_000L);
            assertEquals("OK", j.rename(a, b));
            assertFalse(j.exists(a));
            assertEquals(List.of("x", "y", "z"), j.lrange(b, 0, -1));
            assertEquals(4_000_000_000_000L, j.pexpireTime(b));
            j.hset(c, "f", "old");
            assertEquals(0, j.renamenx(b, c));
            assertTrue(j.copy(b, c, true));
            assertEquals("list", j.type(c));
            assertEquals(List.of("x", "y", "z"), j.lrange(c, 0, -1));
            assertFalse(j.copy(b, c, false));
            j.zadd(a, 2.5, "m");
            assertTrue(j.copy(a, b, true));
            assertEquals(2.5, j.zscore(b, "m"));
            assertEquals(-1, j.pexpireTime(b), "the destination takes the source's lack of TTL");
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.rename("nosuch" + a, b));
            assertEquals("ERR no such key", e.getMessage());
        }
    }

    @Test
    void bitopLcsAndMsetnxAcrossShards() {
        try (Jedis j = connect(server)) {
            j.flushAll();
            String a = keyOn("a", 0, SHARDS);
            String b = keyOn("b", 1, SHARDS);
            String d = keyOn("d", 2, SHARDS);
            j.set(a, "foobar");
            j.set(b, "abcdef");
            assertEquals(6, j.bitop(BitOP.AND, d, a, b));
            assertEquals("`bc`ab", j.get(d));
            assertEquals(0, j.bitop(BitOP.OR, d, "none" + a));
            assertFalse(j.exists(d));
            j.set(a, "ohmytext");
            j.set(b, "mynewtext");
            assertEquals("mytext", j.lcs(a, b, LCSParams.LCSParams()).getMatchString());
            assertEquals(6, j.lcs(a, b, LCSParams.LCSParams().len()).getLen());
            assertEquals(0, j.msetnx(d, "1", a, "2"));
            assertFalse(j.exists(d), "MSETNX sets nothing when one key exists");
            j.del(a);
            assertEquals(1, j.msetnx(d, "1", a, "2"));
            assertEquals(List.of("1", "2"), j.mget(d, a));
            String l = keyOn("l", 1, SHARDS);
            j.lpush(l, "list");
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.bitop(BitOP.OR, d, a, l));
            assertTrue(e.getMessage().startsWith("WRONGTYPE"), e.getMessage());
            assertEquals("1", j.get(d), "a failed BITOP leaves the destination alone");
        }
    }

    @Test
    void bitmapsAndRanges() {
        try (Jedis j = connect(server)) {
            j.flushAll();
            assertFalse(j.setbit("bm", 10, true));
            assertTrue(j.getbit("bm", 10));
            assertEquals(1, j.bitcount("bm"));
            assertEquals(10, j.bitpos("bm", true));
            assertEquals(List.of(0L, 1L), j.bitfield("bf", "SET", "u8", "0", "1", "GET", "u8", "0"));
            assertEquals(List.of(1L), j.bitfieldReadonly("bf", "GET", "u8", "0"));
            assertEquals(7, j.setrange("r", 2, "hello"));
            assertArrayEquals(new byte[] {0, 0, 'h', 'e', 'l', 'l', 'o'}, j.get("r".getBytes()));
            assertEquals("ell", j.getrange("r", 3, 5));
            assertEquals("\u0000\u0000hello", j.getEx("r", GetExParams.getExParams().exAt(4_000_000_000L)));
            assertEquals(4_000_000_000L, j.expireTime("r"));
            assertEquals("\u0000\u0000hello", j.getDel("r"));
            assertNull(j.get("r"));
        }
    }

    @Test
    void randomkeyReachesKeysOnEveryShard() {
        try (Jedis j = connect(server)) {
            j.flushAll();
            assertNull(j.randomKey());
            List<String> keys = List.of(keyOn("r", 0, SHARDS), keyOn("r", 1, SHARDS), keyOn("r", 2, SHARDS));
            for (String k : keys) {
                j.set(k, "v");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 300 && seen.size() < 3; i++) {
                seen.add(j.randomKey());
            }
            assertEquals(Set.copyOf(keys), seen);
            assertEquals(3, j.touch(keys.toArray(String[]::new)));
        }
    }

    /** A request pipelined after a cross-shard command sees all of its writes (the connection waits for its last step). */
    @Test
    void aPipelinedReadAfterACrossShardWriteSeesIt() {
        try (Jedis j = connect(server)) {
            j.flushAll();
            String a = keyOn("pa", 0, SHARDS);
            String b = keyOn("pb", 1, SHARDS);
            String d = keyOn("pd", 2, SHARDS);
            redis.clients.jedis.Pipeline p = j.pipelined();
            for (int i = 0; i < 50; i++) {
                p.set(a, "v" + i);
                p.rename(a, b);
                p.get(b);
                p.exists(a);
                p.bitop(BitOP.OR, d, b, b);
                p.get(d);
            }
            List<Object> replies = p.syncAndReturnAll();
            for (int i = 0; i < 50; i++) {
                assertEquals(List.of("OK", "OK", "v" + i, false, (long) ("v" + i).length(), "v" + i),
                        replies.subList(i * 6, i * 6 + 6), "round " + i);
            }
        }
    }
}
