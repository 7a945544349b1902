package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.assertRedisError;
import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.infoField;
import static io.shardline.examples.kv.JedisSupport.keyOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The stream commands through Jedis on a 3-shard server: generated ids, BLOCK on XREAD and XREADGROUP
 * (woken by XADD, by XGROUP DESTROY, first come first served, timeouts), reads over several shards,
 * COPY and RENAME of streams, and restarts that must bring back streams with their groups, consumers
 * and pending entries, through the log and through a snapshot.
 */
@Timeout(120)
class JedisStreamsTest {
    static final int SHARDS = 3;

    @TempDir
    Path dir;

    KvServer kv;
    ExecutorService pool;

    @BeforeEach
    void start() throws Exception {
        kv = KvServer.start(KvConfig.inMemory(SHARDS).withDataDir(dir).withFsync("always"));
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        if (kv != null) {
            kv.close();
        }
    }

    /** A reply as text: bulk strings as they are, integers as numbers, arrays in brackets, nil as null. */
    static String text(Object reply) {
        if (reply == null) {
            return "null";
        }
        if (reply instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (reply instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) {
                parts.add(text(o));
            }
            return parts.toString();
        }
        return String.valueOf(reply);
    }

    static Object call(Jedis j, String... args) {
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        return j.sendCommand(JedisSupport.command(args[0]), rest);
    }

    static String x(Jedis j, String... args) {
        return text(call(j, args));
    }

    /**
     * Waits until {@code n} clients are blocked on the server, counted by every shard's waiters as they
     * change (the same count as INFO's blocked_clients): the reader is parked.
     */
    void awaitBlocked(int n) throws Exception {
        BlockedClients.follow(kv).await(n);
    }

    CompletableFuture<String> async(String... args) {
        return CompletableFuture.supplyAsync(() -> {
            try (Jedis j = connect(kv)) {
                return x(j, args);
            } catch (RuntimeException e) {
                return "error: " + e.getMessage();
            }
        }, pool);
    }

    @Test
    void generatedIdsGrowWithTheClockAndAfterTheLastId() {
        try (Jedis j = connect(kv)) {
            String a = x(j, "XADD", "s", "*", "f", "1");
            String b = x(j, "XADD", "s", "*", "f", "2");
            assertTrue(a.matches("\\d+-\\d+") && b.matches("\\d+-\\d+"), a + " " + b);
            long msA = Long.parseLong(a.split("-")[0]);
            long msB = Long.parseLong(b.split("-")[0]);
            assertTrue(msB > msA || (msB == msA && Long.parseLong(b.split("-")[1]) > Long.parseLong(a.split("-")[1])));
            assertTrue(Math.abs(msA - System.currentTimeMillis()) < 600_000, "the ms part is the clock's: " + a);
            String future = (msB + 1_000_000) + "-5";
            assertEquals(future, x(j, "XADD", "s", future, "f", "3"));
            assertEquals((msB + 1_000_000) + "-6", x(j, "XADD", "s", "*", "f", "4"), "the clock is behind: last id + 1");
            assertEquals((msB + 1_000_000) + "-7", x(j, "XADD", "s", (msB + 1_000_000) + "-*", "f", "5"));
            assertEquals((msB + 2_000_000) + "-0", x(j, "XADD", "s", (msB + 2_000_000) + "-*", "f", "6"));
            assertEquals("6", x(j, "XLEN", "s"));
            assertEquals("stream", j.type("s"));
            assertEquals("stream", x(j, "OBJECT", "ENCODING", "s"));
        }
    }

    @Test
    void blockedXreadIsWokenByXaddWithOnlyTheNewEntry() throws Exception {
        String key = keyOn("bs", 1, SHARDS);
        try (Jedis j = connect(kv)) {
            x(j, "XADD", key, "1-1", "old", "x");
            CompletableFuture<String> reader = async("XREAD", "BLOCK", "0", "STREAMS", key, "$");
            awaitBlocked(1);
            assertEquals(1, infoField(j.info("clients"), "blocked_clients"));
            assertFalse(reader.isDone());
            x(j, "XADD", key, "2-1", "new", "y");
            assertEquals("[[" + key + ", [[2-1, [new, y]]]]]", reader.get(30, TimeUnit.SECONDS));
            awaitBlocked(0);
        }
    }

    @Test
    void blockTimesOutWithANullReply() throws Exception {
        try (Jedis j = connect(kv)) {
            assertEquals("null", x(j, "XREAD", "BLOCK", "20", "STREAMS", "nothing", "$"));
            CompletableFuture<String> forever = async("XREAD", "BLOCK", "9000000000000000000", "STREAMS", "late", "$");
            awaitBlocked(1);
            x(j, "XADD", "late", "1-1", "f", "v");
            assertEquals("[[late, [[1-1, [f, v]]]]]", forever.get(30, TimeUnit.SECONDS), "a huge timeout waits");
            assertRedisError("ERR timeout is out of range",
                    () -> call(j, "XREAD", "BLOCK", "9223372036854775807", "STREAMS", "late", "$"));
            x(j, "XGROUP", "CREATE", "gs", "g", "$", "MKSTREAM");
            assertEquals("null", x(j, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "20", "STREAMS", "gs", ">"));
            assertEquals(0, infoField(j.info("clients"), "blocked_clients"));
            // data already there: BLOCK answers at once
            x(j, "XADD", "gs", "5-1", "a", "b");
            assertEquals("[[gs, [[5-1, [a, b]]]]]", x(j, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "gs", ">"));
        }
    }

    @Test
    void blockedGroupReadersAreServedFirstComeFirstServed() throws Exception {
        try (Jedis j = connect(kv)) {
            x(j, "XGROUP", "CREATE", "q", "workers", "$", "MKSTREAM");
            CompletableFuture<String> first = async("XREADGROUP", "GROUP", "workers", "alice", "COUNT", "1", "BLOCK", "0",
                    "STREAMS", "q", ">");
            awaitBlocked(1);
            CompletableFuture<String> second = async("XREADGROUP", "GROUP", "workers", "bob", "COUNT", "1", "BLOCK", "0",
                    "STREAMS", "q", ">");
            awaitBlocked(2);
            x(j, "XADD", "q", "1-1", "job", "1");
            assertEquals("[[q, [[1-1, [job, 1]]]]]", first.get(30, TimeUnit.SECONDS));
            awaitBlocked(1);
            assertFalse(second.isDone(), "the one entry went to the first reader only");
            x(j, "XADD", "q", "2-1", "job", "2");
            assertEquals("[[q, [[2-1, [job, 2]]]]]", second.get(30, TimeUnit.SECONDS));
            assertEquals("[2, 1-1, 2-1, [[alice, 1], [bob, 1]]]", x(j, "XPENDING", "q", "workers"));
        }
    }

    @Test
    void destroyingTheGroupEndsABlockedGroupRead() throws Exception {
        try (Jedis j = connect(kv)) {
            x(j, "XGROUP", "CREATE", "d", "g", "$", "MKSTREAM");
            CompletableFuture<String> reader = async("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "d", ">");
            awaitBlocked(1);
            assertEquals("1", x(j, "XGROUP", "DESTROY", "d", "g"));
            assertEquals("error: NOGROUP No such key 'd' or consumer group 'g' in XREADGROUP with GROUP option",
                    reader.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void deletingTheStreamEndsABlockedGroupReadButNotAPlainOne() throws Exception {
        try (Jedis j = connect(kv)) {
            x(j, "XGROUP", "CREATE", "del", "g", "$", "MKSTREAM");
            CompletableFuture<String> group = async("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "del", ">");
            CompletableFuture<String> plain = async("XREAD", "BLOCK", "0", "STREAMS", "del", "$");
            awaitBlocked(2);
            assertEquals("1", x(j, "DEL", "del"));
            assertEquals("error: UNBLOCKED the stream key no longer exists", group.get(30, TimeUnit.SECONDS));
            awaitBlocked(1);
            assertFalse(plain.isDone(), "XREAD keeps waiting for the key to come back");
            x(j, "XADD", "del", "7-7", "back", "1");
            assertEquals("[[del, [[7-7, [back, 1]]]]]", plain.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aClientThatDisconnectsWhileBlockedTakesNothing() throws Exception {
        for (int shard = 0; shard < SHARDS; shard++) { // the key on the connection's shard and on others
            String key = keyOn("gone", shard, SHARDS);
            try (Jedis j = connect(kv)) {
                x(j, "XGROUP", "CREATE", key, "g", "$", "MKSTREAM");
                try (java.net.Socket leaving = new java.net.Socket(JedisSupport.HOST, kv.port())) {
                    leaving.getOutputStream().write(RawResp.encode("XREADGROUP", "GROUP", "g", "ghost", "BLOCK", "0", "STREAMS", key, ">"));
                    leaving.getOutputStream().flush();
                    awaitBlocked(1);
                }
                awaitBlocked(0);
                x(j, "XADD", key, "1-1", "f", "v");
                assertEquals("[[" + key + ", [[1-1, [f, v]]]]]", x(j, "XREADGROUP", "GROUP", "g", "alive", "STREAMS", key, ">"));
                assertEquals("[1, 1-1, 1-1, [[alive, 1]]]", x(j, "XPENDING", key, "g"));
            }
        }
    }

    @Test
    void xreadGathersStreamsOnSeveralShardsInArgumentOrder() {
        String a = keyOn("ra", 0, SHARDS);
        String b = keyOn("rb", 1, SHARDS);
        String c = keyOn("rc", 2, SHARDS);
        try (Jedis j = connect(kv)) {
            x(j, "XADD", a, "1-1", "f", "a");
            x(j, "XADD", c, "3-1", "f", "c");
            assertEquals("[[" + c + ", [[3-1, [f, c]]]], [" + a + ", [[1-1, [f, a]]]]]",
                    x(j, "XREAD", "COUNT", "5", "STREAMS", c, b, a, "0", "0", "0"));
            assertEquals("null", x(j, "XREAD", "STREAMS", a, b, c, "$", "$", "$"));
            j.set(b, "text");
            assertRedisError("WRONGTYPE Operation against a key holding the wrong kind of value",
                    () -> call(j, "XREAD", "STREAMS", a, b, c, "0", "0", "0"));
            assertRedisError("CROSSSLOT Keys in request don't hash to the same slot",
                    () -> call(j, "XREAD", "BLOCK", "10", "STREAMS", a, c, "0", "0"));
            assertRedisError("CROSSSLOT Keys in request don't hash to the same slot",
                    () -> call(j, "XREADGROUP", "GROUP", "g", "c", "STREAMS", a, c, ">", ">"));
        }
    }

    @Test
    void copyIsDeepAndRenameMovesGroupsAcrossShards() {
        String src = keyOn("src", 0, SHARDS);
        String far = keyOn("far", 2, SHARDS);
        try (Jedis j = connect(kv)) {
            x(j, "XADD", "{c}a", "1-1", "f", "1");
            x(j, "XADD", "{c}a", "1-2", "f", "2");
            x(j, "XGROUP", "CREATE", "{c}a", "g", "0");
            x(j, "XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "{c}a", ">");
            assertEquals("1", x(j, "COPY", "{c}a", "{c}b"));
            x(j, "XACK", "{c}b", "g", "1-1");
            x(j, "XDEL", "{c}b", "1-2");
            assertEquals("[1, 1-1, 1-1, [[alice, 1]]]", x(j, "XPENDING", "{c}a", "g"), "the copy's ack left the source alone");
            assertEquals("2", x(j, "XLEN", "{c}a"));
            assertEquals("1", x(j, "XLEN", "{c}b"));

            x(j, "XADD", src, "5-1", "k", "v");
            x(j, "XADD", src, "5-2", "k", "w");
            x(j, "XDEL", src, "5-2");
            x(j, "XGROUP", "CREATE", src, "g", "0");
            x(j, "XREADGROUP", "GROUP", "g", "bob", "STREAMS", src, ">");
            String info = x(j, "XINFO", "STREAM", src);
            String groups = x(j, "XINFO", "GROUPS", src);
            assertEquals("OK", x(j, "RENAME", src, far));
            assertEquals("0", x(j, "EXISTS", src));
            assertEquals(info, x(j, "XINFO", "STREAM", far));
            assertEquals(groups, x(j, "XINFO", "GROUPS", far));
            assertEquals("[1, 5-1, 5-1, [[bob, 1]]]", x(j, "XPENDING", far, "g"));
        }
    }

    /** Writes, reads {@code state}, restarts (optionally after a snapshot midway) and expects the same state. */
    /**
     * Writes, restarts and expects the same state. With {@code snapshotAt} 1 a snapshot is taken midway
     * (the rest comes from the log after it), with 2 after all writes (all from the snapshot, consumer
     * times included); with 0 everything comes from the log.
     */
    void restartKeeps(int snapshotAt, Consumer<Jedis> first, Consumer<Jedis> second) throws Exception {
        List<String> before;
        boolean maskTimes = snapshotAt != 2;
        try (Jedis j = connect(kv)) {
            first.accept(j);
            if (snapshotAt == 1) {
                kv.compactAll();
            }
            second.accept(j);
            if (snapshotAt == 2) {
                kv.compactAll();
            }
            before = state(j, maskTimes);
        }
        assertTrue(before.toString().contains("pel-count, 11"), "the work left pending entries");
        kv.close();
        kv = KvServer.start(KvConfig.inMemory(SHARDS).withDataDir(dir).withFsync("always"));
        try (Jedis j = connect(kv)) {
            assertEquals(before, state(j, maskTimes));
        }
    }

    static final String[] KEYS = {"p0", "p1", "p2", "{p}x", "{p}y"};

    /**
     * Every key's type, entries and XINFO STREAM FULL. Replaying the log sets consumers' seen and active
     * times to the replay's time, as Redis' AOF does (it does not carry them): {@code maskTimes} masks them.
     */
    static List<String> state(Jedis j, boolean maskTimes) {
        List<String> s = new ArrayList<>();
        for (String k : KEYS) {
            s.add(k + " " + j.type(k));
            if (!j.type(k).equals("stream")) {
                continue;
            }
            s.add(x(j, "XRANGE", k, "-", "+"));
            String full = x(j, "XINFO", "STREAM", k, "FULL", "COUNT", "0");
            s.add(maskTimes ? full.replaceAll("(seen-time|active-time), -?\\d+", "$1, T") : full);
        }
        return s;
    }

    static void groupsWork(Jedis j) {
        for (String k : KEYS) {
            for (int i = 1; i <= 150; i++) {
                x(j, "XADD", k, "MAXLEN", "~", "120", i + "-1", "n", Integer.toString(i));
            }
            x(j, "XGROUP", "CREATE", k, "g1", "0");
            x(j, "XGROUP", "CREATE", k, "g2", "$", "ENTRIESREAD", "150");
            x(j, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "7", "STREAMS", k, ">");
            x(j, "XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "NOACK", "STREAMS", k, ">");
            x(j, "XREADGROUP", "GROUP", "g1", "carol", "COUNT", "4", "STREAMS", k, ">");
            x(j, "XACK", k, "g1", "52-1", "53-1");
            x(j, "XDEL", k, "54-1", "140-1");
            x(j, "XCLAIM", k, "g1", "dave", "0", "55-1", "56-1", "RETRYCOUNT", "9");
            x(j, "XREADGROUP", "GROUP", "g1", "alice", "STREAMS", k, "0");
        }
    }

    static void moreWork(Jedis j) {
        for (String k : KEYS) {
            x(j, "XAUTOCLAIM", k, "g1", "erin", "0", "0", "COUNT", "2");
            x(j, "XTRIM", k, "MINID", "~", "101-1");
            x(j, "XSETID", k, "999-0", "ENTRIESADDED", "500", "MAXDELETEDID", "140-1");
            x(j, "XGROUP", "SETID", k, "g2", "120-1", "ENTRIESREAD", "60");
            x(j, "XGROUP", "CREATECONSUMER", k, "g2", "frank");
            x(j, "XGROUP", "DELCONSUMER", k, "g1", "bob");
            x(j, "XADD", k, "1000-*", "last", "one");
        }
        x(j, "COPY", "{p}x", "{p}z");
        x(j, "RENAME", "{p}z", "{p}y");
        x(j, "XGROUP", "CREATE", "p9", "empty", "$", "MKSTREAM");
        x(j, "RENAME", "p9", "p2");
    }

    @Test
    void streamsWithGroupsSurviveARestartThroughTheLog() throws Exception {
        restartKeeps(0, JedisStreamsTest::groupsWork, JedisStreamsTest::moreWork);
    }

    @Test
    void streamsWithGroupsSurviveARestartThroughASnapshotAndTheLogAfterIt() throws Exception {
        restartKeeps(1, JedisStreamsTest::groupsWork, JedisStreamsTest::moreWork);
    }

    @Test
    void aSnapshotKeepsEveryStreamFieldConsumerTimesIncluded() throws Exception {
        restartKeeps(2, JedisStreamsTest::groupsWork, JedisStreamsTest::moreWork);
    }

    @Test
    void xinfoConsumersReportsIdleAndInactive() {
        try (Jedis j = connect(kv)) {
            x(j, "XADD", "ic", "1-1", "f", "v");
            x(j, "XGROUP", "CREATE", "ic", "g", "0");
            x(j, "XGROUP", "CREATECONSUMER", "ic", "g", "idle");
            x(j, "XREADGROUP", "GROUP", "g", "reader", "STREAMS", "ic", ">");
            String consumers = x(j, "XINFO", "CONSUMERS", "ic", "g");
            assertTrue(consumers.matches("\\[\\[name, idle, pending, 0, idle, \\d+, inactive, -1], "
                    + "\\[name, reader, pending, 1, idle, \\d+, inactive, \\d+]]"), consumers);
            x(j, "XADD", "ic", "2-1", "f", "w");
            assertEquals("[[ic, [[2-1, [f, w]]]]]", x(j, "XREAD", "STREAMS", "ic", "+"), "+ reads the last entry (Redis 7.4)");
        }
    }
}
