package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Future;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.store.Keyspace;
import io.shardline.shard.Shard;
import io.shardline.shard.ShardRuntime;
import io.shardline.storage.Durability;
import io.shardline.storage.LogConfig;
import io.shardline.storage.SegmentedLog;
import io.shardline.storage.SnapshotStore;
import io.shardline.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Restarts keep every numbered database: keys in dbs 0, 3 and 15 on every shard, after a SWAPDB, a MOVE,
 * a COPY ... DB and a FLUSHDB, come back in their dbs from the log alone, from a snapshot plus the log
 * after it, and after the keys are placed again over another shard count. A data directory written
 * before there were databases (log records with no SELECT, the single-keyspace snapshot) loads as db 0.
 */
@Timeout(120)
class JedisDatabasesPersistenceTest {
    static final int SHARDS = 4;

    @TempDir
    Path dir;

    /** The servers' wall clock, shared across restarts, so PTTLs compare exactly. */
    final AtomicLong now = new AtomicLong(System.currentTimeMillis());

    KvServer start(int shards) throws Exception {
        return KvServer.start(KvConfig.inMemory(shards).withDataDir(dir).withFsync("always").withClock(now::get));
    }

    /** Each db's keys with their contents and PTTLs (dbs without keys left out). */
    static Map<Integer, Map<String, String>> everyDb(Jedis j) {
        Map<Integer, Map<String, String>> all = new TreeMap<>();
        for (int db = 0; db < KvConfig.DEFAULT_DATABASES; db++) {
            j.select(db);
            Map<String, String> keys = JedisPersistenceTest.contents(j);
            if (!keys.isEmpty()) {
                all.put(db, keys);
            }
        }
        j.select(0);
        return all;
    }

    /** Data in dbs 0, 3, 4, 7 and 15 on every shard, then SWAPDB 3 4, MOVEs, a COPY ... DB and FLUSHDB 7. */
    static void writeAcrossDatabases(Jedis j, String p) {
        for (String k : JedisSupport.keys(p + "zero:", 20, SHARDS)) {
            j.set(k, "0:" + k);
        }
        j.rpush(p + "list", "a", "b", "c");
        j.pexpire(p + "list", 600_000);
        j.select(3);
        for (String k : JedisSupport.keys(p + "three:", 20, SHARDS)) {
            j.set(k, "3:" + k);
        }
        j.hset(p + "hash", Map.of("f", "v", "g", "w"));
        j.select(4);
        j.sadd(p + "four", "x");
        j.select(7);
        for (String k : JedisSupport.keys(p + "seven:", 10, SHARDS)) {
            j.set(k, "7:" + k);
        }
        j.select(15);
        j.zadd(p + "zset", Map.of("a", 1.0, "b", 2.5));
        j.set(p + "zero:0", "15 has its own zero:0");
        assertEquals("OK", j.swapDB(3, 4)); // db 4 now holds what 3 held, db 3 the set
        j.select(0);
        for (String k : JedisSupport.keys(p + "zero:", 20, SHARDS).subList(0, 6)) {
            assertEquals(1, j.move(k, 15) + (k.equals(p + "zero:0") ? 1 : 0), k); // zero:0 exists in 15: stays
        }
        assertEquals(1L, j.sendCommand(Protocol.Command.COPY, p + "list", p + "list-copy", "DB", "3"));
        j.select(7);
        assertEquals("OK", j.flushDB());
        j.set(p + "seven-after-flush", "v");
        j.select(0);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyDatabaseSurvivesARestart(boolean snapshotInBetween) throws Exception {
        Map<Integer, Map<String, String>> before;
        try (KvServer server = start(SHARDS); Jedis j = connect(server)) {
            writeAcrossDatabases(j, "p:");
            if (snapshotInBetween) {
                j.select(4);
                server.compactAll(); // the snapshot holds every db; the log after it must name its dbs again
                j.set("p:after-snapshot-in-4", "v"); // the connection never SELECTs again: the log must
                j.select(0);
                j.set("p:after-snapshot-in-0", "v");
                assertEquals("OK", j.swapDB(0, 15));
                assertEquals("OK", j.swapDB(0, 15));
            }
            before = everyDb(j);
            assertEquals(snapshotInBetween ? List.of(0, 3, 4, 7, 15) : List.of(0, 3, 4, 7, 15), List.copyOf(before.keySet()));
            assertEquals(Map.of("p:seven-after-flush", "string v pttl=-1"), before.get(7));
            assertTrue(before.get(15).containsKey("p:zero:1"), "moved to 15");
            assertFalse(before.get(0).containsKey("p:zero:1"), "moved out of 0");
            assertEquals("string 15 has its own zero:0 pttl=-1", before.get(15).get("p:zero:0"));
            assertTrue(before.get(4).containsKey("p:hash"), "swapped into 4");
            assertTrue(before.get(3).containsKey("p:four") && before.get(3).containsKey("p:list-copy"));
        }
        try (KvServer server = start(SHARDS); Jedis j = connect(server)) {
            assertEquals(before, everyDb(j));
            if (snapshotInBetween) {
                j.select(4);
                assertEquals("v", j.get("p:after-snapshot-in-4"));
            }
        }
    }

    @Test
    void flushallOfEveryDatabaseIsReplayed() throws Exception {
        try (KvServer server = start(SHARDS); Jedis j = connect(server)) {
            writeAcrossDatabases(j, "f:");
            assertEquals("OK", j.flushAll());
            j.select(9);
            j.set("nine", "v");
        }
        try (KvServer server = start(SHARDS); Jedis j = connect(server)) {
            assertEquals(Map.of(9, Map.of("nine", "string v pttl=-1")), everyDb(j));
        }
    }

    @Test
    void placingTheKeysOverAnotherShardCountKeepsTheirDatabases() throws Exception {
        Map<Integer, Map<String, String>> before;
        try (KvServer server = start(SHARDS); Jedis j = connect(server)) {
            writeAcrossDatabases(j, "r:");
            server.compactAll(); // some keys from snapshots, the rest from the log after them
            j.select(15);
            j.set("r:late", "v");
            before = everyDb(j);
        }
        try (KvServer server = start(2); Jedis j = connect(server)) {
            assertEquals(before, everyDb(j), "4 shards to 2");
        }
        try (KvServer server = start(3); Jedis j = connect(server)) {
            assertEquals(before, everyDb(j), "2 shards to 3");
        }
    }

    /**
     * A data directory as the server wrote it before there were databases: a single-keyspace snapshot,
     * then log records with no SELECT (one a FLUSHALL). Everything loads into db 0.
     */
    @Test
    void dataWrittenBeforeDatabasesLoadsAsDbZero() throws Exception {
        Files.writeString(dir.resolve(DataDirectory.META), "placement=slots\nshards=1\n");
        Path shard = dir.resolve("shard-0");
        try (ShardRuntime runtime = ShardRuntime.builder().shards(1).pin(false).start()) {
            runtime.submitAsync(0, () -> writeOldShard(shard)).get(60, TimeUnit.SECONDS);
        }
        try (KvServer server = start(1); Jedis j = connect(server)) {
            assertEquals(Map.of(0, Map.of("after", "string logged pttl=-1", "list", "list [x, y] pttl=-1")), everyDb(j));
            assertNull(j.get("snap"), "the FLUSHALL in the old log was replayed");
            j.select(2);
            j.set("two", "v"); // new records after the old ones: a SELECT first
        }
        try (KvServer server = start(1); Jedis j = connect(server)) {
            Map<Integer, Map<String, String>> all = everyDb(j);
            assertEquals(Map.of("two", "string v pttl=-1"), all.get(2));
            assertEquals(2, all.get(0).size());
        }
    }

    /** On the shard's thread: the snapshot (key "snap") and log ("SET before", FLUSHALL, "SET after", RPUSH) of old. */
    private Future<Void> writeOldShard(Path shard) {
        io.shardline.core.Loop loop = Shard.current().loop();
        SnapshotStore snapshots = new SnapshotStore(shard.resolve("snapshots"), Storage.fileIo(loop));
        LogConfig config = LogConfig.builder(shard.resolve("log")).durability(Durability.always())
                .maxRecordBytes(1 << 20).segmentBytes(64 << 20).maxQueuedBytes(Long.MAX_VALUE).build();
        Keyspace old = new Keyspace(now::get);
        old.setString(bytes("snap"), bytes("from the snapshot"));
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(data)) {
            old.writeSnapshot(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return SegmentedLog.open(config).flatMap(log -> snapshots.save(log.nextOffset() - 1, ByteBuffer.wrap(data.toByteArray()))
                .flatMap(v -> {
                    log.append(ArgvCodec.encode(argv("SET", "before", "v")));
                    log.append(ArgvCodec.encode(argv("FLUSHALL")));
                    log.append(ArgvCodec.encode(argv("SET", "after", "logged")));
                    return log.append(ArgvCodec.encode(argv("RPUSH", "list", "x", "y")));
                })
                .flatMap(offset -> log.close()));
    }

    private static Argv argv(String... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = bytes(args[i]);
        }
        return Argv.of(b);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
