package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Function libraries survive a restart, through the log and through a snapshot that compacted it, as
 * Redis keeps them in its RDB and AOF; what a script wrote is logged like any write; the script cache
 * does not survive, as in Redis. On 3 shards, each with its own log.
 */
class ScriptPersistenceTest {
    @TempDir
    Path dir;

    private KvServer start() throws Exception {
        return KvServer.start(KvConfig.inMemory(3).withDataDir(dir).withFsync("always"));
    }

    private static final String LIB = "#!lua name=kept\nredis.register_function('bump', function(keys) return redis.call('INCR', keys[1]) end)";
    private static final String LIB2 = "#!lua name=gone\nredis.register_function('never', function() return 0 end)";

    @Test
    void librariesAndScriptWritesSurviveRestartThroughLogAndSnapshot() throws Exception {
        List<String> keys = JedisSupport.keys("pk", 6, 3);
        String sha;
        try (KvServer server = start(); Jedis j = JedisSupport.connect(server)) {
            assertEquals("kept", j.functionLoad(LIB));
            assertEquals("gone", j.functionLoad(LIB2));
            assertEquals("OK", j.functionDelete("gone"));
            sha = j.scriptLoad("return 1");
            for (String k : keys) {
                assertEquals(1L, j.fcall("bump", List.of(k), List.of()));
            }
            j.eval("redis.call('SET', KEYS[1], 'by-eval')", List.of("evalkey"), List.of());
        }
        try (KvServer server = start(); Jedis j = JedisSupport.connect(server)) {
            for (String k : keys) { // a new connection's shard: every shard replayed its copy
                try (Jedis other = JedisSupport.connect(server)) {
                    assertEquals(2L, other.fcall("bump", List.of(k), List.of()));
                }
            }
            assertEquals("by-eval", j.get("evalkey"));
            assertEquals(Boolean.FALSE, j.scriptExists(sha));
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.fcall("never", List.of(), List.of()));
            assertEquals("ERR Function not found", e.getMessage());
            server.compactAll(); // snapshots now; the libraries must be in the log after them
        }
        try (KvServer server = start(); Jedis j = JedisSupport.connect(server)) {
            for (String k : keys) {
                try (Jedis other = JedisSupport.connect(server)) {
                    assertEquals(3L, other.fcall("bump", List.of(k), List.of()));
                }
            }
            assertTrue(j.info("memory").contains("\r\nnumber_of_libraries:1\r\n"));
            assertEquals("OK", j.functionFlush());
        }
        try (KvServer server = start(); Jedis j = JedisSupport.connect(server)) {
            assertTrue(j.info("memory").contains("\r\nnumber_of_libraries:0\r\n"));
        }
    }
}
