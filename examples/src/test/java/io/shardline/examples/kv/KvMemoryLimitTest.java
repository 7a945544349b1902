package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.infoField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** maxmemory: -OOM for commands that may grow memory once the limit is reached, and INFO memory. */
class KvMemoryLimitTest {
    private static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    @Test
    void aFloodOfKeysMeetsOomAndDeletesStillWork() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(1).withMaxMemory(2L << 20));
                Jedis j = connect(kv)) {
            String value = "v".repeat(1000);
            int stored = 0;
            JedisDataException refused = null;
            for (int i = 0; i < 100_000 && refused == null; i++) {
                try {
                    j.set("key:" + i, value);
                    stored++;
                } catch (JedisDataException e) {
                    refused = e;
                }
            }
            assertTrue(refused != null, "never refused after " + stored + " keys");
            assertEquals(OOM, refused.getMessage());
            assertTrue(stored > 1000 && stored < 2100, "about 2 MB of 1 kB values: " + stored);
            assertEquals(stored, j.dbSize(), "the refused SET stored nothing");
            assertEquals(value, j.get("key:0"), "reads still work");
            assertThrows(JedisDataException.class, () -> j.rpush("list", value), "RPUSH is denyoom too");
            assertEquals(1, j.del("key:0"), "DEL is not denyoom");
            assertEquals(1, j.expire("key:1", 100), "nor EXPIRE");
            for (int i = 2; i < 200; i++) {
                j.del("key:" + i);
            }
            assertEquals("OK", j.set("again", value), "deletes made room");
            String info = j.info("memory");
            assertEquals(2L << 20, infoField(info, "maxmemory"), info);
            long used = infoField(info, "used_memory");
            assertTrue(used > 1_000_000 && used <= 2L << 20, info);
            assertTrue(infoField(info, "used_memory_rss") > 0, info);
            assertTrue(infoField(info, "heap_max") > 0 && infoField(info, "heap_committed") > 0, info);
            assertEquals(List.of("maxmemory", Long.toString(2L << 20)), List.copyOf(j.configGet("maxmemory").entrySet()
                    .stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toList()));
        }
    }

    @Test
    void oneValueLargerThanTheRoomLeftIsRefusedAtOnce() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(1).withMaxMemory(1L << 20));
                Jedis j = connect(kv)) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.set("big", "x".repeat(2 << 20)));
            assertEquals(OOM, e.getMessage());
            assertEquals(0, j.dbSize());
            assertEquals("OK", j.set("small", "x"));
        }
    }

    @Test
    void withoutMaxmemoryTheLimitComesFromTheHeap() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(2)); Jedis j = connect(kv)) {
            String info = j.info("memory");
            assertEquals(0, infoField(info, "maxmemory"), "as Redis reports an unset maxmemory");
            assertEquals(Runtime.getRuntime().maxMemory() / 2, infoField(info, "memory_limit"), info);
            j.set("k", "v");
            assertTrue(infoField(j.info("memory"), "used_memory") > infoField(info, "used_memory"));
        }
    }
}
