package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.RestoreParams;
import redis.clients.jedis.resps.Tuple;

/**
 * What RESTORE and SORT ... STORE write survives a restart, through the log and through a snapshot:
 * values, absolute TTLs (a relative TTL is logged as ABSTTL), REPLACE, and SORT results stored on
 * another shard than the sorted key's.
 */
@Timeout(120)
class KvDumpSortPersistenceTest {
    private static final int SHARDS = 3;

    @TempDir
    Path dir;

    /** The servers' clock, shared across restarts so TTLs are checked exactly. */
    final AtomicLong now = new AtomicLong(System.currentTimeMillis());

    private KvServer start() throws Exception {
        return KvServer.start(KvConfig.inMemory(SHARDS).withDataDir(dir).withFsync("always").withClock(now::get));
    }

    /** Two keys of {@code prefix} on different shards. */
    private static List<String> apart(String prefix) {
        return List.of(JedisSupport.keyOn(prefix, 0, SHARDS), JedisSupport.keyOn(prefix, 2, SHARDS));
    }

    private void writeAndCheck(boolean snapshot) throws Exception {
        List<String> sorted = apart("sortme:");
        long t0 = now.get();
        try (KvServer server = start(); Jedis j = JedisSupport.connect(server)) {
            j.rpush("l", "3", "1", "2");
            j.sadd("s", "b", "a");
            j.hset("h", Map.of("f", "v", "g", "w"));
            j.zadd("z", Map.of("m", 1.5, "n", -2.0));
            j.set("str", "12345");
            for (String k : List.of("l", "s", "h", "z", "str")) {
                byte[] payload = j.dump(k);
                assertEquals("OK", j.restore("r:" + k, 60_000, payload));
                assertEquals("OK", j.restore("a:" + k, 0, payload, RestoreParams.restoreParams().absTtl()));
            }
            j.set("a:l", "replaced soon");
            assertEquals("OK", j.restore("a:l", t0 + 90_000, j.dump("l"), RestoreParams.restoreParams().replace().absTtl()));
            // SORT ... STORE with the destination on another shard than the source.
            j.rpush(sorted.get(0), "10", "9", "1");
            assertEquals(3, j.sort(sorted.get(0), sorted.get(1)));
            j.set("empty-dest", "x");
            assertEquals(0, j.sort("missing-list", "empty-dest"));
            if (snapshot) {
                server.compactAll();
                j.rpush(sorted.get(0), "0");
                assertEquals(4, j.sort(sorted.get(0), sorted.get(1)));
            }
        }
        now.addAndGet(1_000);
        try (KvServer server = start(); Jedis j = JedisSupport.connect(server)) {
            assertEquals(List.of("3", "1", "2"), j.lrange("r:l", 0, -1));
            assertEquals(java.util.Set.of("a", "b"), j.smembers("r:s"));
            assertEquals(Map.of("f", "v", "g", "w"), j.hgetAll("a:h"));
            assertEquals(List.of(new Tuple("n", -2.0), new Tuple("m", 1.5)), j.zrangeWithScores("r:z", 0, -1));
            assertEquals("12345", j.get("a:str"));
            for (String k : List.of("l", "s", "h", "z", "str")) {
                long pttl = j.pttl("r:" + k);
                assertTrue(pttl > 0 && pttl <= 59_000, "r:" + k + " keeps its absolute expiry, PTTL " + pttl);
                if (!k.equals("l")) {
                    assertEquals(-1, j.pttl("a:" + k), "RESTORE with TTL 0 and ABSTTL has no expiry: a:" + k);
                }
            }
            assertEquals(t0 + 90_000, j.pexpireTime("a:l"));
            assertEquals(List.of("3", "1", "2"), j.lrange("a:l", 0, -1));
            assertEquals(snapshot ? List.of("0", "1", "9", "10") : List.of("1", "9", "10"), j.lrange(sorted.get(1), 0, -1));
            assertFalse(j.exists("empty-dest"), "SORT STORE of nothing deleted the destination");
        }
    }

    @Test
    void restoredKeysAndSortResultsSurviveARestartFromTheLog() throws Exception {
        writeAndCheck(false);
    }

    @Test
    void andFromASnapshotWithTheLogAfterIt() throws Exception {
        writeAndCheck(true);
    }
}
