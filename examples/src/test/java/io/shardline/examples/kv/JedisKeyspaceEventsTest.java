package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.connectionShard;
import static io.shardline.examples.kv.JedisSupport.keyOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.params.SetParams;

/**
 * Keyspace notifications with Jedis on a 3-shard server: the subscriber on shard 0, the writer on
 * shard 1 and the keys on shard 2 (or spread), so every event crosses shards; one key's events in the
 * order of its writes; expiry by lookup and by sweep on a manual clock; the cross-shard forms of the
 * multi-key commands; channel subscribers reached through the channel's home; and CONFIG SET reaching
 * every shard.
 */
class JedisKeyspaceEventsTest {
    static final int SHARDS = 3;
    static final AtomicLong NOW = new AtomicLong(System.currentTimeMillis());
    static KvServer server;
    final List<Jedis> open = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = KvServer.start(KvConfig.inMemory(SHARDS).withClock(NOW::get));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void close() {
        try (Jedis j = on(1)) {
            j.configSet("notify-keyspace-events", "");
            j.flushAll();
        }
        open.forEach(Jedis::close);
        open.clear();
    }

    Jedis on(int shard) {
        for (int i = 0; i < 500; i++) {
            Jedis j = connect(server);
            if (connectionShard(j) == shard) {
                return j;
            }
            j.close();
        }
        throw new AssertionError("no connection landed on shard " + shard);
    }

    /** A subscriber's messages as "channel message", in arrival order. */
    static final class Events extends JedisPubSub {
        final BlockingQueue<String> got = new LinkedBlockingQueue<>();
        final CountDownLatch subscribed = new CountDownLatch(1);

        @Override
        public void onPSubscribe(String pattern, int count) {
            subscribed.countDown();
        }

        @Override
        public void onSubscribe(String channel, int count) {
            subscribed.countDown();
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            got.add(channel + " " + message);
        }

        @Override
        public void onMessage(String channel, String message) {
            got.add(channel + " " + message);
        }

        String next() throws InterruptedException {
            String e = got.poll(30, TimeUnit.SECONDS);
            assertNotNull(e, "no event within 30 s");
            return e;
        }

        List<String> next(int n) throws InterruptedException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(next());
            }
            return out;
        }
    }

    /** A subscriber on {@code shard}: to patterns, or ({@code channel}) to channels. */
    Events subscribe(int shard, boolean channel, String... names) throws InterruptedException {
        Jedis j = on(shard);
        open.add(j);
        Events events = new Events();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                if (channel) {
                    j.subscribe(events, names);
                } else {
                    j.psubscribe(events, names);
                }
            } catch (redis.clients.jedis.exceptions.JedisConnectionException closed) {
                // the test closed the connection
            }
        });
        assertTrue(events.subscribed.await(30, TimeUnit.SECONDS), "subscribed");
        return events;
    }

    Jedis writer(String flags) {
        Jedis w = on(1);
        open.add(w);
        assertEquals("OK", w.configSet("notify-keyspace-events", flags));
        return w;
    }

    static List<String> both(String key, String event) {
        return List.of("__keyspace@0__:" + key + " " + event, "__keyevent@0__:" + event + " " + key);
    }

    @Test
    void eachFamilyPublishesItsEventsFromTheKeysShard() throws Exception {
        Events ev = subscribe(0, false, "__key*__:*");
        Jedis w = writer("KEA");
        String k = keyOn("fam", 2, SHARDS);
        w.set(k, "v", SetParams.setParams().ex(100));
        assertEquals(concat(both(k, "set"), both(k, "expire")), ev.next(4));
        w.append(k, "x");
        assertEquals(both(k, "append"), ev.next(2));
        w.del(k);
        assertEquals(both(k, "del"), ev.next(2));
        w.incrBy(k, 5);
        assertEquals(both(k, "incrby"), ev.next(2));
        w.del(k);
        ev.next(2);
        w.rpush(k, "a");
        w.linsert(k, ListPosition.BEFORE, "a", "b");
        w.lpop(k, 2);
        assertEquals(concat(both(k, "rpush"), both(k, "linsert"), both(k, "lpop"), both(k, "del")), ev.next(8));
        w.sadd(k, "a", "b");
        w.srem(k, "a", "b");
        assertEquals(concat(both(k, "sadd"), both(k, "srem"), both(k, "del")), ev.next(6));
        w.hset(k, "f", "1");
        w.hincrByFloat(k, "f", 1.5);
        w.hdel(k, "f");
        assertEquals(concat(both(k, "hset"), both(k, "hincrbyfloat"), both(k, "hdel"), both(k, "del")), ev.next(8));
        w.zadd(k, 1, "a");
        w.zincrby(k, 2, "a");
        w.zpopmin(k);
        assertEquals(concat(both(k, "zadd"), both(k, "zincr"), both(k, "zpopmin"), both(k, "del")), ev.next(8));
        w.sendCommand(JedisSupport.command("XADD"), k, "MAXLEN", "1", "1-1", "f", "v");
        w.sendCommand(JedisSupport.command("XADD"), k, "MAXLEN", "1", "2-1", "f", "v");
        w.sendCommand(JedisSupport.command("XGROUP"), "CREATE", k, "g", "0");
        assertEquals(concat(both(k, "xadd"), both(k, "xadd"), both(k, "xtrim"), both(k, "xgroup-create")), ev.next(8));
        w.del(k);
        w.set(k, "v");
        byte[] dump = w.dump(k);
        w.del(k);
        w.restore(k, 0, dump);
        assertEquals(concat(both(k, "del"), both(k, "set"), both(k, "del"), both(k, "restore")), ev.next(8));
        w.expire(k, 100);
        w.persist(k);
        w.expire(k, -1);
        assertEquals(concat(both(k, "expire"), both(k, "persist"), both(k, "del")), ev.next(6));
    }

    @Test
    void oneKeysEventsArriveInTheOrderOfItsWrites() throws Exception {
        Events ev = subscribe(0, false, "__keyspace@0__:*");
        Jedis w = writer("Kl");
        String k = keyOn("order", 2, SHARDS);
        List<String> expected = new ArrayList<>();
        Pipeline p = w.pipelined();
        for (int i = 0; i < 300; i++) {
            switch (i % 3) {
                case 0 -> {
                    p.rpush(k, "r" + i);
                    expected.add("rpush");
                }
                case 1 -> {
                    p.lpush(k, "l" + i);
                    expected.add("lpush");
                }
                default -> {
                    p.lset(k, 0, "s" + i);
                    expected.add("lset");
                }
            }
        }
        p.sync();
        List<String> got = new ArrayList<>();
        for (String e : ev.next(expected.size())) {
            got.add(e.substring(e.indexOf(' ') + 1));
        }
        assertEquals(expected, got);
    }

    @Test
    void expiryByLookupAndBySweepRaisesExpired() throws Exception {
        Events ev = subscribe(0, false, "__keyevent@0__:expired");
        Jedis w = writer("Ex");
        String lazy = keyOn("lazy", 2, SHARDS);
        String swept = keyOn("swept", 0, SHARDS);
        w.set(lazy, "v", SetParams.setParams().px(100));
        NOW.addAndGet(1_000);
        assertNull(w.get(lazy)); // the lookup removes it, and says so
        assertEquals("__keyevent@0__:expired " + lazy, ev.next());
        w.set(swept, "v", SetParams.setParams().px(100));
        NOW.addAndGet(1_000);
        assertEquals("__keyevent@0__:expired " + swept, ev.next()); // the periodic sweep's, with no access
        assertFalse(w.exists(swept));
    }

    @Test
    void aReadOfAnExpiredKeyRaisesExpiredThenKeymiss() throws Exception {
        Events ev = subscribe(0, false, "__keyevent@0__:*");
        Jedis w = writer("Exm");
        String k = keyOn("miss", 2, SHARDS);
        w.set(k, "v", SetParams.setParams().px(100));
        NOW.addAndGet(1_000);
        assertNull(w.get(k));
        assertEquals(List.of("expired " + k, "keymiss " + k), strip(ev.next(2)));
        w.lpush(k, "a"); // a write's lookup is no miss, as lookupKeyWrite raises none
        w.lrange(k + "x", 0, -1);
        assertEquals(List.of("keymiss " + k + "x"), strip(ev.next(1)));
    }

    @Test
    void crossShardFormsRaiseTheCommandsEventsNotTheirSteps() throws Exception {
        Events ev = subscribe(0, false, "__keyevent@0__:*");
        Jedis w = writer("EA");
        String a = keyOn("xa", 1, SHARDS);
        String b = keyOn("xb", 2, SHARDS);
        String c = keyOn("xc", 0, SHARDS);
        w.set(a, "1");
        ev.next();
        w.rename(a, b);
        assertEquals(sorted("rename_from " + a, "rename_to " + b), sorted(strip(ev.next(2))));
        w.copy(b, c, false);
        assertEquals(List.of("copy_to " + c), strip(ev.next(1)));
        w.del(b, c);
        ev.next(2);
        w.sadd(a, "m");
        ev.next();
        w.smove(a, b, "m");
        assertEquals(sorted("srem " + a, "del " + a, "sadd " + b), sorted(strip(ev.next(3))));
        w.sunionstore(c, b);
        assertEquals(List.of("sunionstore " + c), strip(ev.next(1)));
        w.lpush(a, "3", "1", "2");
        ev.next();
        w.sort(a, b); // b held a set: SORT overwrites it, so no del
        assertEquals(List.of("sortstore " + b), strip(ev.next(1)));
        w.pfadd(a + "h", "x");
        ev.next();
        w.pfmerge(c + "h", a + "h");
        assertEquals(List.of("pfadd " + c + "h"), strip(ev.next(1)));
    }

    @Test
    void channelSubscribersAreReachedThroughTheChannelsHome() throws Exception {
        String k = keyOn("direct", 2, SHARDS);
        String channel = "__keyspace@0__:" + k;
        Events ev = subscribe(0, true, channel, "__keyevent@0__:hset");
        Jedis w = writer("KEh");
        w.hset(k, "f", "v");
        assertEquals(sorted(channel + " hset", "__keyevent@0__:hset " + k), sorted(ev.next(2)));
    }

    @Test
    void patternSubscribersOnEveryShardEachGetTheEventOnce() throws Exception {
        List<Events> subs = new ArrayList<>();
        for (int s = 0; s < SHARDS; s++) {
            subs.add(subscribe(s, false, "__key*@0__:*"));
        }
        subs.add(subscribe(2, false, "__keyevent@0__:zadd")); // a second pattern on the key's own shard
        Jedis w = writer("KEz");
        String k = keyOn("every", 2, SHARDS);
        w.zadd(k, 1, "m");
        w.zrem(k, "m");
        for (int s = 0; s < SHARDS; s++) {
            assertEquals(concat(both(k, "zadd"), both(k, "zrem")), subs.get(s).next(4), "subscriber on shard " + s);
        }
        assertEquals("__keyevent@0__:zadd " + k, subs.get(SHARDS).next());
        w.zadd(k, 2, "m"); // nothing queued in between: the next event of each is this one
        assertEquals("__keyevent@0__:zadd " + k, subs.get(SHARDS).next());
        assertEquals(both(k, "zadd"), subs.get(0).next(2));
    }

    @Test
    void configSetReachesEveryShardAndEmptyTurnsEventsOff() throws Exception {
        Events ev = subscribe(0, false, "__keyspace@0__:*");
        Jedis w = on(2);
        open.add(w);
        assertEquals("OK", w.configSet("notify-keyspace-events", "K$"));
        assertEquals("$K", w.configGet("notify-keyspace-events").get("notify-keyspace-events"));
        for (int s = 0; s < SHARDS; s++) {
            String k = keyOn("every", s, SHARDS);
            w.set(k, "v");
            assertEquals("__keyspace@0__:" + k + " set", ev.next());
        }
        String k = keyOn("off", 1, SHARDS);
        assertEquals("OK", w.configSet("notify-keyspace-events", ""));
        w.append(k, "x"); // no event: were one sent, it would come before the next, from the same shard
        assertEquals("OK", w.configSet("notify-keyspace-events", "K$"));
        w.set(k, "v");
        assertEquals("__keyspace@0__:" + k + " set", ev.next());
    }

    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts) {
            out.addAll(p);
        }
        return out;
    }

    /** "__keyevent@0__:event key" as "event key". */
    static List<String> strip(List<String> events) {
        List<String> out = new ArrayList<>();
        for (String e : events) {
            out.add(e.substring("__keyevent@0__:".length()));
        }
        return out;
    }

    static List<String> sorted(String... items) {
        return sorted(List.of(items));
    }

    static List<String> sorted(List<String> items) {
        List<String> out = new ArrayList<>(items);
        out.sort(null);
        return out;
    }
}
