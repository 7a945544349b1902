package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.examples.kv.store.Hll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HyperLogLog against redis-server itself. {@link Hll} alone: the same elements give the same value
 * bytes (sparse runs, merges of neighbouring opcodes, promotion to dense, the cached cardinality) and
 * the same estimate. The commands: random PFADD, PFCOUNT (one key and several), PFMERGE, GET, PFDEBUG
 * and bad input, sent to both servers with keys spread over three shards, replies compared byte for
 * byte. Runs where redis-server is installed.
 */
class RedisHllTest {
    static RedisPair pair;
    static BinaryResp redis;
    static BinaryResp kv;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pair = RedisPair.start(dir);
        redis = new BinaryResp(pair.redisPort);
        kv = new BinaryResp(pair.kv.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
            kv.close();
        }
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void emptyValueIsRedisBytes() throws IOException {
        redis.call("DEL", "empty");
        redis.call("PFADD", "empty");
        Hll created = Hll.empty();
        created.invalidateCache(); // PFADD counts creating the key as a change
        assertArrayEquals(redis.bulk("GET", "empty"), created.bytes());
    }

    @Test
    void randomAddsGiveRedisBytesAndEstimates() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 12; round++) {
            String key = "h" + round;
            redis.call("DEL", key);
            Hll h = Hll.empty();
            int adds = 1 + random.nextInt(round < 6 ? 400 : 6000); // the later rounds pass the sparse limit
            List<String> batch = new ArrayList<>(List.of("PFADD", key));
            for (int i = 0; i < adds; i++) {
                String element = "e" + random.nextInt(1_000_000);
                byte[] b = element.getBytes(StandardCharsets.UTF_8);
                h.add(b, 0, b.length, 3000);
                batch.add(element);
                if (batch.size() == 64 || i == adds - 1) {
                    redis.call(batch.toArray(new String[0]));
                    batch.subList(2, batch.size()).clear();
                }
            }
            h.invalidateCache();
            assertArrayEquals(redis.bulk("GET", key), h.bytes(), "value bytes after " + adds + " adds");
            String count = new String(redis.call("PFCOUNT", key), StandardCharsets.US_ASCII);
            assertEquals(":" + h.count() + "\r\n", count, "estimate after " + adds + " adds");
            h.cache(h.count());
            assertArrayEquals(redis.bulk("GET", key), h.bytes(), "bytes with the cached cardinality");
        }
    }

    @Test
    void todenseMatchesRedis() throws IOException {
        redis.call("DEL", "d");
        redis.call("PFADD", "d", "a", "b", "c");
        redis.call("PFDEBUG", "TODENSE", "d");
        Hll h = Hll.empty();
        for (String s : new String[] {"a", "b", "c"}) {
            h.add(s.getBytes(StandardCharsets.UTF_8), 0, s.length(), 3000);
        }
        h.invalidateCache();
        assertTrue(h.toDense());
        assertFalse(h.isSparse());
        assertArrayEquals(redis.bulk("GET", "d"), h.bytes());
        assertEquals(Hll.DENSE_SIZE, h.bytes().length);
    }

    @Test
    void validityFollowsRedis() {
        assertNull(Hll.of("not an hll at all".getBytes(StandardCharsets.US_ASCII)));
        byte[] claimsDense = Hll.empty().bytes();
        claimsDense[4] = 0; // dense but sparse-sized
        assertNull(Hll.of(claimsDense));
        assertNotNull(Hll.of(Hll.empty().bytes()));
    }

    @Test
    void commandsMatchRedisByteForByte() throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        String[] keys = {"pf:a", "pf:b", "pf:c", "pf:d", "{pf}x", "{pf}y", "pf:list", "pf:str"};
        for (BinaryResp s : new BinaryResp[] {redis, kv}) {
            for (String k : keys) {
                s.call("DEL", k);
            }
            s.call("RPUSH", "pf:list", "x");
            s.call("SET", "pf:str", "plain string value");
        }
        for (int i = 0; i < 3000; i++) {
            String[] cmd = command(random, keys);
            byte[] want = redis.call(cmd);
            byte[] got = kv.call(cmd);
            assertEquals(new String(want, StandardCharsets.ISO_8859_1), new String(got, StandardCharsets.ISO_8859_1),
                    "command " + i + ": " + String.join(" ", cmd));
        }
    }

    private static String[] command(SplittableRandom random, String[] keys) {
        String key = keys[random.nextInt(keys.length)];
        int kind = random.nextInt(100);
        if (kind < 55) {
            List<String> c = new ArrayList<>(List.of("PFADD", key));
            int n = random.nextInt(10) == 0 ? 200 + random.nextInt(600) : random.nextInt(8);
            int range = random.nextBoolean() ? 50 : 100_000;
            for (int i = 0; i < n; i++) {
                c.add("m" + random.nextInt(range));
            }
            return c.toArray(new String[0]);
        }
        if (kind < 70) {
            return new String[] {"PFCOUNT", key};
        }
        if (kind < 78) {
            return new String[] {"PFCOUNT", key, keys[random.nextInt(keys.length)], keys[random.nextInt(keys.length)]};
        }
        if (kind < 86) {
            return new String[] {"PFMERGE", key, keys[random.nextInt(keys.length)], keys[random.nextInt(keys.length)]};
        }
        if (kind < 92) {
            return new String[] {"GET", key};
        }
        return switch (random.nextInt(6)) {
            case 0 -> new String[] {"PFDEBUG", "ENCODING", key};
            case 1 -> new String[] {"PFDEBUG", "DECODE", key};
            case 2 -> new String[] {"PFDEBUG", "TODENSE", key};
            case 3 -> new String[] {"PFDEBUG", "NOSUCH", key};
            case 4 -> new String[] {"PFMERGE", key};
            default -> new String[] {"PFADD"};
        };
    }
}
