package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.assertRedisError;
import static io.shardline.examples.kv.JedisSupport.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * CONFIG GET, SET and RESETSTAT through Jedis on a 3-shard server: glob patterns, several pairs set
 * all or nothing, Redis' error texts, and values applied on every shard (encoding thresholds,
 * maxmemory, the pub/sub output limit).
 */
class JedisConfigTest {
    static KvServer server;

    @BeforeAll
    static void start() throws Exception {
        server = KvServer.start(KvConfig.inMemory(3));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void restore() {
        try (Jedis j = connect(server)) {
            j.configSet("maxmemory", "0", "hz", "10", "hash-max-listpack-entries", "128", "timeout", "0");
            j.configSet("client-output-buffer-limit", "pubsub 32mb 8mb 60");
            j.configSet("maxclients", "10000", "proto-max-bulk-len", "536870912");
            j.flushAll();
        }
    }

    @Test
    void getTakesGlobsAndSeveralPatterns() {
        try (Jedis j = connect(server)) {
            Map<String, String> two = j.configGet("maxmemory", "hz");
            assertEquals(Map.of("maxmemory", "0", "hz", "10"), two);
            Map<String, String> entries = j.configGet("*max-*-entries*");
            assertEquals("512", entries.get("set-max-intset-entries"));
            assertEquals("128", entries.get("hash-max-listpack-entries"));
            assertEquals("128", entries.get("hash-max-ziplist-entries"), "aliases match too, as in Redis");
            assertEquals(Map.of("MAXMEMORY", "0"), j.configGet("MAXMEMORY"), "an exact name comes back as given");
            assertEquals(Map.of(), j.configGet("no-such-parameter"));
            assertEquals("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
                    j.configGet("client-output-buffer-limit").get("client-output-buffer-limit"));
            assertEquals("16", j.configGet("databases").get("databases"));
            assertEquals("noeviction", j.configGet("maxmemory-policy").get("maxmemory-policy"));
        }
    }

    @Test
    void setTakesSeveralPairsAllOrNothing() {
        try (Jedis j = connect(server)) {
            assertEquals("OK", j.configSet("maxmemory", "100mb", "hz", "20"));
            assertEquals(Map.of("maxmemory", "104857600", "hz", "20"), j.configGet("maxmemory", "hz"));
            assertRedisError("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer",
                    () -> j.configSet("maxmemory", "1", "hz", "x"));
            assertEquals("104857600", j.configGet("maxmemory").get("maxmemory"), "a bad pair changes nothing");
            assertEquals("OK", j.configSet("hz", "5000"));
            assertEquals("500", j.configGet("hz").get("hz"), "hz is clamped, as Redis does");
            assertEquals("OK", j.configSet("maxmemory-policy", "ALLKEYS-LRU"));
            assertEquals("allkeys-lru", j.configGet("maxmemory-policy").get("maxmemory-policy"));
            j.configSet("maxmemory-policy", "noeviction");
            assertEquals("OK", j.configSet("save", "3600 1 300 100"));
            assertEquals("3600 1 300 100", j.configGet("save").get("save"));
            j.configSet("save", "");
        }
    }

    @Test
    void setErrorsAreRedis() {
        try (Jedis j = connect(server)) {
            assertRedisError("ERR Unknown option or number of arguments for CONFIG SET - 'foo'", () -> j.configSet("foo", "1"));
            assertRedisError("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config",
                    () -> j.configSet("databases", "3"));
            assertRedisError("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
                    () -> j.configSet("dir", "/tmp"));
            assertRedisError("ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter",
                    () -> j.configSet("hz", "5", "hz", "6"));
            assertRedisError("ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of "
                    + "the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, "
                    + "allkeys-random, noeviction", () -> j.configSet("maxmemory-policy", "foo"));
            assertRedisError("ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'",
                    () -> j.configSet("appendonly", "maybe"));
            assertRedisError("ERR CONFIG SET failed (possibly related to argument 'timeout') - argument must be between 0 and "
                    + "2147483647 inclusive", () -> j.configSet("timeout", "-1"));
            assertRedisError("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value",
                    () -> j.configSet("maxmemory", "1.5mb"));
            assertRedisError("ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters",
                    () -> j.configSet("save", "100"));
            assertRedisError("ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client "
                    + "class specified in buffer limit configuration.", () -> j.configSet("client-output-buffer-limit", "master 1 2 3"));
            assertRedisError("ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class "
                    + "character. Use 'Ag$lshzxeKEtmdn'.", () -> j.configSet("notify-keyspace-events", "Q"));
            assertRedisError("ERR syntax error", () -> j.sendCommand(Protocol.Command.CONFIG, "SET", "a", "b", "c"));
            assertRedisError("ERR wrong number of arguments for 'config|get' command", () -> j.sendCommand(Protocol.Command.CONFIG, "GET"));
            assertRedisError("ERR wrong number of arguments for 'config|resetstat' command",
                    () -> j.sendCommand(Protocol.Command.CONFIG, "RESETSTAT", "x"));
        }
    }

    @Test
    void encodingThresholdAppliesOnEveryShard() {
        try (Jedis j = connect(server)) {
            assertEquals("OK", j.configSet("hash-max-listpack-entries", "1"));
            for (int shard = 0; shard < 3; shard++) {
                String key = JedisSupport.keyOn("enc:", shard, 3);
                j.hset(key, Map.of("a", "1", "b", "2"));
                assertEquals("hashtable", j.objectEncoding(key), "shard " + shard);
            }
        }
    }

    @Test
    void maxmemoryAppliesLive() {
        try (Jedis j = connect(server)) {
            assertEquals("OK", j.configSet("maxmemory", "1"));
            assertRedisError("OOM command not allowed when used memory > 'maxmemory'.", () -> j.set("mm:k", "v"));
            assertEquals("1", j.configGet("maxmemory").get("maxmemory"));
            assertEquals("OK", j.configSet("maxmemory", "0"));
            assertEquals("OK", j.set("mm:k", "v"));
        }
    }

    @Test
    void pubsubOutputLimitAppliesLive() throws Exception {
        try (Jedis j = connect(server); JedisSupport.RawClient sub = new JedisSupport.RawClient(server)) {
            assertEquals("OK", j.configSet("client-output-buffer-limit", "pubsub 64kb 0 0"));
            assertEquals("normal 0 0 0 slave 268435456 67108864 60 pubsub 65536 0 0",
                    j.configGet("client-output-buffer-limit").get("client-output-buffer-limit"));
            sub.command("SUBSCRIBE", "flood");
            sub.reply();
            String message = "x".repeat(16 * 1024);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // The subscriber reads nothing: once the kernel's buffers are full its output passes 64 kB and it is cut off.
            while (j.publish("flood", message) > 0) {
                assertTrue(System.nanoTime() < deadline, "the subscriber was never cut off");
            }
            assertFalse(j.pubsubChannels().contains("flood"));
        }
    }

    @Test
    void resetstatClearsStats() {
        try (Jedis j = connect(server)) {
            j.get("rs:missing");
            assertTrue(j.info("commandstats").contains("cmdstat_get:"));
            assertEquals("OK", j.configResetStat());
            String stats = j.info("commandstats");
            assertFalse(stats.contains("cmdstat_get:"), stats);
            assertTrue(stats.contains("cmdstat_config|resetstat:calls=1,"), stats);
            assertEquals(0, JedisSupport.infoField(j.info("stats"), "keyspace_misses"));
        }
    }

    /** A raw RESP connection: what the server writes before it closes is read to the end. */
    private static java.net.Socket raw() throws java.io.IOException {
        java.net.Socket s = new java.net.Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static String line(java.io.InputStream in) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        int ch;
        while ((ch = in.read()) != -1 && ch != '\n') {
            b.append((char) ch);
        }
        return b.toString().strip();
    }

    @Test
    void maxclientsTurnsAwayTheConnectionOverTheLimitWithRedisErrorAndCountsIt() throws Exception {
        try (Jedis j = connect(server)) {
            j.ping();
            long connected = JedisSupport.infoField(j.info("clients"), "connected_clients");
            j.configSet("maxclients", Long.toString(connected + 1));
            try (Jedis second = connect(server)) {
                assertEquals("PONG", second.ping(), "the last place is still free");
                try (java.net.Socket third = raw()) {
                    java.io.InputStream in = third.getInputStream();
                    assertEquals("-ERR max number of clients reached", line(in));
                    assertEquals(-1, in.read(), "then the server closes it");
                }
                assertEquals(1, JedisSupport.infoField(j.info("stats"), "rejected_connections"));
                assertEquals(Long.toString(connected + 1), j.configGet("maxclients").get("maxclients"));
            }
            // The second client's place is free again once it has gone.
            io.shardline.examples.Polling.await("a place free after a client left", java.time.Duration.ofSeconds(10), () -> {
                try (Jedis again = connect(server)) {
                    return "PONG".equals(again.ping());
                }
            });
            j.configSet("maxclients", "10000");
            assertEquals(connected, JedisSupport.infoField(j.info("clients"), "connected_clients"));
        }
    }

    @Test
    void protoMaxBulkLenAppliesAtOnceToOpenConnectionsToo() throws Exception {
        try (java.net.Socket s = raw(); java.net.Socket other = raw()) {
            other.getOutputStream().write("PING\r\n".getBytes());
            assertEquals("+PONG", line(other.getInputStream()), "open before the change");
            java.io.OutputStream out = s.getOutputStream();
            java.io.InputStream in = s.getInputStream();
            out.write("*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$18\r\nproto-max-bulk-len\r\n$7\r\n1048576\r\n".getBytes());
            out.flush();
            assertEquals("+OK", line(in));
            out.write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048576\r\n".getBytes()); // at the limit: fine
            out.write(new byte[1_048_576]);
            out.write("\r\n".getBytes());
            out.flush();
            assertEquals("+OK", line(in));
            other.getOutputStream().write("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$1048577\r\n".getBytes());
            assertEquals("-ERR Protocol error: invalid bulk length", line(other.getInputStream()));
            out.write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n".getBytes());
            out.flush();
            assertEquals("-ERR Protocol error: invalid bulk length", line(in));
            assertEquals(-1, in.read(), "Redis closes a connection after a protocol error");
        }
        try (Jedis j = connect(server)) {
            assertEquals(1_048_576, j.strlen("k"));
            assertEquals(false, j.exists("big"));
        }
    }
}
