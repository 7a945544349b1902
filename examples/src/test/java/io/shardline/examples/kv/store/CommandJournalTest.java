package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What each write logs, and that replaying a journal rebuilds the same keyspace. */
class CommandJournalTest {
    private static final long T = TestShard.START;

    private final TestShard shard = new TestShard();

    private List<String> logged(String... args) {
        shard.journal.clear();
        shard.call(args);
        return shard.journalText();
    }

    @Test
    void setFamilyLogsPlainSets() {
        assertEquals(List.of("SET k v PXAT " + (T + 10_000)), logged("SET", "k", "v", "EX", "10"));
        assertEquals(List.of("SET k v PXAT " + (T + 250)), logged("set", "k", "v", "px", "250"));
        assertEquals(List.of("SET k w KEEPTTL"), logged("SET", "k", "w", "KEEPTTL"));
        assertEquals(List.of("SET k x"), logged("SET", "k", "x", "XX", "GET"));
        assertEquals(List.of(), logged("SET", "k", "y", "NX"));
        assertEquals(List.of(), logged("SET", "k", "y", "EX", "0"));
        assertEquals(List.of(), logged("SETNX", "k", "z"));
        assertEquals(List.of("SET n z"), logged("SETNX", "n", "z"));
        assertEquals(List.of("SET k v PXAT " + (T + 5_000)), logged("SETEX", "k", "5", "v"));
        assertEquals(List.of("SET k v PXAT " + (T + 5)), logged("PSETEX", "k", "5", "v"));
        assertEquals(List.of("SET k g"), logged("GETSET", "k", "g"));
        assertEquals(List.of("SET f 10.6 KEEPTTL"), logged("INCRBYFLOAT", "f", "10.6"));
        assertEquals(List.of("INCRBY i 5"), logged("INCRBY", "i", "5"));
        assertEquals(List.of(), logged("INCRBY", "k", "5"), "a failed write logs nothing");
        assertEquals(List.of("MSET a 1 b 2"), logged("MSET", "a", "1", "b", "2"));
        assertEquals(List.of("APPEND a x"), logged("APPEND", "a", "x"));
    }

    @Test
    void expiriesLogAbsoluteTimesOrDeletes() {
        shard.call("SET", "k", "v");
        assertEquals(List.of("PEXPIREAT k " + (T + 10_000)), logged("EXPIRE", "k", "10"));
        assertEquals(List.of("PEXPIREAT k " + (T + 20)), logged("PEXPIRE", "k", "20"));
        assertEquals(List.of("PEXPIREAT k " + (T + 30_000)), logged("EXPIREAT", "k", Long.toString(T / 1000 + 30)));
        assertEquals(List.of(), logged("EXPIRE", "k", "10", "NX"));
        assertEquals(List.of("PERSIST k"), logged("PERSIST", "k"));
        assertEquals(List.of(), logged("PERSIST", "k"));
        assertEquals(List.of("DEL k"), logged("EXPIRE", "k", "-1"));
        assertEquals(List.of(), logged("EXPIRE", "k", "10"));
        shard.call("SET", "a", "1");
        assertEquals(List.of("DEL a"), logged("DEL", "a", "nokey"));
        assertEquals(List.of(), logged("DEL", "a"));
    }

    @Test
    void randomAndCountedPopsLogWhatTheyTook() {
        shard.call("SADD", "s", "only");
        assertEquals(List.of("SREM s only"), logged("SPOP", "s"));
        shard.call("SADD", "s", "a", "b", "c");
        List<String> two = logged("SPOP", "s", "2");
        assertEquals(1, two.size());
        assertTrue(two.get(0).matches("SREM s [abc] [abc]"), two.get(0));
        assertEquals(List.of("DEL s"), logged("SPOP", "s", "5"));
        assertEquals(List.of(), logged("SPOP", "s", "5"));
        shard.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        assertEquals(List.of("ZREM z a b"), logged("ZPOPMIN", "z", "2"));
        assertEquals(List.of("ZREM z c"), logged("ZPOPMIN", "z"));
        assertEquals(List.of(), logged("ZPOPMIN", "z"));
        shard.call("RPUSH", "l", "1", "2", "3");
        assertEquals(List.of("LPOP l 2"), logged("LPOP", "l", "2"));
        assertEquals(List.of("RPOP l 1"), logged("RPOP", "l", "10"));
        assertEquals(List.of(), logged("LPOP", "l", "10"));
    }

    @Test
    void collectionWritesLogOnlyChanges() {
        assertEquals(List.of("SADD s a"), logged("SADD", "s", "a"));
        assertEquals(List.of(), logged("SADD", "s", "a"));
        assertEquals(List.of(), logged("SREM", "s", "x"));
        assertEquals(List.of("ZADD z 1 m"), logged("ZADD", "z", "1", "m"));
        assertEquals(List.of(), logged("ZADD", "z", "1", "m"));
        assertEquals(List.of("ZADD z INCR 2 m"), logged("ZADD", "z", "INCR", "2", "m"));
        assertEquals(List.of(), logged("ZREM", "z", "x"));
        assertEquals(List.of("HSET h f v"), logged("HSET", "h", "f", "v"));
        assertEquals(List.of(), logged("HDEL", "h", "x"));
        assertEquals(List.of("LPUSH l a"), logged("LPUSH", "l", "a"));
        assertEquals(List.of(), logged("GET", "l"));
    }

    @Test
    void expirationsAreLoggedAsDeletes() {
        shard.call("SET", "k", "v", "PX", "10");
        shard.call("SET", "j", "v", "PX", "10");
        shard.advance(11);
        assertEquals(List.of("DEL k", "INCR k"), logged("INCR", "k"), "the lazy expiry comes first, in the command's journal");
        shard.journal.clear();
        assertEquals(1, shard.keyspace.activeExpire(10));
        assertEquals(List.of("DEL j"), shard.journalText(), "a sweep reports to the expiry journal");
    }

    /** Runs a random workload, then replays its journal into a fresh keyspace and compares. */
    @Test
    void replayRebuildsTheSameKeyspace() {
        Random random = new Random(42);
        for (int step = 0; step < 20_000; step++) {
            shard.call(randomCommand(random));
            if (random.nextInt(10) == 0) {
                shard.advance(random.nextInt(300));
            }
            if (random.nextInt(50) == 0) {
                shard.keyspace.activeExpire(random.nextInt(5));
            }
        }
        List<String> log = shard.journalText();
        for (String form : new String[] {"DEL ", "PEXPIREAT ", "SREM ", "ZREM ", "SET "}) {
            assertTrue(log.stream().anyMatch(l -> l.startsWith(form)), "the workload logs " + form);
        }
        assertTrue(log.stream().anyMatch(l -> l.endsWith(" KEEPTTL")));
        TestShard replica = new TestShard();
        replica.clock.now = shard.clock.now;
        for (byte[][] argv : shard.journal) {
            assertTrue(replica.replay(argv), TestShard.text(argv));
        }
        assertEquals(Dump.of(shard.keyspace, false), Dump.of(replica.keyspace, false));
        assertEquals(shard.keyspace.expiresCount(), replica.keyspace.expiresCount());
        assertTrue(shard.keyspace.size() > 5, "the workload leaves data to compare: " + shard.keyspace.size());
    }

    /** A command over a few keys of each type, with options and some invalid arguments. */
    static String[] randomCommand(Random r) {
        String k = "k" + r.nextInt(30);
        String v = Integer.toString(r.nextInt(20));
        String m = "m" + r.nextInt(8);
        String ttl = Integer.toString(r.nextInt(2000) - 100);
        return switch (r.nextInt(38)) {
            case 0 -> new String[] {"SET", k, v};
            case 1 -> new String[] {"SET", k, v, "PX", Integer.toString(1 + r.nextInt(2000))};
            case 2 -> new String[] {"SET", k, v, r.nextBoolean() ? "NX" : "XX", "GET"};
            case 3 -> new String[] {"SET", k, v, "KEEPTTL"};
            case 4 -> new String[] {"SETNX", k, v};
            case 5 -> new String[] {"SETEX", k, "1", v};
            case 6 -> new String[] {"GETSET", k, v};
            case 7 -> new String[] {"APPEND", k, v};
            case 8 -> new String[] {"INCR", k};
            case 9 -> new String[] {"INCRBYFLOAT", k, r.nextBoolean() ? "0.1" : "-2.5e-1"};
            case 10 -> new String[] {"DEL", k, "k" + r.nextInt(30)};
            case 11 -> new String[] {"PEXPIRE", k, ttl};
            case 12 -> new String[] {"EXPIRE", k, "1", r.nextBoolean() ? "GT" : "LT"};
            case 13 -> new String[] {"PERSIST", k};
            case 14 -> new String[] {"LPUSH", k, v, m};
            case 15 -> new String[] {"RPUSH", k, v};
            case 16 -> new String[] {"LPOP", k};
            case 17 -> new String[] {"RPOP", k, Integer.toString(r.nextInt(4))};
            case 18 -> new String[] {"SADD", k, m, "m" + r.nextInt(8)};
            case 19 -> new String[] {"SREM", k, m};
            case 20 -> new String[] {"SPOP", k};
            case 21 -> new String[] {"SPOP", k, Integer.toString(r.nextInt(4))};
            case 22 -> new String[] {"HSET", k, m, v};
            case 23 -> new String[] {"HDEL", k, m};
            case 24 -> new String[] {"HINCRBY", k, m, v};
            case 25 -> new String[] {"ZADD", k, v, m};
            case 26 -> new String[] {"ZADD", k, "INCR", "0.5", m};
            case 27 -> new String[] {"ZADD", k, r.nextBoolean() ? "GT" : "LT", "CH", v, m};
            case 28 -> new String[] {"ZREM", k, m};
            case 29 -> new String[] {"ZPOPMIN", k, Integer.toString(r.nextInt(3))};
            case 30 -> new String[] {"ZPOPMIN", k};
            case 31 -> new String[] {"GET", k};
            case 32 -> new String[] {"EXPIREAT", k, Long.toString((T + r.nextInt(100_000)) / 1000)};
            case 33 -> new String[] {"MSET", k, v, "k" + r.nextInt(30), v};
            case 34 -> new String[] {"UNLINK", k};
            case 35 -> new String[] {"DECRBY", k, v};
            case 36 -> new String[] {"PSETEX", k, Integer.toString(1 + r.nextInt(500)), v};
            default -> new String[] {"ZRANGE", k, "0", "-1"};
        };
    }

    @Test
    void replayIgnoresTheClock() {
        shard.call("SET", "k", "v", "PX", "100");
        shard.call("RPUSH", "l", "a");
        shard.call("PEXPIRE", "l", "50");
        List<byte[][]> log = new ArrayList<>(shard.journal);
        TestShard late = new TestShard();
        late.clock.now = T + 1_000_000; // every TTL in the log is long past
        for (byte[][] argv : log) {
            late.replay(argv);
        }
        assertEquals(Dump.of(shard.keyspace, false), Dump.of(late.keyspace, false),
                "while loading nothing expires; the journal's own DELs do that");
        assertEquals(2, late.keyspace.activeExpire(100), "after loading, the old TTLs apply");
    }
}
