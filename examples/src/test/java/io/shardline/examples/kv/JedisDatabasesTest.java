package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.assertRedisError;
import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.keyOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Numbered databases through Jedis, on 2 shards and on 4 (more shards than this machine's CPUs): each
 * db's keys are its own on every shard, for single-key commands (local and forwarded), multi-key ones
 * split over shards, multi-hop ones and the server-wide DBSIZE, KEYS, SCAN, RANDOMKEY and FLUSHDB; MOVE,
 * SWAPDB and COPY ... DB move keys between dbs.
 */
@Timeout(120)
class JedisDatabasesTest {
    static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    static final String DB_RANGE = "ERR DB index is out of range";

    static KvServer start(int shards) throws Exception {
        return KvServer.start(KvConfig.inMemory(shards));
    }

    /** Every key a full SCAN of the selected db gives, checking no key comes twice. */
    static Set<String> scanAll(Jedis j) {
        Set<String> seen = new HashSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> r = j.scan(cursor, new ScanParams().count(7));
            for (String k : r.getResult()) {
                assertTrue(seen.add(k), "SCAN gave " + k + " twice");
            }
            cursor = r.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return seen;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void eachDatabaseHoldsItsOwnKeysOnEveryShard(int shards) throws Exception {
        try (KvServer server = start(shards); Jedis j = connect(server)) {
            List<String> keys = JedisSupport.keys("k", 40, shards);
            for (String k : keys) {
                j.set(k, "zero-" + k);
            }
            assertEquals("OK", j.select(3));
            assertEquals(0, j.dbSize(), "db 3 starts empty");
            assertNull(j.get(keys.get(0)));
            assertNull(j.randomKey(), "no key in db 3");
            for (String k : keys.subList(0, 25)) {
                j.set(k, "three-" + k);
            }
            j.set("only3", "x");
            assertEquals(26, j.dbSize());
            assertEquals("three-" + keys.get(1), j.get(keys.get(1)));
            assertEquals(new TreeSet<>(keys.subList(0, 25)), new TreeSet<>(j.keys("k*")));
            Set<String> expected3 = new TreeSet<>(keys.subList(0, 25));
            expected3.add("only3");
            assertEquals(expected3, new TreeSet<>(scanAll(j)));
            String random = j.randomKey();
            assertTrue(expected3.contains(random), random);
            // multi-key commands split over the shards run in the selected db
            String[] all = keys.toArray(new String[0]);
            assertEquals(25, j.exists(all));
            List<String> values = j.mget(keys.get(0), keys.get(30));
            assertEquals("three-" + keys.get(0), values.get(0));
            assertNull(values.get(1), keys.get(30) + " is only in db 0");
            assertEquals(5, j.del(keys.subList(0, 5).toArray(new String[0])));
            j.mset(keys.get(35), "m35", keys.get(36), "m36");
            assertEquals(23, j.dbSize());
            // FLUSHDB empties db 3 only
            assertEquals("OK", j.flushDB());
            assertEquals(0, j.dbSize());
            assertEquals("OK", j.select(0));
            assertEquals(40, j.dbSize(), "db 0 kept all its keys");
            for (String k : keys) {
                assertEquals("zero-" + k, j.get(k));
            }
            assertEquals(new TreeSet<>(keys), new TreeSet<>(scanAll(j)));
            assertEquals("OK", j.flushAll());
            assertEquals(0, j.dbSize());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void selectErrorsAndConnectionState(int shards) throws Exception {
        try (KvServer server = start(shards); Jedis j = connect(server)) {
            assertEquals("OK", j.select(15));
            assertRedisError(DB_RANGE, () -> j.select(16));
            assertRedisError(DB_RANGE, () -> j.select(-1));
            assertRedisError(NOT_INTEGER, () -> j.sendCommand(Protocol.Command.SELECT, "1.5"));
            assertRedisError("ERR value is out of range, value must between -2147483648 and 2147483647",
                    () -> j.sendCommand(Protocol.Command.SELECT, "99999999999"));
            j.set("k", "in15");
            assertTrue(j.clientInfo().contains(" db=15 "), j.clientInfo());
            assertEquals("in15", j.get("k"), "a failed SELECT keeps the db");
            assertEquals("RESET", new String((byte[]) j.sendCommand(JedisSupport.command("RESET"))));
            assertNull(j.get("k"), "RESET goes back to db 0");
            assertTrue(j.clientInfo().contains(" db=0 "), j.clientInfo());
            try (Jedis other = connect(server)) {
                assertNull(other.get("k"), "a new connection starts in db 0");
                other.select(15);
                assertEquals("in15", other.get("k"));
            }
            assertEquals(Map.of("databases", "16"), j.configGet("databases"));
            assertRedisError("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config",
                    () -> j.configSet("databases", "4"));
        }
    }

    @Test
    void theDatabasesCountIsConfigured() throws Exception {
        try (KvServer server = KvServer.start(KvConfig.inMemory(2).withDatabases(4)); Jedis j = connect(server)) {
            assertEquals("OK", j.select(3));
            assertRedisError(DB_RANGE, () -> j.select(4));
            assertRedisError(DB_RANGE, () -> j.move("k", 4));
            assertRedisError(DB_RANGE, () -> j.swapDB(0, 4));
            assertEquals(Map.of("databases", "4"), j.configGet("databases"));
        }
    }

    @Test
    void theLauncherTakesDatabases() {
        KvMain main = new KvMain();
        new picocli.CommandLine(main).parseArgs("--databases", "32", "--appendonly", "no");
        assertEquals(32, main.config().databases());
        KvMain defaults = new KvMain();
        new picocli.CommandLine(defaults).parseArgs("--appendonly", "no");
        assertEquals(16, defaults.config().databases(), "Redis' default");
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(new KvMain());
        cl.setErr(new java.io.PrintWriter(err));
        cl.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
        assertEquals(2, cl.execute("--databases", "0", "--appendonly", "no"));
        assertTrue(err.toString().contains("--databases must be 1.."), err.toString());
    }

    /** maxmemory is the shard's, whatever db holds the bytes: keys in db 1 leave no room in db 0. */
    @Test
    void maxmemoryCountsEveryDatabase() throws Exception {
        try (KvServer server = KvServer.start(KvConfig.inMemory(1).withMaxMemory(1L << 20)); Jedis j = connect(server)) {
            String value = "v".repeat(1000);
            j.select(1);
            redis.clients.jedis.exceptions.JedisDataException refused = null;
            for (int i = 0; i < 10_000 && refused == null; i++) {
                try {
                    j.set("k" + i, value);
                } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                    refused = e;
                }
            }
            assertEquals("OOM command not allowed when used memory > 'maxmemory'.", refused == null ? null : refused.getMessage());
            j.select(0);
            assertRedisError("OOM command not allowed when used memory > 'maxmemory'.", () -> j.set("k", value));
            assertTrue(JedisSupport.infoField(j.info("memory"), "used_memory") > 900_000, "used_memory sums every db");
            j.select(1);
            assertEquals("OK", j.flushDB());
            j.select(0);
            assertEquals("OK", j.set("k", value), "FLUSHDB of db 1 made room");
        }
    }

    /** Requests pipelined around a SELECT, for keys on another shard (forwarded in runs) and on this one. */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void pipelinedSelectsSplitTheForwardedRuns(int shards) throws Exception {
        try (KvServer server = start(shards); Jedis j = connect(server)) {
            int here = JedisSupport.connectionShard(j);
            String far = keyOn("far", (here + 1) % shards, shards);
            String near = keyOn("near", here, shards);
            Pipeline p = j.pipelined();
            p.set(far, "db0");
            p.set(near, "db0");
            p.select(7);
            p.set(far, "db7");
            p.set(near, "db7");
            Response<String> far7 = p.get(far);
            p.select(0);
            Response<String> far0 = p.get(far);
            Response<String> near0 = p.get(near);
            p.select(7);
            Response<String> near7 = p.get(near);
            Response<Long> incr7 = p.incr("n" + far);
            p.select(0);
            Response<Long> incr0 = p.incr("n" + far);
            Response<Long> incr0b = p.incr("n" + far);
            p.sync();
            assertEquals("db7", far7.get());
            assertEquals("db0", far0.get());
            assertEquals("db0", near0.get());
            assertEquals("db7", near7.get());
            assertEquals(1, incr7.get());
            assertEquals(1, incr0.get());
            assertEquals(2, incr0b.get());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void moveTakesAKeyToAnotherDatabaseWithItsTtl(int shards) throws Exception {
        try (KvServer server = start(shards); Jedis j = connect(server)) {
            List<String> keys = JedisSupport.keys("mv", 12, shards);
            for (String k : keys) {
                j.rpush(k, "a", "b");
            }
            j.expire(keys.get(0), 1000);
            for (String k : keys) {
                assertEquals(1, j.move(k, 5), k);
            }
            assertEquals(0, j.dbSize());
            assertEquals(0, j.move(keys.get(0), 5), "a missing key");
            j.select(5);
            assertEquals(keys.size(), j.dbSize());
            assertEquals(List.of("a", "b"), j.lrange(keys.get(1), 0, -1));
            long ttl = j.ttl(keys.get(0));
            assertTrue(ttl > 990 && ttl <= 1000, "the TTL moves along: " + ttl);
            assertEquals(-1, j.ttl(keys.get(1)));
            j.select(0);
            j.set(keys.get(2), "back in 0");
            j.select(5);
            assertEquals(0, j.move(keys.get(2), 0), "the key exists in the target");
            assertEquals("list", j.type(keys.get(2)), "and stays where it was");
            assertRedisError("ERR source and destination objects are the same", () -> j.move(keys.get(3), 5));
            assertRedisError(DB_RANGE, () -> j.move(keys.get(3), 16));
            assertRedisError(DB_RANGE, () -> j.move(keys.get(3), -1));
            assertRedisError(NOT_INTEGER, () -> j.sendCommand(Protocol.Command.MOVE, keys.get(3), "x"));
            assertRedisError("ERR wrong number of arguments for 'move' command", () -> j.sendCommand(Protocol.Command.MOVE, "k"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void swapdbSwapsOnEveryShardForEveryConnection(int shards) throws Exception {
        try (KvServer server = start(shards); Jedis a = connect(server); Jedis b = connect(server)) {
            List<String> keys = JedisSupport.keys("sw", 20, shards);
            for (String k : keys) {
                a.set(k, "from0");
            }
            a.select(1);
            for (String k : keys.subList(0, 10)) {
                a.set(k, "from1");
            }
            b.select(1);
            assertEquals("OK", a.swapDB(0, 1));
            assertEquals(20, b.dbSize(), "b stays in db 1, which now holds what db 0 held");
            for (String k : keys) {
                assertEquals("from0", b.get(k));
            }
            a.select(0);
            assertEquals(10, a.dbSize());
            assertEquals("from1", a.get(keys.get(3)));
            assertNull(a.get(keys.get(15)));
            // writes after the swap land in the swapped keyspaces, and expire there
            a.set("after", "x");
            assertEquals("OK", a.swapDB(1, 0));
            assertEquals("x", b.get("after"));
            assertEquals("OK", a.swapDB(4, 4), "the same db twice is fine");
            assertRedisError("ERR invalid first DB index", () -> a.sendCommand(Protocol.Command.SWAPDB, "x", "1"));
            assertRedisError("ERR invalid second DB index", () -> a.sendCommand(Protocol.Command.SWAPDB, "1", "y"));
            assertRedisError(DB_RANGE, () -> a.swapDB(0, 16));
            assertRedisError(DB_RANGE, () -> a.swapDB(-1, 0));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void copyToAnotherDatabaseAndMultiHopCommandsStayInTheirDatabase(int shards) throws Exception {
        try (KvServer server = start(shards); Jedis j = connect(server)) {
            String src = keyOn("src", 0, shards);
            String same = keyOn("dst", 0, shards);
            String far = keyOn("dst", 1, shards);
            j.select(2);
            j.sadd(src, "x", "y");
            j.pexpire(src, 500_000);
            assertEquals(1L, j.sendCommand(Protocol.Command.COPY, src, src, "DB", "3"));
            assertEquals(1L, j.sendCommand(Protocol.Command.COPY, src, same, "DB", "4"));
            assertEquals(1L, j.sendCommand(Protocol.Command.COPY, src, far, "DB", "4"), "across shards");
            assertEquals(0L, j.sendCommand(Protocol.Command.COPY, src, far, "DB", "4"), "exists, no REPLACE");
            assertRedisError("ERR source and destination objects are the same",
                    () -> j.sendCommand(Protocol.Command.COPY, src, src, "DB", "2"));
            assertRedisError(DB_RANGE, () -> j.sendCommand(Protocol.Command.COPY, src, far, "DB", "16"));
            j.select(4);
            assertEquals(Set.of("x", "y"), j.smembers(same));
            assertEquals(Set.of("x", "y"), j.smembers(far));
            assertTrue(j.pttl(far) > 0, "the TTL is copied");
            j.select(3);
            assertEquals(Set.of("x", "y"), j.smembers(src));
            // cross-shard chains in db 3: RENAME, SUNIONSTORE, SORT ... STORE
            assertEquals("OK", j.rename(src, far));
            assertEquals(2, j.sunionstore(same, far));
            assertEquals(2, j.sort(far, new redis.clients.jedis.params.SortingParams().alpha(), same));
            j.select(2);
            assertEquals(Set.of("x", "y"), j.smembers(src), "db 2's source is untouched");
            assertFalse(j.exists(far));
            j.select(4);
            assertEquals("set", j.type(same), "db 4's keys are untouched");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void infoKeyspaceHasALinePerDatabaseWithKeys(int shards) throws Exception {
        try (KvServer server = start(shards); Jedis j = connect(server)) {
            for (String k : JedisSupport.keys("i", 10, shards)) {
                j.set(k, "v");
            }
            j.select(3);
            j.set("a", "v");
            j.setex("b", 100, "v");
            j.select(15);
            j.set("c", "v");
            assertEquals("# Keyspace\r\ndb0:keys=10,expires=0,avg_ttl=0\r\ndb3:keys=2,expires=1,avg_ttl=0\r\n"
                    + "db15:keys=1,expires=0,avg_ttl=0\r\n", j.info("keyspace"));
        }
    }

    /** A blocked XREAD in db 5 is served by an XADD to its key in db 5, not by one in db 0. */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void aBlockedReadWaitsForItsOwnDatabase(int shards) throws Exception {
        try (KvServer server = start(shards); Jedis j = connect(server)) {
            String key = keyOn("blk", shards - 1, shards);
            BlockedClients waiting = BlockedClients.follow(server);
            CompletableFuture<Object> reader = CompletableFuture.supplyAsync(() -> {
                try (Jedis r = connect(server)) {
                    r.select(5);
                    return r.sendCommand(Protocol.Command.XREAD, "BLOCK", "0", "STREAMS", key, "$");
                }
            });
            waiting.await(1);
            j.sendCommand(Protocol.Command.XADD, key, "1-1", "db", "0");
            j.select(5);
            j.sendCommand(Protocol.Command.XADD, key, "2-1", "db", "5");
            Object got = reader.get(30, TimeUnit.SECONDS);
            String text = JedisStreamsTest.text(got);
            assertEquals("[[" + key + ", [[2-1, [db, 5]]]]]", text);
        }
    }

    /** A BLPOP in db 2 is served by a push to its key in db 2; the push to the same key in db 0 stays there. */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void aBlockedPopWaitsForItsOwnDatabase(int shards) throws Exception {
        try (KvServer server = start(shards); Jedis j = connect(server)) {
            String key = keyOn("bpop", shards - 1, shards);
            BlockedClients waiting = BlockedClients.follow(server); // the call counts on its client's shard
            CompletableFuture<List<String>> popper = CompletableFuture.supplyAsync(() -> {
                try (Jedis r = connect(server)) {
                    r.select(2);
                    return r.blpop(0, key);
                }
            });
            waiting.await(1);
            j.lpush(key, "zero");
            j.select(2);
            j.lpush(key, "two");
            assertEquals(List.of(key, "two"), popper.get(30, TimeUnit.SECONDS));
            assertEquals(0, j.llen(key));
            j.select(0);
            assertEquals(List.of("zero"), j.lrange(key, 0, -1));
        }
    }

    /** SWAPDB retries the blocked clients: one whose db now holds its stream is served, a group reader whose stream left is told. */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void swapdbServesOrEndsTheBlockedReadsOfTheSwappedDatabases(int shards) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (KvServer server = start(shards); Jedis j = connect(server)) {
            String key = keyOn("swb", shards - 1, shards);
            String grouped = keyOn("swg", shards - 1, shards);
            BlockedClients waiting = BlockedClients.follow(server);
            j.select(1);
            j.sendCommand(Protocol.Command.XGROUP, "CREATE", grouped, "g", "$", "MKSTREAM");
            j.select(2);
            j.sendCommand(Protocol.Command.XADD, key, "5-1", "in", "two");
            CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
                try (Jedis r = connect(server)) {
                    r.select(1);
                    return JedisStreamsTest.text(r.sendCommand(Protocol.Command.XREAD, "BLOCK", "0", "STREAMS", key, "0-0"));
                }
            }, pool); // not the common pool: with 2 CPUs it runs one blocked reader at a time
            CompletableFuture<String> groupReader = CompletableFuture.supplyAsync(() -> {
                try (Jedis r = connect(server)) {
                    r.select(1);
                    return JedisStreamsTest.text(r.sendCommand(Protocol.Command.XREADGROUP, "GROUP", "g", "c", "BLOCK", "0",
                            "STREAMS", grouped, ">"));
                } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                    return "error: " + e.getMessage();
                }
            }, pool);
            waiting.await(2);
            assertEquals("OK", j.swapDB(1, 2));
            assertEquals("[[" + key + ", [[5-1, [in, two]]]]]", reader.get(30, TimeUnit.SECONDS));
            assertEquals("error: UNBLOCKED the stream key no longer exists", groupReader.get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Keys of several shards in several dbs: SCAN of each db sees exactly its own, across cursors. */
    @Test
    void scanOfEachDatabaseOnFourShards() throws Exception {
        try (KvServer server = start(4); Jedis j = connect(server)) {
            List<Set<String>> expected = new ArrayList<>();
            for (int db = 0; db < 4; db++) {
                j.select(db);
                Set<String> mine = new TreeSet<>(JedisSupport.keys("db" + db + ":", 30 + db, 4));
                for (String k : mine) {
                    j.set(k, "v");
                }
                expected.add(mine);
            }
            for (int db = 0; db < 4; db++) {
                j.select(db);
                assertEquals(expected.get(db), new TreeSet<>(scanAll(j)), "db " + db);
                assertEquals(expected.get(db).size(), j.dbSize());
            }
        }
    }
}
