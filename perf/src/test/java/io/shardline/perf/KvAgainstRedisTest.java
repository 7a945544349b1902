package io.shardline.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kv suite's pieces against a real redis-server and redis-benchmark (skipped where they are not
 * installed): starting and stopping a server, one redis-benchmark run and one that hits an error
 * reply, the distinct-key loader, and INFO memory.
 */
class KvAgainstRedisTest {
    @TempDir
    Path dir;
    private KvServers servers;
    private ServerProcess redis;

    @BeforeEach
    void startRedis() throws Exception {
        Assumptions.assumeTrue(KvServers.missing(System.getenv("PATH"),
                List.of(KvServers.REDIS_SERVER, RedisBenchmark.COMMAND)).isEmpty(), "redis-server/redis-benchmark not installed");
        servers = new KvServers(dir, dir);
        redis = servers.redis("redis test");
    }

    @AfterEach
    void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void aRedisBenchmarkRunGivesTheRowOfItsTest() throws Exception {
        RedisBenchmark.Result r = RedisBenchmark.run(redis.name(), redis.port(), List.of("-t", "set", "-P", "16"),
                "SET", 2_000, 60);
        assertNull(r.error());
        assertTrue(r.rps() > 0 && r.p50Ms() >= 0 && r.p99Ms() >= r.p50Ms(), r.toString());
        try (RespClient c = RespClient.connect(redis.port())) {
            assertEquals("3", c.call("STRLEN", "key:__rand_int__"), "one key, redis-benchmark's 3-byte value");
            assertEquals("1", c.call("DBSIZE"));
        }
    }

    @Test
    void anErrorReplyIsTheResultNotAnException() throws Exception {
        RedisBenchmark.Result r = RedisBenchmark.run(redis.name(), redis.port(), List.of("-P", "16", "NOSUCHCMD", "a"),
                "NOSUCHCMD", 1_000, 60);
        assertFalse(r.ok());
        assertTrue(r.error().startsWith("ERR unknown command 'NOSUCHCMD'"), r.error());
        assertTrue(Double.isNaN(r.rps()));
    }

    @Test
    void theLoaderWritesDistinctKeysWithValuesOfTheGivenSize() throws Exception {
        KeyLoader.load(redis.port(), 2_500, 100);
        try (RespClient c = RespClient.connect(redis.port())) {
            assertEquals("2500", c.call("DBSIZE"));
            assertEquals(new String(KeyLoader.value(2_499, 100), StandardCharsets.US_ASCII), c.call("GET", "key:000000002499"));
            assertEquals("100", c.call("STRLEN", "key:000000000000"));
            Map<String, String> info = MemoryProbe.infoFields(c.call("INFO", "memory"));
            assertTrue(MemoryProbe.longField(info, "used_memory") > 2_500 * 100, info.toString());
            assertTrue(MemoryProbe.longField(info, "used_memory_rss") > 0, info.toString());
        }
    }

    @Test
    void theLoaderStopsAtTheFirstErrorReplyAndSaysWhichKey() throws Exception {
        try (RespClient c = RespClient.connect(redis.port())) {
            assertEquals("OK", c.call("CONFIG", "SET", "maxmemory", "1"));
            assertThrows(RespClient.ErrorReply.class, () -> c.call("SET", "x", "y"));
        }
        IOException e = assertThrows(IOException.class, () -> KeyLoader.load(redis.port(), 10, 100));
        assertTrue(e.getMessage().startsWith("SET of key 0 failed: -OOM"), e.getMessage());
    }

    @Test
    void closingAServerStopsItsProcess() throws Exception {
        assertTrue(redis.alive());
        servers.close();
        assertFalse(redis.alive());
        assertThrows(IOException.class, () -> RespClient.connect(redis.port()).call("PING"));
    }
}
