package io.shardline.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kv-features suite against real redis-servers (skipped where redis-server is not installed): its
 * loads' counts and checks, and the whole suite in a tiny configuration with a redis-server standing in
 * for Shardline, once as it is and once without MULTI, as Shardline before transactions.
 */
class KvFeaturesAgainstRedisTest {
    private static final Pattern RESULT =
            Pattern.compile("result: kv-features pubsub_ratio=(\\d+\\.\\d\\d) multi_ratio=(\\d+\\.\\d\\d)");
    private static final KvFeaturesSuite.Plan TINY =
            new KvFeaturesSuite.Plan(1, 100, 100, 300, 5, 1, 16, 4, 8, 3, 2);

    @TempDir
    Path dir;
    private KvServers servers;
    private ServerProcess redis;

    @BeforeEach
    void startRedis() throws Exception {
        Assumptions.assumeTrue(KvServers.missing(System.getenv("PATH"), List.of(KvServers.REDIS_SERVER)).isEmpty(),
                "redis-server not installed");
        servers = new KvServers(dir, dir);
        redis = servers.redis("redis test");
    }

    @AfterEach
    void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    private static long millis(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }

    @Test
    void theFanoutCountsEveryMessageEverySubscriberGot() throws Exception {
        PubSubFanout w = new PubSubFanout(7, 2, 32, 4, 16);
        RespLoad.Run r = new RespLoad().run("redis", redis.port(), w, millis(50), millis(300),
                () -> CpuUse.processCpuNanos(redis.pid()));
        assertNull(r.error());
        assertTrue(r.done() > 0 && r.rate() > 0, r.toString());
        assertTrue(r.serverCpuNanos() >= 0 && r.load().known(), r.toString());
        // After the drain every PUBLISH reached all 7, and the subscribers got each one: 7 per PUBLISH.
        assertEquals(0, w.done() % 7, "messages delivered: " + w.done());
        assertNull(w.check());
        try (RespClient c = RespClient.connect(redis.port())) {
            assertEquals("0", c.call("PUBLISH", PubSubFanout.CHANNEL, "x"), "the load's connections are closed");
        }
    }

    @Test
    void aSubscriberTheLoadDoesNotReadIsCaughtAsMessagesMissing() throws Exception {
        try (RespClient other = RespClient.connect(redis.port())) {
            other.call("SUBSCRIBE", PubSubFanout.CHANNEL);
            RespLoad.Run r = new RespLoad(millis(500)).run("redis", redis.port(), new PubSubFanout(3, 1, 8, 2, 4),
                    millis(20), millis(100), () -> -1);
            assertFalse(r.ok());
            assertTrue(r.error().startsWith("still waiting after 500.0 ms with sending stopped: 0 PUBLISH replies, and"),
                    r.error());
        }
    }

    @Test
    void transactionsCountOnlyExecsOfTwoOksAndTheKeysAreWritten() throws Exception {
        MultiExecLoad w = new MultiExecLoad(3, 2, 2);
        assertNull(w.slotCheck(redis.port()), "a standalone Redis has no CLUSTER KEYSLOT: nothing to check");
        RespLoad.Run r = new RespLoad().run("redis", redis.port(), w, millis(50), millis(300), () -> -1);
        assertNull(r.error());
        assertTrue(r.done() > 0 && r.done() <= w.done(), r.toString());
        try (RespClient c = RespClient.connect(redis.port())) {
            assertEquals("6", c.call("DBSIZE"));
            assertEquals(MultiExecLoad.VALUE, c.call("GET", w.keys(2).get(1)));
        }
    }

    @Test
    void theKeysSlotsAreTheOnesACusterModeRedisComputes() throws Exception {
        ServerProcess cluster = servers.redis("redis cluster", List.of("--appendonly", "no", "--cluster-enabled", "yes",
                "--cluster-config-file", dir.resolve("nodes.conf").toString()));
        MultiExecLoad w = new MultiExecLoad(20, 1, 2);
        assertNull(w.slotCheck(cluster.port()));
        try (RespClient c = RespClient.connect(cluster.port())) {
            for (int i = 0; i < 20; i++) {
                for (String key : w.keys(i)) {
                    assertEquals(Integer.toString(ShardKeys.slot(key)), c.call("CLUSTER", "KEYSLOT", key), key);
                }
            }
            assertEquals(Integer.toString(ShardKeys.slot("{user1}.x")), c.call("CLUSTER", "KEYSLOT", "{user1}.x"));
        }
    }

    private String suite(KvFeaturesSuite.Starter standIn) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new KvFeaturesSuite(new BenchMain.Settings(true), TINY, System.getenv("PATH"),
                new PrintStream(err, true, StandardCharsets.UTF_8), standIn)
                .run(new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, text + err.toString(StandardCharsets.UTF_8));
        return text;
    }

    @Test
    void theWholeSuiteRedisAgainstRedisEndsWithBothRatios() throws Exception {
        String text = suite((s, name) -> s.redis(name));
        Matcher m = RESULT.matcher(text.lines().toList().getLast());
        assertTrue(m.matches(), text);
        assertTrue(Double.parseDouble(m.group(1)) > 0 && Double.parseDouble(m.group(2)) > 0, text);
        assertFalse(text.contains("FAILED"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("pubsub_fanout  msgs/s delivered")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("multi_exec     txns/s")), text);
    }

    @Test
    void withoutMultiTheTransactionRowFailsWithTheReplyAndTheFanoutStillRuns() throws Exception {
        String text = suite((s, name) -> s.redis(name, List.of("--appendonly", "no", "--rename-command", "MULTI", "")));
        Matcher m = RESULT.matcher(text.lines().toList().getLast());
        assertTrue(m.matches(), text);
        assertTrue(Double.parseDouble(m.group(1)) > 0, text);
        assertEquals("0.00", m.group(2), text);
        assertTrue(Pattern.compile("multi_exec FAILED on shardline in 1 of 1 rounds; first error: connection \\d+: MULTI"
                + " answered \"-ERR unknown command 'MULTI'").matcher(text).find(), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("multi_exec +txns/s +FAILED .*")), text);
    }
}
