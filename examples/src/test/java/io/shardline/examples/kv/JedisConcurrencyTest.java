package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.infoField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/**
 * Many Jedis connections at once on 4 shards: shared counters end exact, every connection reads its
 * own writes, and nothing fails. Threads meet on latches; every wait is bounded.
 */
@Timeout(90)
class JedisConcurrencyTest {
    static final int SHARDS = 4;
    static final int CONNECTIONS = 200;
    static final int COUNTERS = 8;

    static KvServer server;

    @BeforeAll
    static void start() throws Exception {
        server = KvServer.start(KvConfig.inMemory(SHARDS));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void flush() {
        try (Jedis j = connect(server)) {
            j.flushAll();
        }
    }

    static String counter(int i) {
        return "shared:counter:" + i;
    }

    /** 200 connections open at once, each INCRs the shared counters and SETs / GETs keys of its own. */
    @Test
    void twoHundredConnectionsAtOnce() throws Exception {
        int iterations = 100;
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch connected = new CountDownLatch(CONNECTIONS);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(CONNECTIONS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < CONNECTIONS; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().name("client-" + t).start(() -> {
                try (Jedis jedis = connect(server)) {
                    jedis.ping();
                    connected.countDown();
                    if (!go.await(60, TimeUnit.SECONDS)) {
                        throw new AssertionError("no start signal");
                    }
                    for (int i = 0; i < iterations; i++) {
                        jedis.incr(counter((id + i) % COUNTERS));
                        String key = "own:" + id + ":" + i;
                        String value = "value-" + id + "-" + i;
                        if (!"OK".equals(jedis.set(key, value))) {
                            throw new AssertionError("SET " + key);
                        }
                        String got = jedis.get(key);
                        if (!value.equals(got)) {
                            throw new AssertionError("GET " + key + " gave " + got);
                        }
                        if (i % 10 == 9) { // MGET of own keys, which live on several shards
                            List<String> values = jedis.mget("own:" + id + ":" + (i - 1), key, "own:missing");
                            if (!values.equals(Arrays.asList("value-" + id + "-" + (i - 1), value, null))) {
                                throw new AssertionError("MGET gave " + values);
                            }
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                    connected.countDown(); // never leave the main thread waiting for a failed client
                } finally {
                    done.countDown();
                }
            }));
        }
        try (Jedis observer = connect(server)) {
            try {
                assertTrue(connected.await(60, TimeUnit.SECONDS), "not all clients connected");
                assertTrue(errors.isEmpty(), () -> "errors while connecting: " + errors);
                long clients = infoField(observer.info("clients"), "connected_clients");
                assertTrue(clients >= CONNECTIONS + 1, "INFO connected_clients " + clients + " with every client open");
            } finally {
                go.countDown(); // release the clients even if a check failed, so none waits out its timeout
            }
            assertTrue(done.await(60, TimeUnit.SECONDS), "clients did not finish in time");
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
            if (!errors.isEmpty()) {
                AssertionError e = new AssertionError(errors.size() + " clients failed; first: " + errors.peek());
                errors.forEach(e::addSuppressed);
                throw e;
            }
            long total = 0;
            for (int c = 0; c < COUNTERS; c++) {
                long v = Long.parseLong(observer.get(counter(c)));
                assertEquals((long) CONNECTIONS * iterations / COUNTERS, v, counter(c));
                total += v;
            }
            assertEquals((long) CONNECTIONS * iterations, total);
            assertEquals(COUNTERS + (long) CONNECTIONS * iterations, observer.dbSize());
            BitSet shards = new BitSet();
            for (int c = 0; c < COUNTERS; c++) {
                shards.set(JedisSupport.shardOf(counter(c), SHARDS));
            }
            assertTrue(shards.cardinality() > 1, "the shared counters live on several shards");
        }
    }

    /** A pool shared by 200 tasks, and 200 short-lived connections opened and closed meanwhile. */
    @Test
    void pooledAndShortLivedConnections() throws Exception {
        GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(32);
        poolConfig.setMaxWait(java.time.Duration.ofSeconds(30));
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        int tasks = 200;
        int perTask = 50;
        long baseline;
        try (Jedis observer = connect(server)) {
            baseline = infoField(observer.info("clients"), "connected_clients");
        }
        try (JedisPool pool = new JedisPool(poolConfig, new HostAndPort(JedisSupport.HOST, server.port()), JedisSupport.config());
             ExecutorService exec = Executors.newFixedThreadPool(64)) {
            CountDownLatch done = new CountDownLatch(2 * tasks);
            for (int t = 0; t < tasks; t++) {
                int id = t;
                exec.execute(() -> {
                    try {
                        for (int i = 0; i < perTask; i++) {
                            try (Jedis jedis = pool.getResource()) {
                                jedis.incr("pooled:counter");
                                jedis.hincrBy("pooled:hash", "task-" + (id % 10), 1);
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    } finally {
                        done.countDown();
                    }
                });
                exec.execute(() -> {
                    try (Jedis jedis = connect(server)) {
                        jedis.rpush("short:list", "x");
                        jedis.sadd("short:set", "member-" + id);
                    } catch (Throwable e) {
                        errors.add(e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertTrue(done.await(60, TimeUnit.SECONDS), "tasks did not finish in time");
            assertTrue(errors.isEmpty(), () -> errors.size() + " failures, first: " + errors.peek());
            try (Jedis jedis = pool.getResource()) {
                assertEquals(Long.toString((long) tasks * perTask), jedis.get("pooled:counter"));
                assertEquals(10, jedis.hlen("pooled:hash"));
                for (int h = 0; h < 10; h++) {
                    assertEquals(Long.toString((long) tasks / 10 * perTask), jedis.hget("pooled:hash", "task-" + h));
                }
                assertEquals(tasks, jedis.llen("short:list"));
                assertEquals(tasks, jedis.scard("short:set"));
            }
        }
        // Every closed connection is noticed: the count goes back to where it was.
        try (Jedis observer = connect(server)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long clients;
            while ((clients = infoField(observer.info("clients"), "connected_clients")) > baseline) {
                assertTrue(System.nanoTime() < deadline, "connected_clients stays at " + clients + " > " + baseline);
                // No sleep: each INFO is a round trip to the server, which paces this bounded poll.
            }
            assertEquals(baseline, clients);
        }
    }
}
