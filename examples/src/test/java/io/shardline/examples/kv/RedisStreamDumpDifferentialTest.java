package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.examples.kv.RedisCollectionsDifferentialTest.Peer;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * DUMP and RESTORE of streams against a real redis-server: node listpacks (master entries, same-field
 * and other entries, integers of every width, long strings, tombstones), the metadata (entries added,
 * max deleted id, recorded first id), consumer groups, PELs and consumers.
 *
 * <p>Redis' payloads (LZF-compressed and not) restore here and read back the same through XRANGE,
 * XINFO STREAM FULL, XINFO GROUPS and XPENDING, and keep behaving the same under further XADDs and
 * trims. Ours are type 21, version 11 (Redis 7.2's); redis-server 7.0 refuses version 11 with its
 * "payload version or checksum" error, which is checked. To check our bytes against Redis' own, a
 * stream without consumers (where types 19 and 21 differ only in the type byte) is dumped by both with
 * {@code rdbcompression no}, ours rewritten to type 19, version 10: the payloads must be equal.
 *
 * <p>Differences masked, of time or version: XPENDING's idle times (the clock moves between the two
 * calls), XINFO STREAM FULL's radix-tree-nodes (no radix tree here) and the consumers' active-time
 * (7.2 only; after a type-19 load it must equal seen-time, as 7.2 sets it). Runs where redis-server is
 * installed.
 */
class RedisStreamDumpDifferentialTest {
    private static final Pattern RADIX_NODES = Pattern.compile("(radix-tree-nodes\r\n):\\d+\r\n");
    private static final Pattern PENDING_IDLE = Pattern.compile("(\\*4\r\n\\$\\d+\r\n[^\r]*\r\n\\$\\d+\r\n[^\r]*\r\n):\\d+\r\n");
    /** A 7.2 consumer in XINFO STREAM FULL whose active-time equals its seen-time, folded to 7.0's form. */
    private static final Pattern ACTIVE_IS_SEEN = Pattern.compile(
            "\\*10\r\n(\\$4\r\nname\r\n\\$\\d+\r\n[^\r]*\r\n\\$9\r\nseen-time\r\n:(\\d+)\r\n)\\$11\r\nactive-time\r\n:\\2\r\n");
    private static final List<String> NO_CONSUMERS = List.of("st:small", "st:nodes", "st:wide", "st:groups", "st:empty", "st:setid");
    private static final List<String> WITH_CONSUMERS = List.of("st:pel", "st:claimed");
    @RegisterExtension
    static final RedisPair.Fixture fixture = new RedisPair.Fixture("--rdbcompression", "no");

    /** Runs the command on both servers, checking they answer alike. */
    private static void both(Peer redis, Peer kv, String... cmd) throws IOException {
        String expected = redis.call(cmd);
        assertEquals(expected, kv.call(cmd), String.join(" ", cmd));
    }

    /** The same streams on both servers, built by the same commands with explicit ids. */
    private static void fill(Peer r, Peer k) throws IOException {
        both(r, k, "FLUSHALL");
        both(r, k, "XADD", "st:small", "1-1", "f", "v");
        SplittableRandom rnd = new SplittableRandom(17);
        String[] values = {"5", "300", "-5000", "70000", "-9000000", "1099511627776", "-9223372036854775808",
            "12345678901234567890", "007", "-0", "x", "y".repeat(70), ""};
        for (int i = 1; i <= 260; i++) {
            String v = values[rnd.nextInt(values.length)];
            if (i % 7 == 0) {
                both(r, k, "XADD", "st:nodes", i + "-" + (i % 3), "other", v, "f2", "z");
            } else {
                both(r, k, "XADD", "st:nodes", i + "-" + (i % 3), "f", v, "g", Integer.toString(i));
            }
        }
        for (String id : List.of("1-1", "2-2", "50-2", "101-2", "150-0", "260-2")) {
            both(r, k, "XDEL", "st:nodes", id);
        }
        for (int i = 102; i <= 200; i++) { // the node opened at 101 goes away whole, its last entries one by one
            both(r, k, "XDEL", "st:nodes", i + "-" + (i % 3));
        }
        both(r, k, "XTRIM", "st:nodes", "MINID", "30");
        both(r, k, "XADD", "st:wide", "5-0", "field", "v".repeat(5000), "n".repeat(100), "12");
        both(r, k, "XADD", "st:wide", "5-1", "field", "w".repeat(300));
        both(r, k, "XADD", "st:wide", "6-0", "f".repeat(4000), "1");
        both(r, k, "XADD", "st:groups", "10-0", "a", "1");
        both(r, k, "XADD", "st:groups", "11-0", "a", "2");
        both(r, k, "XADD", "st:groups", "12-0", "a", "3");
        both(r, k, "XDEL", "st:groups", "11-0");
        both(r, k, "XGROUP", "CREATE", "st:groups", "g1", "0");
        both(r, k, "XGROUP", "CREATE", "st:groups", "g2", "$");
        both(r, k, "XGROUP", "CREATE", "st:groups", "123", "10-0", "ENTRIESREAD", "1");
        both(r, k, "XGROUP", "CREATE", "st:groups", "g4", "11-0");
        both(r, k, "XGROUP", "CREATE", "st:empty", "g", "$", "MKSTREAM");
        both(r, k, "XADD", "st:setid", "7-7", "a", "b");
        both(r, k, "XSETID", "st:setid", "100-0", "ENTRIESADDED", "50", "MAXDELETEDID", "10-0");
        both(r, k, "XADD", "st:pel", "1-0", "a", "1");
        both(r, k, "XADD", "st:pel", "2-0", "a", "2");
        both(r, k, "XADD", "st:pel", "3-0", "b", "3");
        both(r, k, "XGROUP", "CREATE", "st:pel", "g", "0");
        both(r, k, "XGROUP", "CREATE", "st:pel", "h", "0");
        both(r, k, "XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "st:pel", ">");
        both(r, k, "XREADGROUP", "GROUP", "g", "bob", "STREAMS", "st:pel", ">");
        both(r, k, "XREADGROUP", "GROUP", "h", "42", "NOACK", "STREAMS", "st:pel", ">");
        both(r, k, "XACK", "st:pel", "g", "1-0");
        both(r, k, "XGROUP", "CREATECONSUMER", "st:pel", "g", "carol");
        both(r, k, "XADD", "st:claimed", "1-0", "a", "1");
        both(r, k, "XADD", "st:claimed", "2-0", "a", "1");
        both(r, k, "XGROUP", "CREATE", "st:claimed", "g", "0");
        both(r, k, "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "st:claimed", ">");
        both(r, k, "XCLAIM", "st:claimed", "g", "bob", "0", "1-0", "RETRYCOUNT", "7", "TIME", "1000");
        both(r, k, "XDEL", "st:claimed", "2-0");
    }

    /** Replies that read everything of a stream, masked where time or version tells the servers apart. */
    private static List<String> reads(Peer p, String key) throws IOException {
        List<String> out = new ArrayList<>();
        out.add(p.call("XRANGE", key, "-", "+"));
        out.add(p.call("XREVRANGE", key, "+", "-", "COUNT", "3"));
        out.add(p.call("XLEN", key));
        out.add(PENDING_IDLE.matcher(p.call("XPENDING", key, "g")).replaceAll("$1:X\r\n"));
        out.add(PENDING_IDLE.matcher(p.call("XPENDING", key, "g", "-", "+", "10")).replaceAll("$1:X\r\n"));
        out.add(p.call("XINFO", "GROUPS", key));
        String full = RADIX_NODES.matcher(p.call("XINFO", "STREAM", key, "FULL")).replaceAll("$1:X\r\n");
        // Then every millisecond time (seen-time, a pending entry's delivery time): the two servers ran the
        // same commands a millisecond or so apart.
        out.add(ACTIVE_IS_SEEN.matcher(full).replaceAll("*8\r\n$1").replaceAll(":1\\d{12}\r\n", ":<ms>\r\n"));
        return out;
    }

    private static Peer peer(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        return new Peer(s);
    }

    @Test
    void redisDumpsRestoreHereAndReadTheSame() throws IOException {
        try (Socket rs = new Socket("127.0.0.1", fixture.pair().redisPort); Socket ks = new Socket("127.0.0.1", fixture.pair().kv.port());
                Jedis r = new Jedis("127.0.0.1", fixture.pair().redisPort, 10_000); Jedis k = new Jedis("127.0.0.1", fixture.pair().kv.port(), 10_000)) {
            Peer redis = peer(rs);
            Peer kv = peer(ks);
            for (String compression : List.of("yes", "no")) {
                r.configSet("rdbcompression", compression);
                fill(redis, kv);
                List<String> keys = new ArrayList<>(NO_CONSUMERS);
                keys.addAll(WITH_CONSUMERS);
                for (String key : keys) {
                    byte[] payload = r.dump(key);
                    assertEquals(19, payload[0], key + ": redis-server 7.0 writes STREAM_LISTPACKS_2");
                    k.del(key);
                    assertEquals("OK", k.restore(key, 0, payload), key);
                    assertEquals(reads(redis, key), reads(kv, key), key + " restored from Redis (rdbcompression " + compression + ")");
                }
                // the restored streams go on as Redis': node boundaries, approximate trims, entries-read and lag
                both(redis, kv, "XADD", "st:nodes", "261-0", "f", "1", "g", "2");
                both(redis, kv, "XTRIM", "st:nodes", "MAXLEN", "~", "60");
                both(redis, kv, "XADD", "st:nodes", "MAXLEN", "~", "10", "262-0", "f", "1");
                both(redis, kv, "XADD", "st:groups", "13-0", "a", "4");
                both(redis, kv, "XREADGROUP", "GROUP", "g1", "c", "STREAMS", "st:groups", ">");
                both(redis, kv, "XADD", "st:setid", "100-0", "a", "b");
                both(redis, kv, "XADD", "st:setid", "100-1", "a", "b");
                both(redis, kv, "XACK", "st:pel", "g", "2-0", "3-0");
                both(redis, kv, "XGROUP", "DELCONSUMER", "st:claimed", "g", "bob");
                for (String key : keys) {
                    assertEquals(reads(redis, key), reads(kv, key), key + " after further commands");
                }
            }
        }
    }

    @Test
    void ourDumpsAreRedisBytesAndRedis70RefusesVersion11() throws IOException {
        try (Socket rs = new Socket("127.0.0.1", fixture.pair().redisPort); Socket ks = new Socket("127.0.0.1", fixture.pair().kv.port());
                Jedis r = new Jedis("127.0.0.1", fixture.pair().redisPort, 10_000); Jedis k = new Jedis("127.0.0.1", fixture.pair().kv.port(), 10_000)) {
            r.configSet("rdbcompression", "no");
            fill(peer(rs), peer(ks));
            boolean redis72 = r.info("server").contains("redis_version:7.2") || !r.info("server").contains("redis_version:7.");
            for (String key : NO_CONSUMERS) {
                byte[] ours = k.dump(key);
                assertEquals(21, ours[0], key + ": STREAM_LISTPACKS_3");
                assertEquals(11, ours[ours.length - 10], key + ": RDB version 11");
                assertEquals(RedisDumpSortDifferentialTest.crc64(ours, ours.length - 8),
                        RedisDumpSortDifferentialTest.le64(ours, ours.length - 8), key + " CRC-64");
                byte[] asType19 = ours.clone();
                asType19[0] = 19;
                assertArrayEquals(r.dump(key), RedisDumpSortDifferentialTest.withVersion(asType19, 10),
                        key + ": our payload is redis-server's, but for the type byte and version");
            }
            for (String key : WITH_CONSUMERS) {
                byte[] ours = k.dump(key);
                r.del(key);
                if (redis72) {
                    assertEquals("OK", r.restore(key, 0, ours), key);
                } else {
                    try {
                        r.restore(key, 0, ours);
                        throw new AssertionError("redis-server 7.0 restored an RDB version 11 payload");
                    } catch (JedisDataException e) {
                        assertEquals("ERR DUMP payload version or checksum are wrong", e.getMessage(), key);
                    }
                }
            }
        }
    }

    @Test
    void ourDumpsRoundTripHereExactly() throws IOException {
        try (Socket rs = new Socket("127.0.0.1", fixture.pair().redisPort); Socket ks = new Socket("127.0.0.1", fixture.pair().kv.port());
                Jedis k = new Jedis("127.0.0.1", fixture.pair().kv.port(), 10_000)) {
            Peer kv = peer(ks);
            fill(peer(rs), kv);
            List<String> keys = new ArrayList<>(NO_CONSUMERS);
            keys.addAll(WITH_CONSUMERS);
            for (String key : keys) {
                byte[] payload = k.dump(key);
                String copy = "{" + key + "}copy"; // another slot, so usually another shard
                assertEquals("OK", k.restore(copy, 0, payload), key);
                assertArrayEquals(payload, k.dump(copy), key + ": the copy dumps to the same bytes");
                assertEquals(kv.call("XINFO", "STREAM", key, "FULL"), kv.call("XINFO", "STREAM", copy, "FULL"),
                        key + ": times, counters and PELs all carried");
            }
        }
    }

    /** Damaged payloads with a valid footer answer "Bad data format" and leave nothing behind. */
    @Test
    void corruptStreamPayloadsAreRefused() {
        try (Jedis k = new Jedis("127.0.0.1", fixture.pair().kv.port(), 10_000)) {
            k.flushAll();
            k.xadd("s", redis.clients.jedis.StreamEntryID.NEW_ENTRY, java.util.Map.of("f", "v"));
            k.xgroupCreate("s", "g", new redis.clients.jedis.StreamEntryID(0, 0), false);
            k.xreadGroup("g", "c", redis.clients.jedis.params.XReadGroupParams.xReadGroupParams(),
                    java.util.Map.of("s", redis.clients.jedis.StreamEntryID.UNRECEIVED_ENTRY));
            byte[] good = k.dump("s");
            int refused = 0;
            SplittableRandom rnd = new SplittableRandom(21);
            for (int i = 0; i < 400; i++) {
                byte[] bad = java.util.Arrays.copyOf(good, good.length - 10);
                if (i % 2 == 0) {
                    bad = java.util.Arrays.copyOf(bad, 1 + rnd.nextInt(bad.length - 1)); // truncated
                } else {
                    bad[1 + rnd.nextInt(bad.length - 1)] ^= (byte) (1 << rnd.nextInt(8));
                }
                byte[] payload = withFooter(bad);
                try {
                    k.restore("t" + i, 0, payload);
                    assertEquals("stream", k.type("t" + i), "a payload that restores is a stream");
                    k.xrange("t" + i, "-", "+"); // and reads back
                    k.xinfoStreamFull("t" + i);
                } catch (JedisDataException e) {
                    assertEquals("ERR Bad data format", e.getMessage());
                    assertTrue(!k.exists("t" + i), "a refused payload leaves no key");
                    refused++;
                }
            }
            assertTrue(refused > 200, "most damaged payloads are refused: " + refused);
            assertEquals("v", k.xrange("s", "-", "+").get(0).getFields().get("f"), "the server still serves");
        }
    }

    private static byte[] withFooter(byte[] body) {
        byte[] p = java.util.Arrays.copyOf(body, body.length + 10);
        p[body.length] = 11;
        return RedisDumpSortDifferentialTest.withVersion(p, 11);
    }
}
