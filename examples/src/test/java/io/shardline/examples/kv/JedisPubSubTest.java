package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.command;
import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.connectionShard;
import static io.shardline.examples.kv.JedisSupport.keyOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisShardedPubSub;

/**
 * Pub/sub with Jedis on a 3-shard server: subscribers, publishers and channels' home shards all on
 * different shards; patterns; the receiver counts; PUBSUB's introspection; one order per channel;
 * and nothing left on any shard once subscribers disconnect.
 */
class JedisPubSubTest {
    static final int SHARDS = 3;
    static KvServer server;

    @BeforeAll
    static void start() throws Exception {
        server = KvServer.start(KvConfig.inMemory(SHARDS));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A connection living on {@code shard}. */
    static Jedis on(int shard) {
        for (int i = 0; i < 500; i++) {
            Jedis j = connect(server);
            if (connectionShard(j) == shard) {
                return j;
            }
            j.close();
        }
        throw new AssertionError("no connection landed on shard " + shard);
    }

    /** Records what it gets; counts subscriptions confirmed and messages down with latches. */
    static final class Recorder extends JedisPubSub {
        final List<String> got = Collections.synchronizedList(new ArrayList<>());
        volatile CountDownLatch subscribed;
        volatile CountDownLatch messages;
        final CountDownLatch ended = new CountDownLatch(1);

        Recorder(int subscriptions, int expected) {
            subscribed = new CountDownLatch(subscriptions);
            messages = new CountDownLatch(expected);
        }

        @Override
        public void onSubscribe(String channel, int count) {
            subscribed.countDown();
        }

        @Override
        public void onPSubscribe(String pattern, int count) {
            subscribed.countDown();
        }

        @Override
        public void onMessage(String channel, String message) {
            got.add(channel + ":" + message);
            messages.countDown();
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            got.add(pattern + ">" + channel + ":" + message);
            messages.countDown();
        }
    }

    /** Runs {@code jedis}'s subscription loop on its own thread, as a subscribed Jedis blocks its caller. */
    static Thread listen(Jedis jedis, Recorder r, boolean patterns, String... names) {
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                if (patterns) {
                    jedis.psubscribe(r, names);
                } else {
                    jedis.subscribe(r, names);
                }
            } catch (redis.clients.jedis.exceptions.JedisConnectionException closedByTheTest) {
                // the disconnect test closes sockets under a subscribed Jedis
            } finally {
                r.ended.countDown();
            }
        });
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(30, TimeUnit.SECONDS), what);
    }

    @Test
    void publishReachesSubscribersOnEveryShardAndCountsPatternsTwice() throws Exception {
        String channel = keyOn("news", 2, SHARDS); // home on shard 2, publisher on shard 0
        List<Jedis> subs = new ArrayList<>();
        List<Recorder> recs = new ArrayList<>();
        try (Jedis pub = on(0)) {
            for (int s = 0; s < SHARDS; s++) {
                Jedis j = on(s);
                Recorder r = new Recorder(1, 2);
                subs.add(j);
                recs.add(r);
                listen(j, r, false, channel);
                await(r.subscribed, "subscribed on shard " + s);
            }
            Jedis pj = on(1);
            subs.add(pj);
            Recorder pr = new Recorder(1, 2);
            listen(pj, pr, true, "new*");
            await(pr.subscribed, "pattern subscribed");

            assertEquals(4, pub.publish(channel, "one"), "3 channel subscribers and 1 pattern subscriber");
            assertEquals(Map.of(channel, 3L), pub.pubsubNumSub(channel));
            assertEquals(1L, pub.pubsubNumPat());
            assertTrue(pub.pubsubChannels().contains(channel));
            assertEquals(List.of(channel), pub.pubsubChannels(channel));
            // A client subscribed by channel and pattern gets both and counts twice, as in Redis.
            recs.get(0).subscribed = new CountDownLatch(1);
            recs.get(0).psubscribe("new*");
            await(recs.get(0).subscribed, "second pattern subscribed");
            assertEquals(5, pub.publish(channel, "two"));
            assertEquals(1L, pub.pubsubNumPat(), "NUMPAT counts distinct patterns");
            assertEquals(0, pub.publish(keyOn("other", 1, SHARDS), "x"));

            for (int s = 0; s < SHARDS; s++) {
                await(recs.get(s).messages, "messages on shard " + s);
            }
            assertEquals(List.of(channel + ":one", channel + ":two"), recs.get(1).got);
            await(pr.messages, "pattern messages");
            assertEquals(List.of("new*>" + channel + ":one", "new*>" + channel + ":two"), pr.got);
            assertTrue(recs.get(0).got.contains("new*>" + channel + ":two"));

            for (Recorder r : recs) {
                r.unsubscribe();
                r.punsubscribe();
                await(r.ended, "subscription loop ended");
            }
            pr.punsubscribe();
            await(pr.ended, "pattern loop ended");
            assertEquals(Map.of(channel, 0L), pub.pubsubNumSub(channel));
            assertEquals(0L, pub.pubsubNumPat());
            assertEquals(0, pub.publish(channel, "three"));
        } finally {
            subs.forEach(Jedis::close);
        }
    }

    @Test
    void everySubscriberSeesOneOrderAndEachPublishersOrder() throws Exception {
        String channel = keyOn("order", 1, SHARDS);
        int perPublisher = 300;
        try (Jedis a = on(0); Jedis b = on(2); Jedis p1 = on(0); Jedis p2 = on(2)) {
            Recorder ra = new Recorder(1, 2 * perPublisher);
            Recorder rb = new Recorder(1, 2 * perPublisher);
            listen(a, ra, false, channel);
            listen(b, rb, false, channel);
            await(ra.subscribed, "a subscribed");
            await(rb.subscribed, "b subscribed");
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> publishers = new ArrayList<>();
            for (Jedis p : List.of(p1, p2)) {
                String tag = p == p1 ? "x" : "y";
                publishers.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    for (int i = 0; i < perPublisher; i++) {
                        assertEquals(2, p.publish(channel, tag + i));
                    }
                }));
            }
            go.countDown();
            for (Thread t : publishers) {
                t.join();
            }
            await(ra.messages, "a got every message");
            await(rb.messages, "b got every message");
            assertEquals(ra.got, rb.got, "both subscribers see the channel's one order");
            for (String tag : List.of("x", "y")) {
                List<String> mine = ra.got.stream().filter(m -> m.startsWith(channel + ":" + tag)).toList();
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < perPublisher; i++) {
                    sent.add(channel + ":" + tag + i);
                }
                assertEquals(sent, mine, "publisher " + tag + "'s order");
            }
            ra.unsubscribe();
            rb.unsubscribe();
            await(ra.ended, "a ended");
            await(rb.ended, "b ended");
        }
    }

    @Test
    void shardChannelsAreANamespaceOfTheirOwn() throws Exception {
        String channel = keyOn("shardch", 0, SHARDS);
        try (Jedis sub = on(1); Jedis pub = on(2)) {
            CountDownLatch subscribed = new CountDownLatch(1);
            CountDownLatch got = new CountDownLatch(1);
            List<String> messages = Collections.synchronizedList(new ArrayList<>());
            JedisShardedPubSub listener = new JedisShardedPubSub() {
                @Override
                public void onSSubscribe(String ch, int count) {
                    subscribed.countDown();
                }

                @Override
                public void onSMessage(String ch, String message) {
                    messages.add(ch + ":" + message);
                    got.countDown();
                }
            };
            Thread t = Thread.ofPlatform().daemon().start(() -> listener.proceed(sub.getConnection(), channel));
            await(subscribed, "ssubscribed");
            assertEquals(0, pub.publish(channel, "not a shard message"), "PUBLISH does not reach shard channels");
            assertEquals(1L, pub.sendCommand(command("SPUBLISH"), channel, "hi"));
            assertEquals(Map.of(channel, 1L), pub.pubsubShardNumSub(channel));
            assertEquals(Map.of(channel, 0L), pub.pubsubNumSub(channel));
            assertEquals(List.of(channel), pub.pubsubShardChannels(channel));
            assertEquals(List.of(), pub.pubsubChannels(channel));
            await(got, "smessage");
            assertEquals(List.of(channel + ":hi"), messages);
            listener.sunsubscribe();
            t.join(30_000);
            assertEquals(0L, pub.sendCommand(command("SPUBLISH"), channel, "gone"));
        }
    }

    @Test
    void disconnectedSubscribersLeaveNothingOnAnyShard() throws Exception {
        List<Jedis> subs = new ArrayList<>();
        List<Recorder> recs = new ArrayList<>();
        List<String> channels = new ArrayList<>();
        for (int s = 0; s < SHARDS; s++) {
            channels.add(keyOn("gone", s, SHARDS));
        }
        for (int s = 0; s < SHARDS; s++) {
            Jedis j = on(s);
            Recorder r = new Recorder(channels.size(), 0);
            subs.add(j);
            recs.add(r);
            listen(j, r, false, channels.toArray(new String[0]));
            await(r.subscribed, "subscribed on shard " + s);
            Jedis pj = on(s);
            Recorder pr = new Recorder(2, 0);
            subs.add(pj);
            listen(pj, pr, true, "gone*", "p" + s + "*");
            await(pr.subscribed, "patterns on shard " + s);
        }
        try (Jedis check = on(0)) {
            assertEquals(4L, check.pubsubNumPat());
            assertEquals(3L, check.pubsubNumSub(channels.get(1)).get(channels.get(1)));
            assertTrue(entries() > 0);
            for (Jedis j : subs) {
                j.getConnection().disconnect(); // gone without unsubscribing
            }
            awaitNoEntries();
            assertEquals(0L, check.pubsubNumPat());
            assertEquals(0L, check.pubsubNumSub(channels.get(1)).get(channels.get(1)));
            assertEquals(0, check.publish(channels.get(2), "nobody"));
        }
    }

    /** Every pub/sub table entry on every shard: local subscribers, directories, pattern replicas. */
    static int entries() throws Exception {
        int n = 0;
        for (int s = 0; s < SHARDS; s++) {
            n += server.onShard(s, () -> server.pubsub().local().entries()).get(10, TimeUnit.SECONDS);
        }
        return n;
    }

    /** The server learns of a closed socket asynchronously: waits (bounded) until the cleanup has run everywhere. */
    static void awaitNoEntries() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int left;
        while ((left = entries()) != 0) {
            assertTrue(System.nanoTime() < deadline, left + " pub/sub entries left after every subscriber closed");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
