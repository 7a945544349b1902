package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * DUMP, RESTORE and SORT against a real redis-server, on a 3-shard server with keys spread over the
 * shards (so SORT's BY, GET and STORE keys are gathered from other shards).
 *
 * <p>Payloads go both ways. Redis' DUMPs of every encoding it writes (integer, raw and LZF strings;
 * quicklists of plain, packed and compressed nodes; intsets, listpacks, hashtables, skiplists) are
 * restored here and read back. Ours are checked (version 11, CRC-64) and restored into redis-server;
 * where that server is older than 7.2 it refuses version 11 by design, so the test rewrites the
 * version to 10 and recomputes the CRC, which is sound because our payloads use only object types
 * Redis 7.0 reads too. Runs where redis-server is installed.
 */
class RedisDumpSortDifferentialTest {
    private static final int SORTS = 3000;
    @RegisterExtension
    static final RedisPair.Fixture fixture = new RedisPair.Fixture("--list-compress-depth", "1", "--list-max-listpack-size", "8");

    private static Jedis redis() {
        return new Jedis("127.0.0.1", fixture.pair().redisPort, 10_000);
    }

    private static Jedis kv() {
        return new Jedis("127.0.0.1", fixture.pair().kv.port(), 10_000);
    }

    /** Values of every type and the encodings Redis picks for them (with small list nodes, compressed inside). */
    private static void fill(Jedis j) {
        j.flushAll();
        j.set("s:int", "12345");
        j.set("s:neg", "-70000");
        j.set("s:big", "123456789012345");
        j.set("s:raw", "hello");
        j.set("s:lzf", "a".repeat(200) + "b".repeat(50));
        j.set(bytes("s:bin"), new byte[] {0, (byte) 0xFF, 13, 10, 1});
        j.pfadd("s:hll", "a", "b", "c"); // a sparse HyperLogLog: a string in Redis' HLL bytes
        String[] hll = new String[3000];
        for (int i = 0; i < hll.length; i++) {
            hll[i] = "h" + i;
        }
        j.pfadd("s:dense", hll);
        j.rpush("l:small", "a", "1", "-5", "300", "x".repeat(70));
        String[] many = new String[500];
        for (int i = 0; i < many.length; i++) {
            many[i] = ("e" + i).repeat(1 + i % 5);
        }
        j.rpush("l:nodes", many);
        j.rpush("l:plain", "z".repeat(20000), "y");
        j.sadd("set:int", "1", "2", "3", "-100000", "5000000000");
        String[] members = new String[300];
        for (int i = 0; i < members.length; i++) {
            members[i] = "m" + i;
        }
        j.sadd("set:big", members);
        j.sadd("set:small", "a", "b", "c");
        j.hset("h:small", Map.of("f1", "v1", "f2", "123"));
        Map<String, String> big = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            big.put("f" + i, "v".repeat(i));
        }
        j.hset("h:big", big);
        j.zadd("z:small", Map.of("a", 1.0, "b", 2.5, "c", Double.NEGATIVE_INFINITY, "d", 1e300, "e", -0.125));
        Map<String, Double> zbig = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            zbig.put("m" + i, i * 0.5 - 7);
        }
        j.zadd("z:big", zbig);
    }

    /** The value of {@code key} in a form both servers must agree on; scores compared as doubles. */
    private static Object read(Jedis j, String key) {
        String type = j.type(key);
        return switch (type) {
            case "string" -> type + Arrays.toString(j.get(bytes(key)));
            case "list" -> type + j.lrange(key, 0, -1);
            case "set" -> type + new java.util.TreeSet<>(j.smembers(key));
            case "hash" -> type + new TreeMap<>(j.hgetAll(key));
            case "zset" -> type + j.zrangeWithScores(key, 0, -1); // scores as doubles: 7.0 and 7.2 spell them apart
            default -> type;
        };
    }

    private static final String[] KEYS = {"s:int", "s:neg", "s:big", "s:raw", "s:lzf", "s:bin", "s:hll", "s:dense", "l:small", "l:nodes",
        "l:plain", "set:int", "set:big", "set:small", "h:small", "h:big", "z:small", "z:big"};

    @Test
    void redisDumpsOfEveryEncodingRestoreHere() {
        try (Jedis r = redis(); Jedis k = kv()) {
            fill(r);
            k.flushAll();
            for (String key : KEYS) {
                byte[] payload = r.dump(key);
                assertEquals("OK", k.restore(key, 0, payload), key);
                assertEquals(read(r, key), read(k, key), key + " (" + r.objectEncoding(key) + ")");
            }
            assertEquals(r.pfcount("s:hll", "s:dense"), k.pfcount("s:hll", "s:dense"), "restored HyperLogLogs count as Redis'");
        }
    }

    @Test
    void ourDumpsRestoreInRedis() {
        try (Jedis r = redis(); Jedis k = kv()) {
            fill(k);
            r.flushAll();
            boolean redisReads11 = redisVersionAtLeast(r, 7, 2);
            for (String key : KEYS) {
                byte[] payload = k.dump(key);
                int version = (payload[payload.length - 10] & 0xFF) | (payload[payload.length - 9] & 0xFF) << 8;
                assertEquals(11, version, key);
                assertEquals(crc64(payload, payload.length - 8), le64(payload, payload.length - 8), key + " CRC");
                assertEquals("OK", r.restore(key, 0, redisReads11 ? payload : withVersion(payload, 10)), key);
                assertEquals(read(k, key), read(r, key), key);
            }
        }
    }

    @Test
    void restoreRepliesAndErrorsMatchRedis() {
        try (Jedis r = redis(); Jedis k = kv()) {
            for (Jedis j : List.of(r, k)) {
                j.flushAll();
                j.rpush("src", "a", "b", "c");
                j.set("busy", "x");
            }
            byte[] good = r.dump("src");
            byte[] badCrc = good.clone();
            badCrc[1] ^= 1;
            byte[] newer = withVersion(good, 12);
            byte[] truncatedBody = withVersion(Arrays.copyOfRange(good, 2, good.length), 10);
            byte[][][] cases = {
                {bytes("new1"), bytes("0"), good},
                {bytes("busy"), bytes("0"), good},
                {bytes("busy"), bytes("-1"), bytes("junk")},
                {bytes("busy"), bytes("0"), good, bytes("REPLACE")},
                {bytes("new2"), bytes("-1"), good},
                {bytes("new2"), bytes("abc"), good},
                {bytes("new2"), bytes("0"), badCrc},
                {bytes("new2"), bytes("0"), newer},
                {bytes("new2"), bytes("0"), bytes("short")},
                {bytes("new2"), bytes("0"), truncatedBody},
                {bytes("new3"), bytes("0"), good, bytes("ABSTTL")},
                {bytes("new4"), bytes("100000"), good, bytes("IDLETIME"), bytes("5")},
                {bytes("new5"), bytes("0"), good, bytes("FREQ"), bytes("300")},
                {bytes("new5"), bytes("0"), good, bytes("IDLETIME"), bytes("-3")},
                {bytes("new5"), bytes("0"), good, bytes("IDLETIME"), bytes("z")},
                {bytes("new5"), bytes("0"), good, bytes("IDLETIME"), bytes("1"), bytes("FREQ"), bytes("1")},
                {bytes("new5"), bytes("0"), good, bytes("FREQ")},
                {bytes("new5"), bytes("0"), good, bytes("NOPE")},
                {bytes("new6"), bytes("1"), good, bytes("ABSTTL")},
                {bytes("busy"), bytes("1"), good, bytes("ABSTTL"), bytes("REPLACE")},
                {bytes("new7"), bytes("0"), good, bytes("replace"), bytes("absttl"), bytes("freq"), bytes("5")},
            };
            for (byte[][] c : cases) {
                String what = new String(c[0], StandardCharsets.ISO_8859_1) + " " + new String(c[1], StandardCharsets.ISO_8859_1)
                        + " +" + (c.length - 3) + " options";
                assertEquals(restoreReply(r, c), restoreReply(k, c), what);
                String key = new String(c[0], StandardCharsets.ISO_8859_1);
                assertEquals(read(r, key), read(k, key), what);
            }
            assertTrue(k.pttl("new4") > 90_000 && k.pttl("new4") <= 100_000);
            for (Jedis j : List.of(r, k)) {
                j.restore("idle", 0, good, redis.clients.jedis.params.RestoreParams.restoreParams().idleTime(5));
                long idle = j.objectIdletime("idle"); // reads of the key above were accesses: a fresh one
                assertTrue(idle >= 5 && idle <= 6, "RESTORE ... IDLETIME 5 gives OBJECT IDLETIME " + idle);
            }
            assertEquals(r.dump("nothing"), k.dump("nothing"));
        }
    }

    private static String restoreReply(Jedis j, byte[][] args) {
        byte[][] all = new byte[args.length][];
        System.arraycopy(args, 0, all, 0, args.length);
        try {
            Object reply = j.sendCommand(Protocol.Command.RESTORE, all);
            return reply instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(reply);
        } catch (JedisDataException e) {
            return "-" + e.getMessage();
        }
    }

    @Test
    void sortAndSortRoMatchRedisByteForByte() throws IOException {
        SplittableRandom rnd = new SplittableRandom(1729);
        try (Socket rs = new Socket("127.0.0.1", fixture.pair().redisPort); Socket ks = new Socket("127.0.0.1", fixture.pair().kv.port())) {
            rs.setSoTimeout(10_000);
            ks.setSoTimeout(10_000);
            var r = new RedisCollectionsDifferentialTest.Peer(rs);
            var k = new RedisCollectionsDifferentialTest.Peer(ks);
            Consumer<String[]> both = args -> {
                try {
                    assertEquals(r.call(args), k.call(args), String.join(" ", args));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            both.accept(new String[] {"FLUSHALL"});
            String[] pool = {"1", "2", "10", "-3", "2.5", "7", "0x10", " 5", "abc", "x", "", "1e2", "inf", "-inf", "0", "-0"};
            List<String> history = new ArrayList<>();
            for (int i = 0; i < SORTS; i++) {
                if (i % 100 == 0) {
                    setup(both, rnd, pool);
                }
                if (i == SORTS / 2) { // the second half in RESP3: GET misses are RESP3 nulls
                    r.call("HELLO", "3");
                    k.call("HELLO", "3");
                }
                String[] cmd = sortCommand(rnd);
                history.add(String.join(" ", cmd));
                String expected = r.call(cmd);
                String actual = k.call(cmd);
                String context = "command " + i + ": " + String.join(" | ", cmd) + "\nlast: "
                        + history.subList(Math.max(0, history.size() - 6), history.size());
                boolean unordered = cmd[1].startsWith("set") && noSort(cmd) && !Arrays.asList(cmd).contains("STORE");
                if (unordered && Arrays.asList(cmd).contains("LIMIT")) {
                    // Which members a LIMIT keeps depends on the set's internal order: only the count is Redis'.
                    assertEquals(RespTree.size(expected), RespTree.size(actual), context + "\n" + expected + "\n" + actual);
                } else if (unordered) {
                    assertEquals(RespTree.sortTop(expected), RespTree.sortTop(actual), context);
                } else {
                    assertEquals(expected, actual, context);
                }
                int store = Arrays.asList(cmd).indexOf("STORE");
                if (store > 0) {
                    String[] read = {"LRANGE", cmd[store + 1], "0", "-1"};
                    assertEquals(r.call(read), k.call(read), context + " then " + String.join(" ", read));
                    assertEquals(r.call("TYPE", cmd[store + 1]), k.call("TYPE", cmd[store + 1]), context);
                }
            }
        }
    }

    /** Whether a BY without {@code *} leaves a set in its internal order. */
    private static boolean noSort(String[] cmd) {
        for (int i = 2; i + 1 < cmd.length; i++) {
            if (cmd[i].equals("BY") && !cmd[i + 1].contains("*")) {
                return true;
            }
        }
        return false;
    }

    /** Lists, sets and sorted sets of mixed numbers and words, numeric and alpha weights, hashes, a string. */
    private static void setup(Consumer<String[]> both, SplittableRandom rnd, String[] pool) {
        both.accept(new String[] {"FLUSHALL"});
        both.accept(new String[] {"SET", "str", "text"});
        for (String key : new String[] {"list1", "list2", "set1", "set2", "zset1"}) {
            int n = 1 + rnd.nextInt(12);
            List<String> c = new ArrayList<>(List.of(key.startsWith("list") ? "RPUSH" : key.startsWith("set") ? "SADD" : "ZADD", key));
            boolean numeric = rnd.nextInt(3) > 0;
            for (int i = 0; i < n; i++) {
                if (key.startsWith("zset")) {
                    c.add(Integer.toString(rnd.nextInt(5)));
                }
                c.add(numeric ? Integer.toString(rnd.nextInt(40) - 10) : pool[rnd.nextInt(pool.length)]);
            }
            both.accept(c.toArray(new String[0]));
        }
        // Weights: numeric ones for some elements (missing ones sort as 0), an alpha weight for every
        // element, all distinct (equal alpha weights leave Redis' order open), and hash fields.
        int unique = 0;
        for (int v = -10; v < 30; v++) {
            String e = Integer.toString(v);
            weights(both, rnd, e, unique++);
        }
        for (String e : pool) {
            weights(both, rnd, e, unique++);
        }
    }

    private static void weights(Consumer<String[]> both, SplittableRandom rnd, String e, int unique) {
        if (rnd.nextInt(4) > 0) {
            both.accept(new String[] {"SET", "w_" + e, Integer.toString(rnd.nextInt(20) - 5)});
        }
        both.accept(new String[] {"SET", "aw_" + e, Integer.toString(1000 + (unique * 7919) % 997) + "q"});
        if (rnd.nextBoolean()) {
            both.accept(new String[] {"HSET", "h_" + e, "f", rnd.nextBoolean() ? Integer.toString(rnd.nextInt(9)) : "word", "g", "v" + e});
        }
    }

    private static String[] sortCommand(SplittableRandom rnd) {
        List<String> c = new ArrayList<>();
        boolean ro = rnd.nextInt(6) == 0;
        c.add(ro ? "SORT_RO" : "SORT");
        String[] keys = {"list1", "list2", "set1", "set2", "zset1", "missing", "str", "list1", "set1"};
        c.add(keys[rnd.nextInt(keys.length)]);
        boolean alpha = rnd.nextInt(3) == 0;
        boolean by = false;
        int options = rnd.nextInt(5);
        for (int o = 0; o < options; o++) {
            switch (rnd.nextInt(9)) {
                case 0 -> {
                    if (!by) {
                        by = true;
                        c.add("BY");
                        c.add(alpha ? pick(rnd, "aw_*", "nosort") : pick(rnd, "w_*", "h_*->f", "nosort", "w_*", "aw_*"));
                    }
                }
                case 1 -> {
                    c.add("LIMIT");
                    c.add(pick(rnd, "0", "1", "2", "-1", "5", "100", "x"));
                    c.add(pick(rnd, "1", "2", "3", "-1", "0", "10", "-5"));
                }
                case 2, 3 -> {
                    c.add("GET");
                    c.add(pick(rnd, "#", "w_*", "h_*->g", "h_*->f", "nostar", "h_*->", "aw_*"));
                }
                case 4 -> c.add(pick(rnd, "ASC", "DESC", "desc"));
                case 5 -> {
                    if (!ro || rnd.nextInt(4) == 0) {
                        c.add("STORE");
                        c.add(pick(rnd, "dst1", "dst2", "str", "list2"));
                    }
                }
                case 6 -> c.add("ASC");
                case 7 -> c.add(pick(rnd, "BOGUS", "LIMIT", "GET", "BY"));
                default -> {
                }
            }
        }
        if (alpha) {
            // ALPHA with a BY whose values tie leaves Redis' order open (its qsort), so ALPHA comes only
            // with the all-distinct alpha weights.
            c.add(2 + rnd.nextInt(c.size() - 1), pick(rnd, "ALPHA", "alpha"));
        }
        return c.toArray(new String[0]);
    }

    @Test
    void commandInfoMatchesRedis() {
        String[] names = {"dump", "restore", "sort", "sort_ro"};
        try (Jedis r = redis(); Jedis k = kv()) {
            var expected = r.commandInfo(names);
            var actual = k.commandInfo(names);
            for (String n : names) {
                var e = expected.get(n);
                var a = actual.get(n);
                if (n.startsWith("sort")) {
                    // SORT runs over the shards (its BY/GET/STORE keys move), so the table lists no key positions.
                    assertEquals(e.getArity(), a.getArity(), n);
                } else {
                    assertEquals(List.of(e.getArity(), e.getFirstKey(), e.getLastKey(), e.getStep()),
                            List.of(a.getArity(), a.getFirstKey(), a.getLastKey(), a.getStep()), n);
                }
                assertEquals(e.getFlags().contains("write"), a.getFlags().contains("write"), n + " write flag");
            }
        }
    }

    private static String pick(SplittableRandom rnd, String... options) {
        return options[rnd.nextInt(options.length)];
    }

    private static boolean redisVersionAtLeast(Jedis r, int major, int minor) {
        String info = r.info("server");
        String v = info.substring(info.indexOf("redis_version:") + 14).split("\r\n")[0];
        String[] parts = v.split("\\.");
        int ma = Integer.parseInt(parts[0]);
        int mi = Integer.parseInt(parts[1]);
        return ma > major || (ma == major && mi >= minor);
    }

    /** {@code payload} with its RDB version replaced and the CRC-64 recomputed: an independent CRC here. */
    static byte[] withVersion(byte[] payload, int version) {
        byte[] p = payload.clone();
        int at = p.length - 10;
        p[at] = (byte) version;
        p[at + 1] = (byte) (version >> 8);
        long crc = crc64(p, p.length - 8);
        for (int i = 0; i < 8; i++) {
            p[p.length - 8 + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }

    /** CRC-64 Jones, bit by bit (independent of the server's table-driven one). */
    static long crc64(byte[] b, int len) {
        long crc = 0;
        for (int i = 0; i < len; i++) {
            crc ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x95AC9329AC4BC9B5L : crc >>> 1;
            }
        }
        return crc;
    }

    static long le64(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
