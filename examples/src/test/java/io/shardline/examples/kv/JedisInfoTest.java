package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.infoField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * INFO's sections and numbers through Jedis on a 3-shard server: the section lists of INFO, default,
 * all and everything, commandstats and errorstats counted for commands on every shard, keyspace hits
 * and misses, pub/sub counts.
 */
class JedisInfoTest {
    static KvServer server;

    @BeforeAll
    static void start() throws Exception {
        server = KvServer.start(KvConfig.inMemory(3));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        try (Jedis j = connect(server)) {
            j.flushAll();
            j.configResetStat();
        }
    }

    static List<String> headers(String info) {
        List<String> h = new ArrayList<>();
        for (String line : info.split("\r\n")) {
            if (line.startsWith("# ")) {
                h.add(line.substring(2));
            }
        }
        return h;
    }

    @Test
    void sectionListsAreRedis() {
        try (Jedis j = connect(server)) {
            List<String> redisDefault = List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU",
                    "Modules", "Errorstats", "Cluster", "Keyspace", "Shards");
            assertEquals(redisDefault, headers(j.info()));
            assertEquals(redisDefault, headers(j.info("default")));
            List<String> all = headers(j.info("all"));
            assertTrue(all.containsAll(List.of("Commandstats", "Latencystats")), all.toString());
            assertTrue(headers(j.info("everything")).contains("Modules"));
            assertEquals(List.of("Server", "Clients"), headers(new String((byte[]) j.sendCommand(Protocol.Command.INFO, "clients", "SERVER"))));
            assertEquals("", j.info("nosuchsection"));
            assertFalse(j.info().endsWith("\r\n\r\n"), "no blank line after the last section");
            String replication = j.info("replication");
            assertTrue(replication.contains("role:master\r\n"), replication);
            assertTrue(j.info("cpu").contains("used_cpu_user:"), j.info("cpu"));
        }
    }

    @Test
    void commandstatsAndErrorstatsCountEveryShardsCommands() {
        try (Jedis j = connect(server)) {
            List<String> keys = JedisSupport.keys("cs:", 12, 3);
            for (String k : keys) {
                j.set(k, "v");
                j.get(k);
            }
            j.lpush("cs:list", "a");
            assertThrows(JedisDataException.class, () -> j.get("cs:list")); // WRONGTYPE
            assertThrows(JedisDataException.class, () -> j.sendCommand(Protocol.Command.GET)); // arity: rejected
            assertThrows(JedisDataException.class, () -> j.sendCommand(JedisSupport.command("NOSUCHCOMMAND")));
            String stats = j.info("commandstats");
            assertEquals(12, field(stats, "cmdstat_set", "calls"), stats);
            assertEquals(13, field(stats, "cmdstat_get", "calls"), stats);
            assertEquals(1, field(stats, "cmdstat_get", "failed_calls"), stats);
            assertEquals(1, field(stats, "cmdstat_get", "rejected_calls"), stats);
            assertEquals(0, field(stats, "cmdstat_set", "failed_calls"), stats);
            String errors = j.info("errorstats");
            assertTrue(errors.contains("errorstat_WRONGTYPE:count=1\r\n"), errors);
            assertTrue(errors.contains("errorstat_ERR:count=2\r\n"), errors);
            assertEquals(3, infoField(j.info("stats"), "total_error_replies"));
        }
    }

    @Test
    void keyspaceHitsAndMisses() {
        try (Jedis j = connect(server)) {
            List<String> keys = JedisSupport.keys("hm:", 9, 3);
            for (String k : keys) {
                j.set(k, "v"); // writes are neither hits nor misses
            }
            for (String k : keys) {
                j.get(k);
                j.get(k + ":missing");
            }
            String stats = j.info("stats");
            assertEquals(9, infoField(stats, "keyspace_hits"), stats);
            assertEquals(9, infoField(stats, "keyspace_misses"), stats);
            assertTrue(infoField(stats, "total_commands_processed") >= 27, stats);
        }
    }

    @Test
    void pubsubCountsAndClients() throws Exception {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onPSubscribe(String pattern, int count) {
                ready.complete(null);
            }

            @Override
            public void onSubscribe(String channel, int count) {
                if (count == 3) {
                    psubscribe("news.*");
                }
            }
        };
        try (Jedis sub = connect(server); Jedis j = connect(server)) {
            Thread t = new Thread(() -> sub.subscribe(listener, "ch:a", "ch:b", "ch:c"));
            t.start();
            ready.get(10, TimeUnit.SECONDS);
            String stats = j.info("stats");
            assertEquals(3, infoField(stats, "pubsub_channels"), stats);
            assertEquals(1, infoField(stats, "pubsub_patterns"), stats);
            assertEquals(1, infoField(j.info("clients"), "pubsub_clients"));
            assertTrue(infoField(j.info("clients"), "connected_clients") >= 2);
            listener.punsubscribe();
            listener.unsubscribe();
            t.join(10_000);
        }
    }

    @Test
    void networkBytesAndInstantaneousRatesAreTheShardsRealFigures() throws Exception {
        try (Jedis j = connect(server); Jedis other = connect(server)) {
            long inBefore = infoField(j.info("stats"), "total_net_input_bytes");
            long outBefore = infoField(j.info("stats"), "total_net_output_bytes");
            String value = "v".repeat(10_000);
            for (int i = 0; i < 20; i++) {
                other.set("net:" + i, value);
                assertEquals(value, other.get("net:" + i));
            }
            String stats = j.info("stats");
            assertTrue(infoField(stats, "total_net_input_bytes") - inBefore >= 20 * 10_000, stats);
            assertTrue(infoField(stats, "total_net_output_bytes") - outBefore >= 20 * 10_000, stats);
            // The rates are sampled every 100 ms on each shard's timer: keep a load running until one shows.
            io.shardline.examples.Polling.await("instantaneous_ops_per_sec above 0 under load", java.time.Duration.ofSeconds(20), () -> {
                for (int i = 0; i < 50; i++) {
                    other.incr("net:count");
                }
                String s = j.info("stats");
                return infoField(s, "instantaneous_ops_per_sec") > 0
                        && !s.contains("instantaneous_input_kbps:0.00\r\n")
                        && !s.contains("instantaneous_output_kbps:0.00\r\n");
            });
        }
    }

    /** {@code name=} of the line {@code stat:...} in an INFO text. */
    static long field(String info, String stat, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(stat) + ":.*\\b" + Pattern.quote(name) + "=(\\d+)").matcher(info);
        assertTrue(m.find(), stat + " " + name + " in " + info);
        return Long.parseLong(m.group(1));
    }
}
