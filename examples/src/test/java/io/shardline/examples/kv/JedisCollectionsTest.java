package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.assertRedisError;
import static io.shardline.examples.kv.JedisSupport.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.params.LPosParams;

/**
 * The list, hash and set commands through Jedis: their replies, keys on one shard and on several, and
 * a restart per family that must bring back exactly what the write commands left (so each write is
 * logged in a form that replays to the same data).
 */
@Timeout(120)
class JedisCollectionsTest {
    static final int SHARDS = 3;

    @TempDir
    Path dir;

    KvServer start() throws Exception {
        return KvServer.start(KvConfig.inMemory(SHARDS).withDataDir(dir).withFsync("always"));
    }

    /** Runs {@code writes}, reads {@code state}, restarts on the same directory and reads it again. */
    <T> T restartKeeps(Consumer<Jedis> writes, Function<Jedis, T> state) throws Exception {
        T before;
        try (KvServer kv = start(); Jedis j = connect(kv)) {
            writes.accept(j);
            before = state.apply(j);
        }
        try (KvServer kv = start(); Jedis j = connect(kv)) {
            assertEquals(before, state.apply(j));
        }
        return before;
    }

    /** Keys spread over the shards: some of each group share a hash tag (one shard), others do not. */
    static final List<String> LISTS = List.of("{a}l1", "{a}l2", "{b}l3", "l4", "l5");

    static Map<String, List<String>> lists(Jedis j) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String k : LISTS) {
            m.put(k, j.lrange(k, 0, -1));
        }
        return m;
    }

    @Test
    void listWritesSurviveARestart() throws Exception {
        Map<String, List<String>> state = restartKeeps(j -> {
            j.rpush("{a}l1", "a", "b", "c", "d", "e", "b", "x");
            j.lpush("{a}l1", "z");
            j.lpushx("{a}l1", "first");
            j.rpushx("{a}l1", "last");
            j.lpushx("{a}l2", "ignored");
            j.linsert("{a}l1", ListPosition.BEFORE, "c", "before-c");
            j.linsert("{a}l1", ListPosition.AFTER, "c", "after-c");
            j.lset("{a}l1", -2, "set");
            j.lrem("{a}l1", -1, "b");
            j.ltrim("{a}l1", 1, -2);
            j.lmove("{a}l1", "{a}l2", ListDirection.LEFT, ListDirection.RIGHT);
            j.rpoplpush("{a}l1", "{a}l2");
            j.lmpop(ListDirection.RIGHT, 2, "{a}nothing", "{a}l1");
            j.lpop("{a}l1", 1);
            j.rpush("{b}l3", "1", "2", "3", "4");
            j.lmove("{b}l3", "l4", ListDirection.RIGHT, ListDirection.LEFT); // across shards
            j.rpoplpush("l4", "l5");
            j.lmpop(ListDirection.LEFT, 2, "{a}none", "{b}l3");
        }, JedisCollectionsTest::lists);
        assertEquals(List.of("b", "before-c", "c", "after-c"), state.get("{a}l1"));
        assertEquals(List.of("set", "z"), state.get("{a}l2"));
        assertEquals(List.of("3"), state.get("{b}l3"));
        assertEquals(List.of(), state.get("l4"));
        assertEquals(List.of("4"), state.get("l5"));
    }

    @Test
    void listCommandsAnswerAsRedis() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(SHARDS)); Jedis j = connect(kv)) {
            j.rpush("l", "a", "b", "c", "b", "a", "b");
            assertEquals(1L, j.lpos("l", "b"));
            assertEquals(5L, j.lpos("l", "b", LPosParams.lPosParams().rank(-1)));
            assertEquals(List.of(5L, 3L, 1L), j.lpos("l", "b", LPosParams.lPosParams().rank(-1), 0));
            assertEquals(List.of(3L), j.lpos("l", "b", LPosParams.lPosParams().rank(2).maxlen(4), 5));
            assertNull(j.lpos("l", "nope"));
            // 7.2 refuses a RANK of LONG_MIN (its absolute value overflows); 7.0 took it.
            assertRedisError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                    () -> j.sendCommand(JedisSupport.command("LPOS"), "l", "b", "RANK", "-9223372036854775808"));
            assertRedisError("ERR no such key", () -> j.lset("none", 0, "v"));
            assertRedisError("ERR index out of range", () -> j.lset("l", 6, "v"));
            assertEquals("c", j.lindex("l", -4));
            assertNull(j.lindex("l", 6));
            assertEquals(-1L, j.linsert("l", ListPosition.AFTER, "nope", "v"));
            assertEquals(3L, j.lrem("l", 0, "b"));
            assertEquals(List.of("a", "c", "a"), j.lrange("l", 0, -1));
            assertEquals("a", j.lmove("l", "l", ListDirection.LEFT, ListDirection.RIGHT)); // a rotation
            assertEquals(List.of("c", "a", "a"), j.lrange("l", 0, -1));
            assertNull(j.lmpop(ListDirection.LEFT, "x1", "x2", "x3"));
        }
    }

    @Test
    void listMovesAndPopsWorkAcrossShards() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(SHARDS)); Jedis j = connect(kv)) {
            List<String> keys = new ArrayList<>();
            for (int s = 0; s < SHARDS; s++) {
                keys.add(JedisSupport.keyOn("spread", s, SHARDS));
            }
            j.rpush(keys.get(0), "a", "b");
            assertEquals("b", j.lmove(keys.get(0), keys.get(1), ListDirection.RIGHT, ListDirection.LEFT));
            assertEquals("a", j.rpoplpush(keys.get(0), keys.get(1)));
            assertFalse(j.exists(keys.get(0)));
            assertEquals(List.of("a", "b"), j.lrange(keys.get(1), 0, -1));
            assertNull(j.lmove(keys.get(0), keys.get(1), ListDirection.RIGHT, ListDirection.LEFT));
            j.set(keys.get(2), "string");
            assertRedisError("WRONGTYPE Operation against a key holding the wrong kind of value",
                    () -> j.lmove(keys.get(1), keys.get(2), ListDirection.RIGHT, ListDirection.LEFT));
            assertEquals(List.of("a", "b"), j.lrange(keys.get(1), 0, -1), "nothing popped when the destination is refused");
            var popped = j.lmpop(ListDirection.LEFT, 5, keys.get(0), keys.get(1));
            assertEquals(keys.get(1), popped.getKey());
            assertEquals(List.of("a", "b"), popped.getValue());
        }
    }

    static Map<String, Map<String, String>> hashes(Jedis j) {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        for (String k : List.of("h1", "h2", "h3")) {
            m.put(k, j.hgetAll(k));
        }
        return m;
    }

    @Test
    void hashWritesSurviveARestart() throws Exception {
        Map<String, Map<String, String>> state = restartKeeps(j -> {
            j.hset("h1", Map.of("a", "1", "b", "2", "c", "3"));
            j.hmset("h1", Map.of("d", "4"));
            j.hsetnx("h1", "a", "ignored");
            j.hsetnx("h1", "e", "5");
            j.hdel("h1", "b");
            j.hincrBy("h1", "c", 10);
            j.hincrByFloat("h1", "f", 0.1);
            j.hincrByFloat("h1", "f", 0.2);
            j.hset("h2", "x", "y");
            j.hdel("h2", "x");
            j.hincrByFloat("h3", "g", 1e10);
        }, JedisCollectionsTest::hashes);
        assertEquals(Map.of("a", "1", "c", "13", "d", "4", "e", "5", "f", "0.3"), state.get("h1"));
        assertEquals(Map.of(), state.get("h2"));
        assertEquals(Map.of("g", "10000000000"), state.get("h3"));
    }

    @Test
    void hashCommandsAnswerAsRedis() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(SHARDS)); Jedis j = connect(kv)) {
            j.hset("h", "f", "v");
            j.hset("h", "n", "1.5");
            assertEquals(java.util.Arrays.asList("v", null), j.hmget("h", "f", "nope"));
            assertEquals(List.of("f", "n"), j.hkeys("h").stream().sorted().toList());
            assertEquals(1L, j.hstrlen("h", "f"));
            assertEquals(0L, j.hstrlen("h", "nope"));
            assertEquals(3.0, j.hincrByFloat("h", "n", 1.5));
            assertRedisError("ERR hash value is not a float", () -> j.hincrByFloat("h", "f", 1));
            assertRedisError("ERR value is NaN or Infinity",
                    () -> j.sendCommand(JedisSupport.command("HINCRBYFLOAT"), "h", "n", "inf"));
            assertEquals(2, j.hrandfield("h", 5).size());
            assertEquals(6, j.hrandfield("h", -6).size(), "a negative count may repeat fields");
            assertEquals(Map.of("f", "v", "n", "3"), Map.ofEntries(j.hrandfieldWithValues("h", 2).toArray(new Map.Entry[0])));
            var scan = j.hscan("h", "0", new redis.clients.jedis.params.ScanParams().match("f*"));
            assertEquals("0", scan.getCursor());
            assertEquals(List.of(Map.entry("f", "v")), scan.getResult());
        }
    }

    static Map<String, java.util.Set<String>> sets(Jedis j) {
        Map<String, java.util.Set<String>> m = new LinkedHashMap<>();
        for (String k : List.of("{s}a", "{s}b", "{s}inter", "{s}union", "{s}diff", "far", "cross")) {
            m.put(k, new java.util.TreeSet<>(j.smembers(k)));
        }
        return m;
    }

    @Test
    void setWritesSurviveARestart() throws Exception {
        Map<String, java.util.Set<String>> state = restartKeeps(j -> {
            j.sadd("{s}a", "1", "2", "3", "x", "y");
            j.sadd("{s}b", "2", "3", "z");
            j.srem("{s}a", "y");
            j.smove("{s}a", "{s}b", "x");
            j.set("{s}inter", "a string the store overwrites");
            j.sinterstore("{s}inter", "{s}a", "{s}b");
            j.sunionstore("{s}union", "{s}a", "{s}b");
            j.sdiffstore("{s}diff", "{s}b", "{s}a");
            j.sadd("far", "f1", "f2");
            j.smove("far", "{s}a", "f1"); // across shards
            j.sunionstore("cross", "far", "{s}b"); // across shards
            j.spop("{s}b", 10);
        }, JedisCollectionsTest::sets);
        assertEquals(java.util.Set.of("1", "2", "3", "f1"), state.get("{s}a"));
        assertEquals(java.util.Set.of(), state.get("{s}b"));
        assertEquals(java.util.Set.of("2", "3"), state.get("{s}inter"));
        assertEquals(java.util.Set.of("1", "2", "3", "x", "z"), state.get("{s}union"));
        assertEquals(java.util.Set.of("x", "z"), state.get("{s}diff"));
        assertEquals(java.util.Set.of("f2"), state.get("far"));
        assertEquals(java.util.Set.of("f2", "2", "3", "x", "z"), state.get("cross"));
    }

    @Test
    void setCommandsAnswerAsRedisOnOneShardAndAcross() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(SHARDS)); Jedis j = connect(kv)) {
            List<String> keys = new ArrayList<>();
            for (int s = 0; s < SHARDS; s++) {
                keys.add(JedisSupport.keyOn("set", s, SHARDS));
            }
            j.sadd(keys.get(0), "a", "b", "c");
            j.sadd(keys.get(1), "b", "c", "d");
            j.sadd(keys.get(2), "c", "e");
            assertEquals(java.util.Set.of("c"), j.sinter(keys.get(0), keys.get(1), keys.get(2)));
            assertEquals(java.util.Set.of("a", "b", "c", "d", "e"), j.sunion(keys.get(0), keys.get(1), keys.get(2)));
            assertEquals(java.util.Set.of("a"), j.sdiff(keys.get(0), keys.get(1), keys.get(2)));
            assertEquals(1L, j.sintercard(keys.get(0), keys.get(1), keys.get(2)));
            assertEquals(1L, j.sintercard(1, keys.get(0), keys.get(1)), "LIMIT stops the count");
            assertEquals(2L, j.sinterstore(keys.get(2), keys.get(0), keys.get(1)));
            assertEquals(java.util.Set.of("b", "c"), j.smembers(keys.get(2)));
            assertEquals(List.of(true, false), j.smismember(keys.get(0), "a", "z"));
            assertEquals(1L, j.smove(keys.get(0), keys.get(1), "a"));
            assertEquals(0L, j.smove(keys.get(0), keys.get(1), "a"));
            j.set("str", "v");
            assertRedisError("WRONGTYPE Operation against a key holding the wrong kind of value",
                    () -> j.sunion(keys.get(0), "str"));
            assertRedisError("ERR Number of keys can't be greater than number of args",
                    () -> j.sendCommand(JedisSupport.command("SINTERCARD"), "3", "a", "b"));
            assertEquals(4, j.srandmember(keys.get(1), 10).size(), "a count over the size: the whole set");
            assertEquals(7, j.srandmember(keys.get(1), -7).size(), "a negative count may repeat members");
            // Redis streams any count; a reply built whole here is bounded so it cannot exhaust the shard.
            assertRedisError("ERR value is out of range", () -> j.srandmember(keys.get(1), -2147483648));
            assertRedisError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                    () -> j.sendCommand(JedisSupport.command("SRANDMEMBER"), keys.get(1), "-9223372036854775808"));
            j.hset("h", "f", "v");
            assertRedisError("ERR value is out of range", () -> j.hrandfield("h", -2147483648L));
            assertEquals("v", j.get("str"), "the shard still answers");
            assertEquals(List.of("a"), j.sscan(keys.get(1), "0", new redis.clients.jedis.params.ScanParams().match("a")).getResult());
        }
    }

    @Test
    void aPipelinedRequestSeesTheCrossShardWriteBeforeIt() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(SHARDS)); Jedis j = connect(kv)) {
            String src = JedisSupport.keyOn("from", 1, SHARDS);
            String dst = JedisSupport.keyOn("to", 2, SHARDS);
            String set = JedisSupport.keyOn("set", 0, SHARDS);
            String members2 = JedisSupport.keyOn("members", 2, SHARDS);
            for (int round = 0; round < 50; round++) {
                j.rpush(src, "v" + round);
                redis.clients.jedis.Pipeline p = j.pipelined();
                var moved = p.lmove(src, dst, ListDirection.LEFT, ListDirection.RIGHT);
                var length = p.llen(dst);
                p.sadd(members2, "v" + round);
                var stored = p.sunionstore(set, members2);
                var members = p.scard(set);
                p.sync();
                assertEquals("v" + round, moved.get());
                assertEquals(round + 1L, length.get(), "the LLEN after the LMOVE sees its push");
                assertEquals(round + 1L, stored.get());
                assertEquals(round + 1L, members.get(), "the SCARD after the SUNIONSTORE sees its write");
            }
        }
    }
}
