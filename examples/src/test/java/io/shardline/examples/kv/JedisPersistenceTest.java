package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.sumShardField;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;

/**
 * Restarts on the same data directory, through Jedis: every key of every type comes back with its
 * value, TTLs still hold (never longer than set, not yet run out), keys that expired or were deleted
 * stay gone; from the log alone, and from a snapshot plus the log after it.
 */
@Timeout(120)
class JedisPersistenceTest {
    static final int SHARDS = 4;
    /** TTL of the keys that must have expired by the restart. */
    static final long SHORT_TTL_MILLIS = 300;

    @TempDir
    Path dir;

    /** The servers' wall clock, shared across restarts: the tests move it instead of waiting for TTLs. */
    final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());

    KvServer start(Path dir, String fsync) throws Exception {
        return KvServer.start(KvConfig.inMemory(SHARDS).withDataDir(dir).withFsync(fsync).withClock(now::get));
    }

    /** The TTLs a key was given, in ms, to check against after the restart. */
    record Ttls(Map<String, Long> millis) {
    }

    /**
     * Writes keys of every type on every shard with the write commands of each type (pops, removals
     * and increments included, so replay must redo them exactly), some with TTLs, some short-lived
     * ones that must be gone after the restart; returns the TTLs given.
     */
    static Ttls writeEverything(Jedis j, String p) {
        List<String> strings = JedisSupport.keys(p + "str:", 200, SHARDS);
        Pipeline pipe = j.pipelined();
        for (int i = 0; i < strings.size(); i += 20) {
            List<String> kv = new ArrayList<>();
            for (int k = i; k < i + 20; k++) {
                kv.add(strings.get(k));
                kv.add("value-" + k);
            }
            pipe.mset(kv.toArray(new String[0]));
        }
        pipe.sync();
        j.del(strings.subList(0, 10).toArray(new String[0]));
        j.unlink(strings.subList(10, 15).toArray(new String[0]));
        j.set(strings.get(20), "overwritten");
        j.getSet(strings.get(21), "getset");
        j.setnx(strings.get(22), "ignored");
        j.setnx(p + "setnx", "new");
        for (int i = 0; i < 5; i++) {
            j.incr(p + "counter");
        }
        j.incrBy(p + "counter", 10);
        j.decrBy(p + "counter", 3);
        j.incrByFloat(p + "float", 1.25);
        j.incrByFloat(p + "float", 1.5);
        j.append(p + "append", "hello");
        j.append(p + "append", " world");

        j.rpush(p + "list", "a", "b", "c", "d", "e");
        j.lpop(p + "list");
        j.rpop(p + "list");
        j.lpush(p + "list", "z");
        j.rpush(p + "emptied", "x");
        j.lpop(p + "emptied");

        for (int i = 0; i < 20; i++) {
            j.sadd(p + "set", "m" + i);
        }
        j.srem(p + "set", "m1", "m2");
        j.spop(p + "set"); // a random member: the log must name the one it popped
        j.spop(p + "set", 2);

        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            fields.put("f" + i, "v" + i);
        }
        j.hset(p + "hash", fields);
        j.hdel(p + "hash", "f1");
        j.hset(p + "hash", "f2", "changed");
        j.hincrBy(p + "hash", "count", 7);
        j.hincrBy(p + "hash", "count", -2);

        j.zadd(p + "zset", Map.of("a", 1.0, "b", 2.0, "c", 3.5, "d", -4.25, "e", 1e-3));
        j.zadd(p + "zset", 10, "a");
        j.zrem(p + "zset", "b");
        j.zpopmin(p + "zset");

        Map<String, Long> ttls = new TreeMap<>();
        j.set(p + "ttl:ex", "v", SetParams.setParams().ex(600));
        ttls.put(p + "ttl:ex", 600_000L);
        j.set(p + "ttl:px", "v", SetParams.setParams().px(400_000));
        ttls.put(p + "ttl:px", 400_000L);
        j.setex(p + "ttl:setex", 900, "v");
        ttls.put(p + "ttl:setex", 900_000L);
        j.set(p + "ttl:pexpire", "v");
        j.pexpire(p + "ttl:pexpire", 300_000);
        ttls.put(p + "ttl:pexpire", 300_000L);
        j.rpush(p + "ttl:list", "x", "y");
        j.expire(p + "ttl:list", 500);
        ttls.put(p + "ttl:list", 500_000L);
        j.set(p + "ttl:keepttl", "v1", SetParams.setParams().ex(700));
        j.set(p + "ttl:keepttl", "v2", SetParams.setParams().keepTtl());
        ttls.put(p + "ttl:keepttl", 700_000L);
        j.set(p + "ttl:persisted", "v");
        j.expire(p + "ttl:persisted", 100);
        j.persist(p + "ttl:persisted");
        j.set(p + "ttl:cleared", "v", SetParams.setParams().ex(100));
        j.set(p + "ttl:cleared", "v2"); // a plain SET drops the TTL

        j.set(p + "gone:px", "v", SetParams.setParams().px(SHORT_TTL_MILLIS));
        j.set(p + "gone:pexpire", "v");
        j.pexpire(p + "gone:pexpire", SHORT_TTL_MILLIS);
        j.hset(p + "gone:hash", "f", "v");
        j.pexpire(p + "gone:hash", SHORT_TTL_MILLIS);
        return new Ttls(ttls);
    }

    /** Every key and its value (type-aware), read through Jedis. */
    static Map<String, Object> dump(Jedis j) {
        Map<String, Object> all = new TreeMap<>();
        for (String k : j.keys("*")) {
            String type = j.type(k);
            Object value = switch (type) {
                case "string" -> j.get(k);
                case "list" -> j.lrange(k, 0, -1);
                case "set" -> j.smembers(k);
                case "hash" -> j.hgetAll(k);
                case "zset" -> j.zrangeWithScores(k, 0, -1);
                default -> throw new AssertionError(k + " has type " + type);
            };
            all.put(k, type + ":" + value);
        }
        return all;
    }

    /** The two dumps are equal; if not, says which keys differ and how. */
    static void assertSameData(Map<String, Object> expected, Map<String, Object> actual) {
        Map<String, String> diff = new TreeMap<>();
        for (var e : expected.entrySet()) {
            Object got = actual.get(e.getKey());
            if (!e.getValue().equals(got)) {
                diff.put(e.getKey(), "expected " + e.getValue() + ", got " + got);
            }
        }
        for (var e : actual.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                diff.put(e.getKey(), "unexpected " + e.getValue());
            }
        }
        assertTrue(diff.isEmpty(), () -> diff.size() + " keys differ: " + diff);
    }

    /** Moves the servers' clock past the short TTLs. */
    void outliveShortTtls(long writtenAtMillis) {
        now.set(Math.max(now.get(), writtenAtMillis + SHORT_TTL_MILLIS + 50));
    }

    /** After a restart: the same keys and values, TTLs no longer and not run out, the short-lived keys gone. */
    static void assertRestored(Jedis j, Map<String, Object> before, Ttls ttls, String p) {
        for (String gone : List.of("gone:px", "gone:pexpire", "gone:hash")) {
            assertFalse(j.exists(p + gone), p + gone + " expired before the restart and must stay gone");
        }
        Map<String, Object> expected = new TreeMap<>(before);
        expected.keySet().removeIf(k -> k.startsWith(p + "gone:"));
        assertSameData(expected, dump(j));
        assertEquals(expected.size(), j.dbSize());
        for (var e : ttls.millis().entrySet()) {
            long pttl = j.pttl(e.getKey());
            assertTrue(pttl > 0 && pttl <= e.getValue(), e.getKey() + " PTTL " + pttl + " after restart, set to " + e.getValue());
        }
        assertEquals(-1, j.ttl(p + "ttl:persisted"));
        assertEquals(-1, j.ttl(p + "ttl:cleared"));
        assertEquals(-1, j.ttl(p + "counter"));
        assertFalse(j.exists(p + "emptied"));
        assertEquals("12", j.get(p + "counter"));
        assertEquals("2.75", j.get(p + "float"));
        assertEquals("hello world", j.get(p + "append"));
        assertEquals(List.of("z", "b", "c", "d"), j.lrange(p + "list", 0, -1));
        assertEquals(15, j.scard(p + "set"));
        assertEquals("changed", j.hget(p + "hash", "f2"));
        assertNull(j.hget(p + "hash", "f1"));
        assertEquals("5", j.hget(p + "hash", "count"));
        assertEquals(List.of("e", "c", "a"), j.zrange(p + "zset", 0, -1));
        assertEquals(10.0, j.zscore(p + "zset", "a"));
        assertEquals("v2", j.get(p + "ttl:keepttl"));
    }

    @ParameterizedTest(name = "fsync {0}")
    @ValueSource(strings = {"always", "everysec", "no"})
    void everyTypeAndTtlSurviveARestartFromTheLog(String fsync) throws Exception {
        Map<String, Object> before;
        Ttls ttls;
        long writtenAt;
        byte[] binKey = {'b', 0, '\r', '\n', 1};
        byte[] binValue = new byte[100_000];
        for (int i = 0; i < binValue.length; i++) {
            binValue[i] = (byte) (i % 251);
        }
        try (KvServer server = start(dir, fsync); Jedis j = connect(server)) {
            ttls = writeEverything(j, "");
            writtenAt = now.get();
            before = dump(j);
            j.set(binKey, binValue); // checked on its own: KEYS' text form of it is lossy
            assertTrue(before.size() > 190, "written: " + before.size());
        }
        outliveShortTtls(writtenAt);
        try (KvServer server = start(dir, fsync); Jedis j = connect(server)) {
            assertArrayEquals(binValue, j.get(binKey), "a binary key and 100 KB value");
            j.del(binKey);
            assertRestored(j, before, ttls, "");
            long replayed = sumShardField(j.info("shards"), "replayed");
            assertTrue(replayed > 0, "the log was replayed");
            assertEquals("fsync " + fsync, "fsync " + j.configGet("appendfsync").get("appendfsync"));

            // The restarted server logs on: more writes, another restart.
            j.set("after-restart", "yes");
            j.del("str:100");
            before = dump(j);
            j.set(binKey, binValue);
            assertEquals(Map.of("appendonly", "yes"), j.configGet("appendonly"));
        }
        try (KvServer server = start(dir, fsync); Jedis j = connect(server)) {
            assertEquals("yes", j.get("after-restart"));
            assertFalse(j.exists("str:100"));
            assertArrayEquals(binValue, j.get(binKey));
            j.del(binKey);
            assertSameData(before, dump(j));
        }
    }

    @ParameterizedTest(name = "fsync {0}")
    @ValueSource(strings = {"always", "everysec"})
    void aSnapshotThenMoreWritesSurviveARestart(String fsync) throws Exception {
        Map<String, Object> before;
        Ttls ttls;
        long writtenAt;
        int bulk = 1000;
        try (KvServer server = start(dir, fsync); Jedis j = connect(server)) {
            ttls = writeEverything(j, "");
            Pipeline p = j.pipelined();
            for (int i = 0; i < bulk; i++) {
                p.set("bulk:" + i, "b" + i);
            }
            p.sync();
            server.compactAll();
            assertEquals(SHARDS, sumShardField(j.info("shards"), "snapshots"), "one snapshot per shard");

            // After the snapshot: overwrite, delete, change TTLs and collections it holds, add keys.
            j.set("bulk:0", "changed-after-snapshot");
            j.del("bulk:1", "bulk:2", "bulk:3");
            j.expire("bulk:4", 800);
            j.persist("ttl:ex");
            ttls.millis().remove("ttl:ex");
            j.rpush("list", "after");
            j.srem("set", "m0");
            j.hset("hash", "f3", "after");
            j.zadd("zset", 0.5, "new");
            j.incr("counter");
            j.set("new-after-snapshot", "n");
            j.set("gone:late", "v", SetParams.setParams().px(SHORT_TTL_MILLIS));
            writtenAt = now.get(); // after every short-lived key was written
            before = dump(j);
        }
        outliveShortTtls(writtenAt);
        try (KvServer server = start(dir, fsync); Jedis j = connect(server)) {
            // Expired by now: gone:late from the log, the other gone:* keys from the snapshot.
            before.keySet().removeIf(k -> k.startsWith("gone:"));
            for (String gone : List.of("gone:late", "gone:px", "gone:pexpire", "gone:hash")) {
                assertFalse(j.exists(gone), gone + " expired before the restart");
            }
            assertSameData(before, dump(j));
            assertEquals("changed-after-snapshot", j.get("bulk:0"));
            assertFalse(j.exists("bulk:1"));
            long ttl = j.ttl("bulk:4");
            assertTrue(ttl > 0 && ttl <= 800, "TTL set after the snapshot: " + ttl);
            assertEquals(-1, j.ttl("ttl:ex"), "PERSIST after the snapshot");
            for (var e : ttls.millis().entrySet()) {
                long pttl = j.pttl(e.getKey());
                assertTrue(pttl > 0 && pttl <= e.getValue(), e.getKey() + " PTTL " + pttl + " from the snapshot");
            }
            assertEquals("13", j.get("counter"));
            assertEquals(List.of("z", "b", "c", "d", "after"), j.lrange("list", 0, -1));
            long replayed = sumShardField(j.info("shards"), "replayed");
            assertTrue(replayed > 0 && replayed < 50, "only the writes after the snapshot are replayed, not the "
                    + bulk + " before it: " + replayed);

            // Snapshot the restored key space, write more, restart once more.
            server.compactAll();
            j.set("bulk:5", "after-second-snapshot");
            j.del("bulk:6");
            before = dump(j);
        }
        try (KvServer server = start(dir, fsync); Jedis j = connect(server)) {
            assertSameData(before, dump(j));
            assertEquals("after-second-snapshot", j.get("bulk:5"));
        }
    }

    @Test
    void flushallIsPersisted() throws Exception {
        try (KvServer server = start(dir, "everysec"); Jedis j = connect(server)) {
            for (String k : JedisSupport.keys("old:", 50, SHARDS)) {
                j.set(k, "v");
            }
            j.flushAll();
            j.set("new", "v");
            j.rpush("new-list", "a");
        }
        try (KvServer server = start(dir, "everysec"); Jedis j = connect(server)) {
            assertEquals(2, j.dbSize());
            assertEquals("v", j.get("new"));
            assertEquals(List.of("a"), j.lrange("new-list", 0, -1));
            assertTrue(j.keys("old:*").isEmpty());
        }
    }

    KvServer startWith(int shards) throws Exception {
        return KvServer.start(KvConfig.inMemory(shards).withDataDir(dir).withFsync("always").withClock(now::get));
    }

    /** Every key, its type's contents as one comparable text, and its PTTL, as a map from key. */
    static Map<String, String> contents(Jedis j) {
        Map<String, String> all = new TreeMap<>();
        for (String k : j.keys("*")) {
            String value = switch (j.type(k)) {
                case "string" -> j.get(k);
                case "list" -> j.lrange(k, 0, -1).toString();
                case "set" -> new java.util.TreeSet<>(j.smembers(k)).toString();
                case "hash" -> new TreeMap<>(j.hgetAll(k)).toString();
                case "zset" -> j.zrangeWithScores(k, 0, -1).toString();
                default -> throw new AssertionError(k + " has type " + j.type(k));
            };
            all.put(k, j.type(k) + " " + value + " pttl=" + j.pttl(k));
        }
        return all;
    }

    /** The shard directories a data directory holds, and whether anything else (a half-done move) is left. */
    private List<String> layout() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void restartingWithAnotherShardCountPlacesTheSlotsAgainAndKeepsEveryKey() throws Exception {
        Map<String, String> written;
        try (KvServer server = startWith(3); Jedis j = connect(server)) {
            writeEverything(j, "a:");
            server.compactAll(); // some keys from snapshots, the rest from the log after them
            writeEverything(j, "b:");
            j.set("{user1}.name", "ann");
            j.rpush("{user1}.visits", "1", "2");
            j.pexpire("{user1}.name", 600_000);
            written = contents(j);
            assertTrue(written.values().stream().anyMatch(v -> !v.endsWith("pttl=-1")), "some keys have TTLs");
        }
        assertEquals(List.of("kv.meta", "shard-0", "shard-1", "shard-2"), layout());
        for (int shards : new int[] {2, 5, 3}) {
            try (KvServer server = startWith(shards); Jedis j = connect(server)) {
                assertEquals(written, contents(j), "after a restart on " + shards + " shards");
                // Every key answers on the shard its slot now maps to: reads by key, not only KEYS.
                assertEquals("ann", j.get("{user1}.name"));
                assertEquals(2, j.llen("{user1}.visits"));
                assertEquals(java.util.Arrays.asList("ann", null), j.mget("{user1}.name", "a:nosuch"));
                assertEquals(written.size(), j.dbSize());
                j.set("after:" + shards, "v"); // the next layout must carry writes made on this one
                written.put("after:" + shards, "string v pttl=-1");
            }
            List<String> expected = new ArrayList<>(List.of("kv.meta"));
            for (int i = 0; i < shards; i++) {
                expected.add("shard-" + i);
            }
            assertEquals(expected, layout(), "no old shard or half-done move is left");
            assertEquals("placement=slots\nshards=" + shards + "\n",
                    java.nio.file.Files.readString(dir.resolve("kv.meta")));
        }
    }

    @Test
    void aMoveThatNeverCommittedIsDroppedAndTheOldDataKept() throws Exception {
        try (KvServer server = startWith(3); Jedis j = connect(server)) {
            j.set("k", "v");
            j.pexpire("k", 600_000);
        }
        // What a crash while building the new layout leaves: a partial resharding directory.
        java.nio.file.Files.createDirectories(dir.resolve("resharding").resolve("shard-0"));
        java.nio.file.Files.writeString(dir.resolve("resharding").resolve("shard-0").resolve("junk"), "x");
        try (KvServer server = startWith(3); Jedis j = connect(server)) {
            assertEquals("v", j.get("k"));
            assertEquals(600_000, j.pttl("k"));
        }
        assertEquals(List.of("kv.meta", "shard-0", "shard-1", "shard-2"), layout());
    }

    @Test
    void aMoveThatCommittedIsFinishedByTheNextStart() throws Exception {
        try (KvServer server = startWith(2); Jedis j = connect(server)) {
            for (int i = 0; i < 100; i++) {
                j.psetex("k" + i, 600_000 + i, "v" + i);
            }
        }
        // What a crash right after the commit point leaves: the new layout in resharded/, the old one
        // (here a third shard and its meta file) still in place.
        java.nio.file.Path committed = java.nio.file.Files.createDirectories(dir.resolve("resharded"));
        for (String shard : List.of("shard-0", "shard-1")) {
            java.nio.file.Files.move(dir.resolve(shard), committed.resolve(shard));
            java.nio.file.Files.createDirectories(dir.resolve(shard).resolve("stale"));
        }
        java.nio.file.Files.move(dir.resolve("kv.meta"), committed.resolve("kv.meta"));
        java.nio.file.Files.createDirectories(dir.resolve("shard-2").resolve("log"));
        java.nio.file.Files.writeString(dir.resolve("kv.meta"), "placement=slots\nshards=3\n");
        try (KvServer server = startWith(2); Jedis j = connect(server)) {
            assertEquals(100, j.dbSize());
            for (int i = 0; i < 100; i++) {
                assertEquals("v" + i, j.get("k" + i));
                assertEquals(600_000 + i, j.pttl("k" + i));
            }
        }
        assertEquals(List.of("kv.meta", "shard-0", "shard-1"), layout());
        assertFalse(java.nio.file.Files.exists(dir.resolve("shard-0").resolve("stale")), "the old shard directory went");
    }

    @Test
    void dataPlacedTheOldWayIsPlacedBySlotOnItsFirstStart() throws Exception {
        try (KvServer server = startWith(2); Jedis j = connect(server)) {
            for (int i = 0; i < 100; i++) {
                j.set("k" + i, "v" + i);
            }
        }
        // A meta file as servers placing by CRC32C wrote it: the keys are loaded from every shard and placed again.
        java.nio.file.Files.writeString(dir.resolve("kv.meta"), "shards=2\n");
        try (KvServer server = startWith(2); Jedis j = connect(server)) {
            for (int i = 0; i < 100; i++) {
                assertEquals("v" + i, j.get("k" + i));
            }
        }
        assertEquals("placement=slots\nshards=2\n", java.nio.file.Files.readString(dir.resolve("kv.meta")));
    }

    @Test
    void aMetaFileThatIsNotOursRefusesToStart() throws Exception {
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve("kv.meta"), "shards=many\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> startWith(2).close());
        assertTrue(e.getMessage().contains("kv.meta"), e.getMessage());
    }
}
