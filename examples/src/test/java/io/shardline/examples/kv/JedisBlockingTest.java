package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.assertRedisError;
import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.infoField;
import static io.shardline.examples.kv.JedisSupport.keyOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/**
 * The blocking pops and moves through Jedis on a 3-shard server: served at once or on a later write
 * (LPUSH, ZADD, RENAME onto the key...), first come first served, timeouts, keys on several shards
 * with only one element ever taken, BLMOVE across shards, disconnects that leave nothing behind,
 * CLIENT UNBLOCK, RESP3 shapes.
 */
@Timeout(120)
class JedisBlockingTest {
    static final int SHARDS = 3;

    KvServer kv;
    ExecutorService pool;
    BlockedClients waiting;

    @BeforeEach
    void startServer() throws Exception {
        kv = KvServer.start(KvConfig.inMemory(SHARDS));
        pool = Executors.newCachedThreadPool();
        start();
    }

    /** Follows every shard's waiters of {@link #kv} as they change. */
    void start() throws Exception {
        waiting = BlockedClients.follow(kv);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        if (kv != null) {
            kv.close();
        }
    }

    static String text(Object reply) {
        return JedisStreamsTest.text(reply);
    }

    static String x(Jedis j, String... args) {
        return JedisStreamsTest.x(j, args);
    }

    void awaitBlocked(int n) throws Exception {
        waiting.await(n);
    }

    void awaitNothingLeft() throws Exception {
        waiting.awaitNothingLeft();
    }

    CompletableFuture<String> async(String... args) {
        return async(false, args);
    }

    CompletableFuture<String> async(boolean resp3, String... args) {
        return CompletableFuture.supplyAsync(() -> {
            try (Jedis j = resp3 ? connect(kv, JedisSupport.builder().protocol(RedisProtocol.RESP3).build()) : connect(kv)) {
                return x(j, args);
            } catch (RuntimeException e) {
                return "error: " + e.getMessage();
            }
        }, pool);
    }

    static String get(CompletableFuture<String> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void blpopAndBrpopAreServedByALaterPushWhereverTheKeyLives() throws Exception {
        try (Jedis j = connect(kv)) {
            for (int shard = 0; shard < SHARDS; shard++) {
                String key = keyOn("l", shard, SHARDS);
                CompletableFuture<String> left = async("BLPOP", key, "0");
                awaitBlocked(1);
                assertEquals(1, infoField(j.info("clients"), "blocked_clients"));
                assertFalse(left.isDone());
                assertEquals("2", x(j, "RPUSH", key, "a", "b"));
                assertEquals("[" + key + ", a]", get(left));
                awaitNothingLeft();
                assertEquals("[" + key + ", b]", x(j, "BRPOP", key, "0"), "data there: at once");
                CompletableFuture<String> right = async("BRPOP", key, "0");
                awaitBlocked(1);
                x(j, "RPUSH", key, "c", "d");
                assertEquals("[" + key + ", d]", get(right));
                assertEquals("[c]", x(j, "LRANGE", key, "0", "-1"));
                x(j, "DEL", key);
                awaitNothingLeft();
            }
        }
    }

    @Test
    void dataThereAnswersAtOnceInKeyOrderAndWrongTypeAsRedisChecksIt() {
        String a = keyOn("ia", 0, SHARDS);
        String b = keyOn("ib", 1, SHARDS);
        String c = keyOn("ic", 2, SHARDS);
        try (Jedis j = connect(kv)) {
            x(j, "RPUSH", b, "b1", "b2");
            x(j, "RPUSH", c, "c1");
            assertEquals("[" + b + ", b1]", x(j, "BLPOP", a, b, c, "0"));
            assertEquals("[" + b + ", b2]", x(j, "BRPOP", a, b, c, "1.5"));
            assertEquals("[" + c + ", c1]", x(j, "BLPOP", a, b, c, "0"));
            x(j, "SET", b, "str");
            x(j, "RPUSH", c, "c2");
            assertRedisError("WRONGTYPE Operation against a key holding the wrong kind of value", () -> x(j, "BLPOP", a, b, c, "0"));
            assertEquals("[" + c + ", c2]", x(j, "BLPOP", c, b, "0"), "a full key before the wrong one answers");
            x(j, "ZADD", a, "1", "m1", "2", "m2");
            assertEquals("[" + a + ", m1, 1]", x(j, "BZPOPMIN", c, a, "0"));
            assertEquals("[" + a + ", m2, 2]", x(j, "BZPOPMAX", a, "0"));
            x(j, "RPUSH", c, "x", "y", "z");
            assertEquals("[" + c + ", [x, y]]", x(j, "BLMPOP", "0", "2", a, c, "LEFT", "COUNT", "2"));
            x(j, "ZADD", b + "z", "1", "p", "2", "q");
            assertEquals("[" + b + "z, [[q, 2], [p, 1]]]", x(j, "BZMPOP", "0", "1", b + "z", "MAX", "COUNT", "5"));
            assertEquals("z", x(j, "BRPOPLPUSH", c, a + "l", "0"));
            assertEquals("[z]", x(j, "LRANGE", a + "l", "0", "-1"));
        }
    }

    @Test
    void timeoutsAnswerTheNullArray() throws Exception {
        try (Jedis j = connect(kv); Jedis j3 = connect(kv, JedisSupport.builder().protocol(RedisProtocol.RESP3).build())) {
            String a = keyOn("t", 0, SHARDS);
            String b = keyOn("t", 2, SHARDS);
            assertEquals("null", x(j, "BLPOP", a, "0.05"));
            assertEquals("null", x(j, "BLPOP", a, b, "0.02"), "over two shards");
            assertEquals("null", x(j, "BZPOPMIN", a, "0.01"));
            assertEquals("null", x(j, "BLMOVE", a, b, "LEFT", "RIGHT", "0.01"));
            assertEquals("null", x(j, "BLMPOP", "0.01", "2", a, b, "RIGHT"));
            assertEquals("null", x(j3, "BLPOP", a, "0.01"));
            assertEquals("null", x(j3, "BZMPOP", "0.01", "1", a, "MIN"));
            awaitNothingLeft();
            assertEquals(0, infoField(j.info("clients"), "blocked_clients"));
        }
        try (JedisSupport.RawClient raw = new JedisSupport.RawClient(kv)) {
            assertEquals("*-1\r\n", raw.command("BRPOPLPUSH", "none1", "none2", "0.01").reply(), "Redis answers the null array, not a null bulk");
            assertEquals("-ERR timeout is negative\r\n", raw.command("BLPOP", "k", "-1").reply());
            assertEquals("-ERR timeout is not a float or out of range\r\n", raw.command("BLPOP", "k", "abc").reply());
            // Redis 7.2: past LLONG_MAX ms, or past it once added to now, is out of range (7.0 said negative)
            for (String t : new String[] {"inf", "1e400", "9223372036854775807", "9223372036854775", "9223372036854775.807"}) {
                assertEquals("-ERR timeout is out of range\r\n", raw.command("BLPOP", "k", t).reply(), t);
            }
            assertEquals("-ERR timeout is negative\r\n", raw.command("BLMPOP", "-inf", "1", "k", "LEFT").reply());
            raw.command("HELLO", "3").reply();
            assertEquals("_\r\n", raw.command("BRPOP", "k", "0.01").reply());
        }
    }

    @Test
    void blockedClientsOfOneKeyAreServedFirstComeFirstServed() throws Exception {
        for (int shard = 0; shard < SHARDS; shard++) {
            String key = keyOn("fifo", shard, SHARDS);
            List<CompletableFuture<String>> waiting = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                waiting.add(async("BLPOP", key, "0"));
                awaitBlocked(i + 1);
            }
            try (Jedis j = connect(kv)) {
                x(j, "RPUSH", key, "1", "2", "3");
                assertEquals("[" + key + ", 1]", get(waiting.get(0)));
                assertEquals("[" + key + ", 2]", get(waiting.get(1)));
                assertEquals("[" + key + ", 3]", get(waiting.get(2)));
                awaitBlocked(1);
                assertFalse(waiting.get(3).isDone(), "three elements for the first three only");
                x(j, "LPUSH", key, "4");
                assertEquals("[" + key + ", 4]", get(waiting.get(3)));
                awaitNothingLeft();
            }
        }
    }

    @Test
    void keysOnSeveralShardsAreServedByTheFirstWriteAndOnlyOneElementIsTaken() throws Exception {
        String a = keyOn("ma", 0, SHARDS);
        String b = keyOn("mb", 1, SHARDS);
        String c = keyOn("mc", 2, SHARDS);
        try (Jedis j = connect(kv)) {
            CompletableFuture<String> one = async("BLPOP", a, b, c, "0");
            awaitBlocked(1);
            assertEquals(1, infoField(j.info("clients"), "blocked_clients"), "a wait over three shards counts once");
            x(j, "RPUSH", c, "v");
            assertEquals("[" + c + ", v]", get(one));
            awaitNothingLeft();
            x(j, "RPUSH", a, "stays");
            assertEquals("1", x(j, "LLEN", a), "the ended wait took nothing more");
            x(j, "DEL", a);
            CompletableFuture<String> mpop = async("BLMPOP", "0", "3", a, b, c, "RIGHT", "COUNT", "2");
            CompletableFuture<String> zpop = async("BZPOPMIN", a + "z", b, c, "0");
            awaitBlocked(2);
            x(j, "RPUSH", b, "1", "2", "3");
            assertEquals("[" + b + ", [3, 2]]", get(mpop));
            assertFalse(zpop.isDone(), "a list does not wake a sorted-set wait");
            x(j, "DEL", b);
            x(j, "ZADD", c, "2", "two", "1", "one");
            assertEquals("[" + c + ", one, 1]", get(zpop));
            awaitNothingLeft();
            x(j, "DEL", a, b, c);

            for (int round = 0; round < 20; round++) {
                CompletableFuture<String> racing = async("BRPOP", a, b, c, "0");
                awaitBlocked(1);
                // three writes on three shards at once: exactly one element may go
                j.pipelined();
                try (Jedis p = connect(kv)) {
                    var pipe = p.pipelined();
                    pipe.rpush(a, "x");
                    pipe.rpush(b, "y");
                    pipe.rpush(c, "z");
                    pipe.sync();
                }
                String got = get(racing);
                awaitNothingLeft();
                long left = Long.parseLong(x(j, "LLEN", a)) + Long.parseLong(x(j, "LLEN", b)) + Long.parseLong(x(j, "LLEN", c));
                assertEquals(2, left, "round " + round + " got " + got);
                x(j, "DEL", a, b, c);
            }
        }
    }

    @Test
    void severalClientsOverSeveralShardsEachGetOneElement() throws Exception {
        String a = keyOn("sa", 0, SHARDS);
        String b = keyOn("sb", 2, SHARDS);
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(async(i % 2 == 0 ? "BLPOP" : "BRPOP", a, b, "0"));
            awaitBlocked(i + 1);
        }
        try (Jedis j = connect(kv)) {
            x(j, "RPUSH", b, "1", "2");
            x(j, "RPUSH", a, "3", "4", "5");
            List<String> got = new ArrayList<>();
            for (CompletableFuture<String> f : waiting) {
                got.add(get(f));
            }
            awaitNothingLeft();
            assertEquals("0", x(j, "EXISTS", a, b));
            List<String> values = new ArrayList<>();
            for (String g : got) {
                values.add(g.substring(g.lastIndexOf(' ') + 1, g.length() - 1));
            }
            values.sort(null);
            assertEquals(List.of("1", "2", "3", "4", "5"), values, String.valueOf(got));
        }
    }

    /** Bounded stress: clients over three shards' keys and pushers on three threads; each element goes to exactly one client. */
    @Test
    void concurrentPushesServeEachBlockedClientExactlyOnce() throws Exception {
        String a = keyOn("ca", 0, SHARDS);
        String b = keyOn("cb", 1, SHARDS);
        String c = keyOn("cc", 2, SHARDS);
        int clients = 24;
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            waiting.add(async(i % 3 == 0 ? "BRPOP" : "BLPOP", i % 2 == 0 ? a : c, b, i % 2 == 0 ? c : a, "0"));
        }
        awaitBlocked(clients);
        List<CompletableFuture<Void>> pushers = new ArrayList<>();
        String[] keys = {a, b, c};
        for (int t = 0; t < 3; t++) {
            String key = keys[t];
            int base = t * 100;
            pushers.add(CompletableFuture.runAsync(() -> {
                try (Jedis p = connect(kv)) {
                    for (int n = 0; n < clients / 3; n++) {
                        p.rpush(key, Integer.toString(base + n));
                    }
                }
            }, pool));
        }
        for (CompletableFuture<Void> p : pushers) {
            p.get(30, TimeUnit.SECONDS);
        }
        java.util.Set<String> got = new java.util.HashSet<>();
        for (CompletableFuture<String> f : waiting) {
            String r = get(f);
            assertTrue(got.add(r.substring(r.lastIndexOf(' ') + 1)), "an element went twice: " + r);
        }
        assertEquals(clients, got.size());
        awaitNothingLeft();
        try (Jedis j = connect(kv)) {
            assertEquals("0", x(j, "EXISTS", a, b, c), "every element was taken once");
        }
    }

    @Test
    void blmoveAndBrpoplpushAcrossShards() throws Exception {
        String src = keyOn("src", 0, SHARDS);
        String dst = keyOn("dst", 1, SHARDS);
        try (Jedis j = connect(kv)) {
            CompletableFuture<String> move = async("BLMOVE", src, dst, "RIGHT", "LEFT", "0");
            awaitBlocked(1);
            x(j, "RPUSH", src, "a", "b");
            assertEquals("b", get(move));
            assertEquals("[a]", x(j, "LRANGE", src, "0", "-1"));
            assertEquals("[b]", x(j, "LRANGE", dst, "0", "-1"));
            awaitNothingLeft();
            x(j, "DEL", src);
            CompletableFuture<String> legacy = async("BRPOPLPUSH", src, dst, "0");
            awaitBlocked(1);
            x(j, "LPUSH", src, "c");
            assertEquals("c", get(legacy));
            assertEquals("[c, b]", x(j, "LRANGE", dst, "0", "-1"));
            // a destination of another type: the error, and the element back where it was
            x(j, "SET", dst, "text");
            CompletableFuture<String> refused = async("BLMOVE", src, dst, "LEFT", "RIGHT", "0");
            awaitBlocked(1);
            x(j, "RPUSH", src, "d", "e");
            assertEquals("error: WRONGTYPE Operation against a key holding the wrong kind of value", get(refused));
            assertEquals("[d, e]", x(j, "LRANGE", src, "0", "-1"));
            awaitNothingLeft();
            // same shard: one LMOVE
            String near = keyOn("near", 0, SHARDS);
            assertEquals("d", x(j, "BLMOVE", src, near, "LEFT", "LEFT", "0"));
            assertEquals("[d]", x(j, "LRANGE", near, "0", "-1"));
        }
    }

    @Test
    void sortedSetWaitsAreServedByZaddWithRedisShapes() throws Exception {
        String z = keyOn("z", 1, SHARDS);
        String other = keyOn("zo", 2, SHARDS);
        try (Jedis j = connect(kv)) {
            CompletableFuture<String> min = async("BZPOPMIN", other, z, "0");
            awaitBlocked(1);
            x(j, "ZADD", z, "3", "c", "1", "a", "2", "b");
            assertEquals("[" + z + ", a, 1]", get(min));
            CompletableFuture<String> mpop = async("BZMPOP", "0", "2", other, z + "x", "MAX", "COUNT", "10");
            awaitBlocked(1);
            x(j, "ZADD", z + "x", "5", "e", "4.5", "d");
            assertEquals("[" + z + "x, [[e, 5], [d, 4.5]]]", get(mpop));
            CompletableFuture<String> resp3 = async(true, "BZPOPMAX", z, "0");
            assertEquals("[" + z + ", c, 3.0]", get(resp3), "RESP3: the score is a double");
            x(j, "DEL", z);
            CompletableFuture<String> lm = async("BLMPOP", "0", "1", z, "RIGHT", "COUNT", "2");
            awaitBlocked(1);
            x(j, "ZADD", z, "1", "wrongtype-stays-blocked");
            x(j, "DEL", z);
            x(j, "RPUSH", z, "1", "2", "3");
            assertEquals("[" + z + ", [3, 2]]", get(lm));
            awaitNothingLeft();
        }
    }

    @Test
    void anyWriteThatFillsTheKeyWakes() throws Exception {
        try (Jedis j = connect(kv)) {
            // RENAME onto the key, on one shard and across shards
            CompletableFuture<String> renamed = async("BLPOP", "{t}dst", "0");
            awaitBlocked(1);
            x(j, "RPUSH", "{t}src", "r");
            assertEquals("OK", x(j, "RENAME", "{t}src", "{t}dst"));
            assertEquals("[{t}dst, r]", get(renamed));
            String far = keyOn("far", 2, SHARDS);
            String from = keyOn("from", 0, SHARDS);
            CompletableFuture<String> across = async("BLPOP", far, "0");
            awaitBlocked(1);
            x(j, "RPUSH", from, "f");
            assertEquals("OK", x(j, "RENAME", from, far));
            assertEquals("[" + far + ", f]", get(across));
            // LMOVE into the key, and RESTORE of a dumped list
            CompletableFuture<String> moved = async("BRPOP", "{m}b", "0");
            awaitBlocked(1);
            x(j, "RPUSH", "{m}a", "m");
            x(j, "LMOVE", "{m}a", "{m}b", "LEFT", "LEFT");
            assertEquals("[{m}b, m]", get(moved));
            x(j, "RPUSH", "dumped", "d");
            byte[] dump = j.dump("dumped");
            CompletableFuture<String> restored = async("BLPOP", "restored", "0");
            awaitBlocked(1);
            j.restore("restored", 0, dump);
            assertEquals("[restored, d]", get(restored));
            // a write of the wrong type does not wake it
            CompletableFuture<String> typed = async("BLPOP", "typed", "0");
            awaitBlocked(1);
            x(j, "SET", "typed", "s");
            x(j, "DEL", "typed");
            x(j, "LPUSH", "typed", "ok");
            assertEquals("[typed, ok]", get(typed));
            awaitNothingLeft();
        }
    }

    @Test
    void aClientThatDisconnectsWhileBlockedLeavesNothingOnAnyShard() throws Exception {
        String a = keyOn("ga", 0, SHARDS);
        String b = keyOn("gb", 1, SHARDS);
        String c = keyOn("gc", 2, SHARDS);
        String[][] calls = {
            {"BLPOP", a, b, c, "0"}, {"BLPOP", b, "0"}, {"BZPOPMIN", a, c, "0"}, {"BLMOVE", a, c, "LEFT", "LEFT", "0"},
            {"BLMPOP", "0", "3", a, b, c, "LEFT"}, {"XREAD", "BLOCK", "0", "STREAMS", c, "$"}};
        for (String[] call : calls) {
            try (java.net.Socket leaving = new java.net.Socket(JedisSupport.HOST, kv.port())) {
                leaving.getOutputStream().write(RawResp.encode(call));
                leaving.getOutputStream().flush();
                awaitBlocked(1);
            }
            awaitNothingLeft();
        }
        try (Jedis j = connect(kv)) {
            x(j, "RPUSH", a, "1");
            x(j, "RPUSH", b, "2");
            assertEquals("[1]", x(j, "LRANGE", a, "0", "-1"), "nobody took it");
            assertEquals("[2]", x(j, "LRANGE", b, "0", "-1"));
            assertEquals(0, infoField(j.info("clients"), "blocked_clients"));
        }
    }

    @Test
    void clientUnblockEndsAWaitAsATimeoutOrWithTheUnblockedError() throws Exception {
        String a = keyOn("ua", 0, SHARDS);
        String b = keyOn("ub", 1, SHARDS);
        try (Jedis j = connect(kv)) {
            for (String reason : new String[] {"TIMEOUT", "ERROR", null}) {
                for (String[] call : new String[][] {{"BLPOP", a, "0"}, {"BRPOP", a, b, "0"}, {"XREAD", "BLOCK", "0", "STREAMS", b, "$"}}) {
                    Jedis blocked = connect(kv);
                    long id = blocked.clientId();
                    CompletableFuture<String> wait = CompletableFuture.supplyAsync(() -> {
                        try {
                            return x(blocked, call);
                        } catch (RuntimeException e) {
                            return "error: " + e.getMessage();
                        } finally {
                            blocked.close();
                        }
                    }, pool);
                    awaitBlocked(1);
                    String unblock = reason == null ? x(j, "CLIENT", "UNBLOCK", Long.toString(id))
                            : x(j, "CLIENT", "UNBLOCK", Long.toString(id), reason);
                    assertEquals("1", unblock);
                    assertEquals("ERROR".equals(reason) ? "error: UNBLOCKED client unblocked via CLIENT UNBLOCK" : "null", get(wait),
                            String.join(" ", call));
                    awaitNothingLeft();
                    assertEquals("0", x(j, "CLIENT", "UNBLOCK", Long.toString(id)), "no longer blocked");
                }
            }
            assertEquals("0", x(j, "CLIENT", "UNBLOCK", Long.toString(j.clientId())));
            assertEquals("0", x(j, "CLIENT", "UNBLOCK", "123456"));
            assertRedisError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR", () -> x(j, "CLIENT", "UNBLOCK", "1", "LATER"));
            assertRedisError("ERR value is not an integer or out of range", () -> x(j, "CLIENT", "UNBLOCK", "x"));
        }
    }

    @Test
    void clientUnblockInResp3AndOfAClientOnEveryShard() throws Exception {
        String a = keyOn("r3", 1, SHARDS);
        try (Jedis j = connect(kv)) {
            for (int i = 0; i < SHARDS; i++) { // new connections land on the shards in turn
                long rawId;
                try (JedisSupport.RawClient raw = new JedisSupport.RawClient(kv)) {
                    raw.command("HELLO", "3").reply();
                    rawId = Long.parseLong(raw.command("CLIENT", "ID").reply().substring(1).trim());
                    raw.command("BLMPOP", "0", "1", a, "LEFT");
                    awaitBlocked(1);
                    assertEquals("1", x(j, "CLIENT", "UNBLOCK", Long.toString(rawId), "TIMEOUT"));
                    assertEquals("_\r\n", raw.reply(), "RESP3's null at the timeout");
                }
                awaitNothingLeft();
                assertEquals("0", x(j, "CLIENT", "UNBLOCK", Long.toString(rawId)));
            }
        }
    }

    @Test
    void whatBlockedClientsTookSurvivesARestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        kv.close();
        kv = KvServer.start(KvConfig.inMemory(SHARDS).withDataDir(dir).withFsync("always"));
        start(); // the test hooks, on the new server
        String src = keyOn("ps", 0, SHARDS);
        String dst = keyOn("pd", 2, SHARDS);
        try (Jedis j = connect(kv)) {
            x(j, "RPUSH", src, "a", "b", "c");
            assertEquals("[" + src + ", a]", x(j, "BLPOP", src, "0"));
            x(j, "DEL", src);
            CompletableFuture<String> move = async("BRPOPLPUSH", src, dst, "0");
            CompletableFuture<String> pop = async("BZPOPMAX", dst + "z", "0");
            awaitBlocked(2);
            x(j, "RPUSH", src, "x", "y");
            x(j, "ZADD", dst + "z", "1", "one", "2", "two");
            assertEquals("y", get(move));
            assertEquals("[" + dst + "z, two, 2]", get(pop));
        }
        kv.close();
        kv = KvServer.start(KvConfig.inMemory(SHARDS).withDataDir(dir).withFsync("always"));
        try (Jedis j = connect(kv)) {
            assertEquals("[x]", x(j, "LRANGE", src, "0", "-1"));
            assertEquals("[y]", x(j, "LRANGE", dst, "0", "-1"));
            assertEquals("[one]", x(j, "ZRANGE", dst + "z", "0", "-1"));
        }
    }

    /** As Redis: the blocked client is served right after the push, before the next command of the pusher's pipeline. */
    @Test
    void theBlockedClientIsServedBeforeThePushersNextCommand() throws Exception {
        for (int shard = 0; shard < SHARDS; shard++) {
            String key = keyOn("next", shard, SHARDS);
            CompletableFuture<String> blocked = async("BLPOP", key, "0");
            awaitBlocked(1);
            try (JedisSupport.RawClient raw = new JedisSupport.RawClient(kv)) {
                raw.send(concat(RawResp.encode("RPUSH", key, "a"), RawResp.encode("LPOP", key)));
                assertEquals(":1\r\n", raw.reply());
                assertEquals("$-1\r\n", raw.reply(), "the element went to the blocked client first");
            }
            assertEquals("[" + key + ", a]", get(blocked));
            awaitNothingLeft();
        }
    }

    @Test
    void aPipelineBehindABlockedCommandStillGetsItsRepliesInOrder() throws Exception {
        String a = keyOn("pa", 1, SHARDS);
        try (JedisSupport.RawClient raw = new JedisSupport.RawClient(kv); Jedis j = connect(kv)) {
            raw.send(concat(RawResp.encode("BLPOP", a, "0"), RawResp.encode("PING")));
            awaitBlocked(1);
            x(j, "RPUSH", a, "v");
            String key = "$" + a.getBytes(StandardCharsets.UTF_8).length + "\r\n" + a + "\r\n";
            assertEquals("*2\r\n" + key + "$1\r\nv\r\n", raw.reply());
            assertEquals("+PONG\r\n", raw.reply());
        }
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] all = java.util.Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, all, x.length, y.length);
        return all;
    }
}
