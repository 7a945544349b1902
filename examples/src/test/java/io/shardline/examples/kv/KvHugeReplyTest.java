package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Replies of a million elements go out in slices ({@code SlicedReply}) on a one-shard server (so the
 * keys are local and the reply is the connection's own): whole, in order, and as the value was when
 * the command ran, although a write pipelined right behind it changes the key before the last slice
 * is sent.
 */
class KvHugeReplyTest {
    private static final int N = 1_000_000;
    static KvServer kv;

    @BeforeAll
    static void start() throws Exception {
        kv = KvServer.start(KvConfig.inMemory(1));
    }

    @AfterAll
    static void stop() throws Exception {
        if (kv != null) {
            kv.close();
        }
    }

    private static String[] batch(String prefix, int from, int n) {
        String[] a = new String[n];
        for (int i = 0; i < n; i++) {
            a[i] = prefix + (from + i);
        }
        return a;
    }

    @Test
    void millionElementListIsSentWholeAndAsItWas() {
        try (Jedis j = new Jedis("127.0.0.1", kv.port(), 60_000)) {
            j.del("big");
            for (int i = 0; i < N; i += 10_000) {
                j.rpush("big", batch("e", i, 10_000));
            }
            Pipeline p = j.pipelined();
            Response<List<String>> all = p.lrange("big", 0, -1);
            Response<String> set = p.lset("big", N - 1, "changed");
            Response<Long> len = p.rpush("big", "after");
            p.sync();
            List<String> got = all.get();
            assertEquals(N, got.size());
            for (int i = 0; i < N; i += 99_991) {
                assertEquals("e" + i, got.get(i));
            }
            assertEquals("e" + (N - 1), got.get(N - 1), "the write behind it does not show in the reply");
            assertEquals("OK", set.get());
            assertEquals(N + 1, len.get());
            assertEquals(List.of("changed", "after"), j.lrange("big", -2, -1));
        }
    }

    @Test
    void hugeHashSetAndZsetRepliesAreWhole() {
        try (Jedis j = new Jedis("127.0.0.1", kv.port(), 60_000)) {
            int n = 200_000;
            Map<String, String> fields = new HashMap<>();
            Map<String, Double> scores = new HashMap<>();
            for (int i = 0; i < n; i++) {
                fields.put("f" + i, "v" + i);
                scores.put("m" + i, (double) i);
                if (fields.size() == 10_000) {
                    j.hset("h", fields);
                    j.zadd("z", scores);
                    j.sadd("s", fields.keySet().toArray(new String[0]));
                    fields.clear();
                    scores.clear();
                }
            }
            Map<String, String> all = j.hgetAll("h");
            assertEquals(n, all.size());
            assertEquals("v12345", all.get("f12345"));
            assertEquals(n, j.hkeys("h").size());
            assertEquals(n, j.smembers("s").size());
            List<String> range = j.zrange("z", 0, -1);
            assertEquals(n, range.size());
            assertEquals("m0", range.get(0));
            assertEquals("m" + (n - 1), range.get(n - 1));
            assertEquals(2 * n, j.zrangeWithScores("z", 0, -1).size() * 2);
            assertEquals(300_000, j.srandmember("s", -300_000).size(), "negative counts repeat, in slices too");
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 20_000; i++) {
                ids.add(j.xadd("x", new redis.clients.jedis.StreamEntryID(i, 0), Map.of("k", "v" + i)).toString());
            }
            var entries = j.xrange("x", "-", "+");
            assertEquals(ids.size(), entries.size());
            assertEquals("v20000", entries.get(19_999).getFields().get("k"));
            assertEquals("PONG", j.ping(), "the connection is in step after the slices");
        }
    }
}
