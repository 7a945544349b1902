package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT through Jedis on 3 shards: the cache seen from every
 * shard, keys on several shards, scripts in pipelines and in MULTI, the read-only forms, the database a
 * script SELECTs, and BUSY / SCRIPT KILL / UNKILLABLE with a script that runs until killed.
 */
class JedisScriptingTest {
    private static KvServer server;

    @BeforeAll
    static void start() throws Exception {
        server = KvServer.start(KvConfig.inMemory(3));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void evalReadsAndWritesKeysOnEveryShard() {
        List<String> keys = JedisSupport.keys("ev", 9, 3);
        try (Jedis j = JedisSupport.connect(server)) {
            Object r = j.eval("for i, k in ipairs(KEYS) do redis.call('SET', k, ARGV[1] .. i) end "
                    + "return redis.call('MGET', unpack(KEYS))", keys, List.of("v"));
            assertEquals(List.of("v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"), r);
            for (int i = 0; i < keys.size(); i++) {
                assertEquals("v" + (i + 1), j.get(keys.get(i)));
            }
            assertEquals(9L, j.eval("return redis.call('DEL', unpack(KEYS))", keys, List.of()));
            assertEquals(0L, j.exists(keys.toArray(new String[0])));
        }
    }

    @Test
    void scriptCacheIsSeenFromEveryShard() {
        String sha;
        try (Jedis j = JedisSupport.connect(server)) {
            String body = "return 'cached ' .. ARGV[1]";
            sha = j.scriptLoad(body);
            assertEquals(ScriptCache.sha1hex(body.getBytes(), 0, body.length()), sha);
        }
        for (int i = 0; i < 6; i++) { // connections land on different shards
            try (Jedis j = JedisSupport.connect(server)) {
                assertEquals("cached " + i, j.evalsha(sha, List.of(), List.of(Integer.toString(i))));
                assertEquals(List.of(true, false), j.scriptExists(sha, "0000000000000000000000000000000000000000"));
            }
        }
        try (Jedis j = JedisSupport.connect(server)) {
            assertEquals("OK", j.scriptFlush());
        }
        for (int i = 0; i < 6; i++) {
            try (Jedis j = JedisSupport.connect(server)) {
                JedisDataException e = assertThrows(JedisDataException.class, () -> j.evalsha(sha, List.of(), List.of("x")));
                assertEquals("NOSCRIPT No matching script. Please use EVAL.", e.getMessage());
            }
        }
    }

    @Test
    void evalCachesItsScriptForEvalsha() {
        try (Jedis a = JedisSupport.connect(server); Jedis b = JedisSupport.connect(server)) {
            String body = "return #KEYS * 100 + #ARGV";
            assertEquals(201L, a.eval(body, List.of("k1", "k2"), List.of("x")));
            String sha = ScriptCache.sha1hex(body.getBytes(), 0, body.length());
            assertEquals(102L, b.evalsha(sha, List.of("k"), List.of("x", "y")));
            assertEquals(102L, b.evalshaReadonly(sha, List.of("k"), List.of("x", "y")));
        }
    }

    @Test
    void readOnlyFormsRefuseWrites() {
        try (Jedis j = JedisSupport.connect(server)) {
            j.set("ro", "1");
            assertEquals("1", j.evalReadonly("return redis.call('GET', KEYS[1])", List.of("ro"), List.of()));
            JedisDataException e = assertThrows(JedisDataException.class,
                    () -> j.evalReadonly("return redis.call('SET', KEYS[1], 2)", List.of("ro"), List.of()));
            assertTrue(e.getMessage().startsWith("ERR Write commands are not allowed from read-only scripts. script: "), e.getMessage());
            assertEquals("1", j.get("ro"));
        }
    }

    @Test
    void pipelinedScriptsKeepTheirOrder() {
        try (Jedis j = JedisSupport.connect(server)) {
            j.del("pl");
            Pipeline p = j.pipelined();
            for (int i = 0; i < 50; i++) {
                p.eval("return redis.call('RPUSH', KEYS[1], ARGV[1])", List.of("pl"), List.of(Integer.toString(i)));
                p.rpush("pl", "plain" + i);
            }
            p.sync();
            List<String> all = j.lrange("pl", 0, -1);
            for (int i = 0; i < 50; i++) {
                assertEquals(Integer.toString(i), all.get(2 * i));
                assertEquals("plain" + i, all.get(2 * i + 1));
            }
        }
    }

    @Test
    void evalInsideMultiRunsInExec() {
        List<String> keys = JedisSupport.keys("mx", 6, 3);
        try (Jedis j = JedisSupport.connect(server)) {
            Transaction t = j.multi();
            t.set(keys.get(0), "5");
            t.eval("return redis.call('INCRBY', KEYS[1], 10) + redis.call('INCR', KEYS[2])", List.of(keys.get(0), keys.get(1)), List.of());
            t.get(keys.get(0));
            assertEquals(Arrays.asList("OK", 16L, "15"), t.exec());
        }
    }

    @Test
    void selectInsideAScriptDoesNotChangeTheClientsDatabase() {
        try (Jedis j = JedisSupport.connect(server)) {
            j.del("seldb");
            assertEquals("OK", j.eval("redis.call('SELECT', 2) return redis.call('SET', 'seldb', 'in2')"));
            assertNull(j.get("seldb"));
            j.select(2);
            assertEquals("in2", j.get("seldb"));
            j.del("seldb");
            j.select(0);
        }
    }

    @Test
    void busyScriptIsKilledAndOthersGetBusyMeanwhile() throws Exception {
        try (KvServer own = KvServer.start(KvConfig.inMemory(2)); Jedis admin = JedisSupport.connect(own)) {
            admin.configSet("busy-reply-threshold", "20");
            CompletableFuture<String> runner = CompletableFuture.supplyAsync(() -> {
                try (Jedis j = JedisSupport.connect(own)) {
                    j.eval("local n = 0 while true do n = n + 1 end");
                    return "returned";
                } catch (JedisDataException e) {
                    return e.getMessage();
                }
            });
            String busy = awaitBusy(own);
            assertEquals(ScriptBusy.BUSY, busy);
            for (int i = 0; i < 4; i++) { // every shard answers BUSY, whichever the connection's is
                try (Jedis other = JedisSupport.connect(own)) {
                    JedisDataException e = assertThrows(JedisDataException.class, () -> other.get("k"));
                    assertEquals(ScriptBusy.BUSY, e.getMessage());
                }
            }
            assertEquals("OK", admin.scriptKill());
            String killed = runner.get(30, TimeUnit.SECONDS);
            assertTrue(killed.startsWith("ERR Script killed by user with SCRIPT KILL... script: "), killed);
            assertEquals("PONG", admin.ping());
            JedisDataException none = assertThrows(JedisDataException.class, admin::scriptKill);
            assertEquals(ScriptBusy.NOTBUSY, none.getMessage());
        }
    }

    @Test
    void busyScriptThatWroteIsUnkillable() throws Exception {
        KvServer own = KvServer.start(KvConfig.inMemory(2));
        CompletableFuture<String> runner;
        try (Jedis admin = JedisSupport.connect(own)) {
            admin.configSet("busy-reply-threshold", "20");
            runner = CompletableFuture.supplyAsync(() -> {
                try (Jedis j = JedisSupport.connect(own)) {
                    j.eval("redis.call('SET', 'w', 1) while true do redis.call('GET', 'w') end");
                    return "returned";
                } catch (RuntimeException e) {
                    return e.getMessage();
                }
            });
            awaitBusy(own);
            JedisDataException e = assertThrows(JedisDataException.class, admin::scriptKill);
            assertEquals(ScriptBusy.UNKILLABLE, e.getMessage());
        } finally {
            own.close(); // as SHUTDOWN NOSAVE would: the script's next redis.call finds no server
        }
        runner.cancel(true);
    }

    @Test
    void infoCountsScriptsAndScriptCommands() {
        try (Jedis j = JedisSupport.connect(server)) {
            j.scriptFlush();
            j.functionFlush();
            j.configResetStat();
            j.scriptLoad("return 1");
            j.scriptLoad("return 2");
            j.functionLoad("#!lua name=infolib\nredis.register_function('a', function() return 1 end)\n"
                    + "redis.register_function('b', function() return 2 end)");
            String memory = j.info("memory");
            assertTrue(memory.contains("\r\nnumber_of_cached_scripts:2\r\n"), memory);
            assertTrue(memory.contains("\r\nnumber_of_functions:2\r\n"), memory);
            assertTrue(memory.contains("\r\nnumber_of_libraries:1\r\n"), memory);
            assertTrue(!memory.contains("\r\nused_memory_lua:0\r\n") && memory.contains("\r\nused_memory_lua:"), memory);
            assertTrue(memory.contains("\r\nused_memory_scripts_human:"), memory);
            j.eval("redis.call('INCR', 'st1') redis.call('INCR', 'st2') return redis.call('INCR', 'st3')");
            String stats = j.info("commandstats");
            assertTrue(stats.contains("cmdstat_incr:calls=3,"), stats);
            assertTrue(stats.contains("cmdstat_eval:calls=1,"), stats);
            j.functionFlush();
            j.scriptFlush();
            assertTrue(j.info("memory").contains("\r\nnumber_of_cached_scripts:0\r\n"));
        }
    }

    @Test
    void functionsAreSeenFromEveryShard() {
        List<String> keys = JedisSupport.keys("fk", 6, 3);
        try (Jedis j = JedisSupport.connect(server)) {
            j.functionFlush();
            assertEquals("movelib", j.functionLoad("#!lua name=movelib\n"
                    + "redis.register_function('move', function(keys, args) local v = redis.call('GET', keys[1]) "
                    + "redis.call('DEL', keys[1]) redis.call('SET', keys[2], v) return v end)\n"
                    + "redis.register_function{function_name='peek', callback=function(keys) return redis.call('GET', keys[1]) end,"
                    + " flags={'no-writes'}}"));
            j.set(keys.get(0), "token");
        }
        for (int i = 0; i + 1 < keys.size(); i++) { // new connections land on different shards
            try (Jedis j = JedisSupport.connect(server)) {
                assertEquals("token", j.fcall("move", List.of(keys.get(i), keys.get(i + 1)), List.of()));
                assertEquals("token", j.fcallReadonly("peek", List.of(keys.get(i + 1)), List.of()));
                assertNull(j.get(keys.get(i)));
            }
        }
        try (Jedis j = JedisSupport.connect(server)) {
            assertEquals("OK", j.functionDelete("movelib"));
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.fcall("move", List.of(), List.of()));
            assertEquals("ERR Function not found", e.getMessage());
        }
    }

    @Test
    void aFailingScriptGivesBackItsKeysAndConnection() {
        List<String> keys = JedisSupport.keys("fl", 12, 3);
        try (Jedis j = JedisSupport.connect(server); Jedis other = JedisSupport.connect(server)) {
            for (int i = 0; i < 3; i++) {
                JedisDataException e = assertThrows(JedisDataException.class,
                        () -> j.eval("redis.call('SET', KEYS[1], 'x') error('stop here')", keys, List.of()));
                assertTrue(e.getMessage().startsWith("ERR user_script:1: stop here script: "), e.getMessage());
                assertEquals("x", other.get(keys.get(0))); // not held: the run released its locks
                assertEquals("OK", other.set(keys.get(1), "free"));
            }
            assertEquals("PONG", j.ping());
        }
    }

    /** Polls until a script is past the busy threshold (nothing signals it to a client): the BUSY text. */
    private static String awaitBusy(KvServer own) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Jedis probe = JedisSupport.connect(own)) {
            while (System.nanoTime() < deadline) {
                try {
                    probe.ping();
                } catch (JedisDataException e) {
                    return e.getMessage();
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("no BUSY within 30 s");
    }
}
