package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.assertRedisError;
import static io.shardline.examples.kv.JedisSupport.command;
import static io.shardline.examples.kv.JedisSupport.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ZParams;
import redis.clients.jedis.resps.Tuple;

/**
 * The sorted-set commands through Jedis on a 3-shard server: Redis 7.2's ZRANK WITHSCORE, the algebra
 * and ZRANGESTORE with keys on different shards, ZMPOP across shards, bounded ZRANDMEMBER, and every
 * kind of write surviving a restart through the log and through a snapshot.
 */
class JedisZSetTest {
    @TempDir
    Path dir;

    private KvServer start() throws Exception {
        return KvServer.start(KvConfig.inMemory(3).withDataDir(dir).withFsync("always"));
    }

    /** Two keys on different shards, and a third on yet another. */
    private static List<String> spread() {
        List<String> keys = new ArrayList<>();
        boolean[] used = new boolean[3];
        for (int i = 0; keys.size() < 3; i++) {
            String k = "z" + i;
            int s = JedisSupport.shardOf(k, 3);
            if (!used[s]) {
                used[s] = true;
                keys.add(k);
            }
        }
        return keys;
    }

    @Test
    void zrankWithScoreIsRedis72s() throws Exception {
        try (KvServer kv = start(); Jedis j = connect(kv)) {
            j.zadd("r", Map.of("a", 1.0, "b", 2.5, "c", 3.0));
            Object reply = j.sendCommand(command("ZRANK"), "r", "b", "WITHSCORE");
            assertEquals("[1, 2.5]", render(reply));
            assertEquals("[0, 3]", render(j.sendCommand(command("ZREVRANK"), "r", "c", "withscore")));
            assertNull(j.sendCommand(command("ZRANK"), "r", "nope", "WITHSCORE"));
            assertEquals(2L, j.zrevrank("r", "a"));
            assertRedisError("ERR syntax error", () -> j.sendCommand(command("ZRANK"), "r", "b", "WITHSCORES"));
            assertRedisError("ERR wrong number of arguments for 'zrank' command",
                    () -> j.sendCommand(command("ZRANK"), "r", "b", "WITHSCORE", "x"));
        }
    }

    @Test
    void algebraAndRangeStoreWorkAcrossShards() throws Exception {
        List<String> k = spread();
        try (KvServer kv = start(); Jedis j = connect(kv)) {
            j.zadd(k.get(0), Map.of("a", 1.0, "b", 2.0, "c", 3.0));
            j.zadd(k.get(1), Map.of("b", 10.0, "c", 20.0, "d", 30.0));
            j.sadd("plain", "c", "x");
            assertEquals(List.of(new Tuple("a", 1.0), new Tuple("b", 12.0), new Tuple("x", 22.0), new Tuple("d", 30.0), new Tuple("c", 45.0)),
                    j.zunionWithScores(new ZParams().weights(1, 1, 22), k.get(0), k.get(1), "plain"));
            assertEquals(2L, j.zinterstore(k.get(2), new ZParams().aggregate(ZParams.Aggregate.MAX), k.get(0), k.get(1)));
            assertEquals(List.of(new Tuple("b", 10.0), new Tuple("c", 20.0)), j.zrangeWithScores(k.get(2), 0, -1));
            assertEquals(1L, j.zdiffstore(k.get(2), k.get(0), k.get(1)));
            assertEquals(List.of("a"), j.zrange(k.get(2), 0, -1));
            assertEquals(2L, j.zintercard(k.get(0), k.get(1)));
            assertEquals(2L, j.sendCommand(command("ZRANGESTORE"), k.get(2), k.get(1), "(10", "+inf", "BYSCORE"));
            assertEquals(List.of("c", "d"), j.zrange(k.get(2), 0, -1));
            j.set("str", "v");
            assertRedisError("WRONGTYPE Operation against a key holding the wrong kind of value",
                    () -> j.zunionstore(k.get(2), k.get(0), "str"));
            assertEquals(List.of("c", "d"), j.zrange(k.get(2), 0, -1), "a failed STORE changes nothing");
            assertEquals(0L, j.zinterstore(k.get(2), k.get(0), "missing"));
            assertEquals(false, j.exists(k.get(2)), "an empty result deletes the destination");
        }
    }

    @Test
    void zmpopTakesTheFirstNonEmptyKeyAcrossShards() throws Exception {
        List<String> k = spread();
        try (KvServer kv = start(); Jedis j = connect(kv)) {
            j.zadd(k.get(2), Map.of("a", 1.0, "b", 2.0, "c", 3.0));
            Object reply = j.sendCommand(command("ZMPOP"), "3", k.get(0), k.get(1), k.get(2), "MAX", "COUNT", "2");
            assertEquals("[" + k.get(2) + ", [[c, 3], [b, 2]]]", render(reply));
            assertEquals(List.of("a"), j.zrange(k.get(2), 0, -1));
            assertNull(j.sendCommand(command("ZMPOP"), "2", k.get(0), k.get(1), "MIN"));
        }
    }

    @Test
    void zrandmemberBoundsNegativeCountsAsSrandmember() throws Exception {
        try (KvServer kv = start(); Jedis j = connect(kv)) {
            j.zadd("r", Map.of("a", 1.0, "b", 2.0));
            assertEquals(7, j.zrandmember("r", -7).size(), "a negative count repeats members");
            assertEquals(List.of("a", "b"), j.zrandmember("r", 5), "a count past the size is the whole set, in order");
            assertRedisError("ERR value is out of range", () -> j.zrandmember("r", -2147483648L * 1024));
            assertRedisError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                    () -> j.sendCommand(command("ZRANDMEMBER"), "r", "-9223372036854775808"));
        }
    }

    /** Every kind of sorted-set write, on listpack and skip-list sets, reads back the same after restarts. */
    @Test
    void zsetsSurviveRestartThroughLogAndSnapshot() throws Exception {
        List<String> keys = new ArrayList<>(spread());
        keys.add("{t}a");
        keys.add("{t}b");
        SplittableRandom rnd = new SplittableRandom(77);
        List<String> before;
        try (KvServer kv = start(); Jedis j = connect(kv)) {
            for (int i = 0; i < 1500; i++) {
                if (i == 750) {
                    kv.compactAll();
                }
                String key = keys.get(rnd.nextInt(keys.size()));
                String other = keys.get(rnd.nextInt(keys.size()));
                String m = "m" + rnd.nextInt(rnd.nextInt(8) == 0 ? 400 : 20);
                double s = rnd.nextInt(9) - 4 + (rnd.nextBoolean() ? 0.1 : 0);
                switch (rnd.nextInt(12)) {
                    case 0, 1, 2 -> j.zadd(key, s, m);
                    case 3 -> j.zincrby(key, s, m);
                    case 4 -> j.zrem(key, m);
                    case 5 -> j.zpopmax(key, 2);
                    case 6 -> j.zremrangeByScore(key, -1, 0.5);
                    case 7 -> j.zremrangeByLex(key, "[m3", "(m5");
                    case 8 -> j.zremrangeByRank(key, 0, 0);
                    case 9 -> j.zunionstore(other, new ZParams().weights(1, 0.3), key, other);
                    case 10 -> j.zinterstore(other, key, other);
                    default -> j.sendCommand(command("ZRANGESTORE"), other, key, "1", "-2");
                }
            }
            before = state(j, keys);
        }
        assertNotEquals(List.of(), before);
        try (KvServer kv = start(); Jedis j = connect(kv)) {
            assertEquals(before, state(j, keys));
        }
    }

    private static List<String> state(Jedis j, List<String> keys) {
        List<String> s = new ArrayList<>();
        for (String k : keys) {
            s.add(k + "=" + j.zrangeWithScores(k, 0, -1));
        }
        return s;
    }

    /** A reply as nested lists of text and numbers. */
    private static String render(Object reply) {
        if (reply instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (reply instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) {
                parts.add(render(o));
            }
            return parts.toString();
        }
        return String.valueOf(reply);
    }
}
