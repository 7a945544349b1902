package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyspace notifications against a real redis-server: a writer runs the same script on both servers
 * while a subscriber with {@code PSUBSCRIBE __key*__:*} (on the KV server, on another shard than the
 * writer, and the keys spread over all three shards) captures every frame, and the streams, command by
 * command, must be equal byte for byte, as must the writer's replies.
 *
 * <p>Redis is single-threaded, so after each command a marker PUBLISH tells where its events end; the
 * KV server's events for a command are then read by that count, so one missing, extra or reordered
 * event shows up as a difference at the command that caused it. Multi-key commands use hash tags: their
 * cross-shard forms are checked in {@link JedisKeyspaceEventsTest}.
 */
class RedisKeyspaceEventsDifferentialTest {
    static RedisPair pair;

    @TempDir
    static Path dir;

    private static final String MARKER = "PUBLISH __keyevent@0__:zz-marker end";

    @BeforeAll
    static void start() throws Exception {
        pair = RedisPair.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    private static boolean isMarker(String frame) {
        return frame.contains("zz-marker");
    }

    /** Redis: each command's reply and the event frames it caused (up to its marker). */
    private static List<List<String>> runOnRedis(String flags, String... script) throws IOException {
        List<List<String>> out = new ArrayList<>();
        try (RawClient s = new RawClient(pair.redisPort); RawClient w = new RawClient(pair.redisPort)) {
            w.call("FLUSHALL");
            w.call("CONFIG SET notify-keyspace-events " + flags);
            s.call("PSUBSCRIBE __key*__:*");
            for (String cmd : script) {
                List<String> step = new ArrayList<>();
                step.add(cmd + " => " + reply(cmd, w.call(cmd)));
                w.call(MARKER);
                for (String f = s.read(); !isMarker(f); f = s.read()) {
                    step.add(f);
                }
                out.add(step);
            }
            w.call("CONFIG SET notify-keyspace-events x");
        }
        return out;
    }

    /** The KV server: each command's reply, then as many event frames as Redis sent for it. */
    private static List<List<String>> runOnKv(String flags, List<List<String>> expected, String... script) throws IOException {
        List<List<String>> out = new ArrayList<>();
        int port = pair.kv.port();
        try (RawClient s = new RawClient(port); RawClient w = RawClient.otherShard(port, RawClient.shardOf(s))) {
            s.socket.setSoTimeout(5_000); // how long a missing event is waited for
            w.call("FLUSHALL");
            w.call("CONFIG SET notify-keyspace-events " + flags);
            s.call("PSUBSCRIBE __key*__:*");
            for (int i = 0; i < script.length; i++) {
                List<String> step = new ArrayList<>();
                step.add(script[i] + " => " + reply(script[i], w.call(script[i])));
                try {
                    for (int n = expected.get(i).size() - 1; n > 0; n--) {
                        step.add(s.read());
                    }
                } catch (java.net.SocketTimeoutException missing) {
                    step.add("(no more events within the socket timeout)");
                    // the stream stays usable: the timeout struck between frames
                }
                out.add(step);
            }
            // Nothing may follow: what comes before the marker is events Redis did not send.
            w.call(MARKER);
            List<String> extra = new ArrayList<>();
            for (String f = s.read(); !isMarker(f); f = s.read()) {
                extra.add("extra: " + f);
            }
            out.add(extra);
            w.call("CONFIG SET notify-keyspace-events x");
        }
        return out;
    }

    /** The reply as compared: a random one (SPOP, a command marked so) only by its shape's first line. */
    private static String reply(String cmd, String reply) {
        return cmd.startsWith("SPOP") ? reply.substring(0, reply.indexOf('\r')) : reply;
    }

    private static void same(String flags, String... script) throws IOException {
        List<List<String>> expected = runOnRedis(flags, script);
        expected.add(List.of());
        List<List<String>> actual = runOnKv(flags, expected, script);
        assertEquals(render(expected), render(actual));
    }

    private static String render(List<List<String>> steps) {
        StringBuilder b = new StringBuilder();
        for (List<String> step : steps) {
            for (String line : step) {
                b.append(line.replace("\r\n", " ")).append('\n');
            }
        }
        return b.toString();
    }

    @Test
    void stringAndKeyCommandsRaiseRedisEvents() throws IOException {
        same("KEAn",
                "SET s1 v", "SET s1 v2 EX 100", "SET s1 v3 KEEPTTL", "SET s1 v4 XX GET", "SET s9 v NX",
                "SETNX s1 x", "SETNX s2 x", "SETEX {d}3 100 v", "PSETEX {d}4 100000 v", "GETSET s2 y",
                "APPEND s6 abc", "APPEND s6 def", "SETRANGE s7 2 xy", "SETRANGE s7 0 ab", "STRLEN s7",
                "INCR n1", "INCRBY n1 5", "DECR n1", "DECRBY n1 2", "INCRBYFLOAT f1 1.5", "INCR s1",
                "MSET {m}a 1 {m}b 2", "MSETNX {m}c 1 {m}d 2", "MSETNX {m}c 3 {m}e 4",
                "GETEX s1 PERSIST", "GETEX s1 EX 100", "GETEX s1", "GETEX s1 PXAT 1", "GETDEL s2", "GETDEL s2",
                "SETBIT b1 7 1", "SETBIT b1 7 1", "BITFIELD b2 SET u8 0 200", "BITFIELD b2 GET u8 0",
                "SET {b}x abc", "SET {b}y zz", "BITOP OR {b}d {b}x {b}y", "BITOP AND {b}d {b}none1 {b}none2",
                "BITOP AND {b}d {b}none1 {b}none2",
                "PFADD h1 a b", "PFADD h1 a", "PFADD {p}s x y", "PFMERGE {p}d {p}s", "PFMERGE {p}d {p}s",
                "DEL {d}3 {d}4 {d}none", "UNLINK s9", "EXPIRE s5 100", "SET s5 v", "EXPIRE s5 100", "PEXPIRE s5 100000 XX",
                "EXPIRE s5 100 NX", "EXPIREAT s5 1", "PERSIST s6", "EXPIRE s6 100", "PERSIST s6", "PEXPIREAT s6 1",
                "SET {r}a 1", "RENAME {r}a {r}b", "RENAME {r}b {r}b", "SET {r}c 2", "RENAMENX {r}b {r}c",
                "RENAMENX {r}b {r}e", "RENAME {r}e {r}c", "COPY {r}c {r}d", "COPY {r}c {r}d", "COPY {r}c {r}d REPLACE",
                "EXISTS {r}d", "TYPE {r}d");
    }

    @Test
    void databaseCommandsRaiseRedisEvents() throws IOException {
        same("KEAn",
                "SET mv 1", "MOVE mv 3", "MOVE mv 3", "SET {c}src 1", "COPY {c}src {c}dst DB 5", "COPY {c}src {c}dst DB 5 REPLACE",
                "SELECT 5", "SET inner v", "DEL inner {c}dst", "MOVE mv 0", "SELECT 3", "MOVE mv 0", "SELECT 0",
                "SWAPDB 0 3", "SWAPDB 0 3", "SELECT 3", "FLUSHDB", "SELECT 0", "EXISTS mv");
    }

    @Test
    void listSetAndHashCommandsRaiseRedisEvents() throws IOException {
        same("KEAn",
                "RPUSH l1 a b c", "LPUSH l1 z", "LPUSHX l1 y", "RPUSHX l1 x", "RPUSHX nolist a",
                "LINSERT l1 BEFORE a q", "LINSERT l1 BEFORE nomember q", "LSET l1 0 w", "LREM l1 1 q", "LREM l1 1 nomember",
                "LTRIM l1 0 4", "LTRIM l1 0 2", "LPOP l1", "RPOP l1 1", "LPOP l1 0", "LPOP l1 5", "LPOP l1",
                "RPUSH {l}a x y z", "LMOVE {l}a {l}b LEFT RIGHT", "RPOPLPUSH {l}a {l}b", "LMOVE {l}a {l}a LEFT LEFT",
                "LMOVE {l}a {l}b RIGHT LEFT", "LMPOP 2 {l}a {l}b LEFT COUNT 5", "LMPOP 2 {l}a {l}b LEFT",
                "RPUSH {o}src 3 1 2", "SORT {o}src STORE {o}dst", "SORT {o}src STORE {o}dst",
                "SORT {o}none STORE {o}dst", "SORT {o}none STORE {o}dst",
                "SADD t1 a b c", "SADD t1 a", "SREM t1 a nomember", "SREM t1 nomember", "SPOP t1", "SPOP t1 0",
                "SPOP t1 5", "SADD t2 1 2 3", "SPOP t2 1", "SADD t2 9", "SPOP t2 2",
                "SADD {s}a m n", "SMOVE {s}a {s}b m", "SMOVE {s}a {s}b m", "SMOVE {s}a {s}a n", "SMOVE {s}a {s}b n",
                "SADD {s}a n o", "SINTERSTORE {s}d {s}a {s}b", "SUNIONSTORE {s}d {s}a {s}b", "SDIFFSTORE {s}d {s}a {s}b",
                "SINTERSTORE {s}d {s}a {s}none", "SINTERSTORE {s}d {s}a {s}none", "SUNIONSTORE {s}e {s}b",
                "HSET hh a 1 b 2", "HSET hh a 1", "HSETNX hh a 1", "HSETNX hh c 3", "HMSET hh d 4",
                "HINCRBY hh n 2", "HINCRBYFLOAT hh f 1.5", "HDEL hh nofield", "HDEL hh a b", "HDEL hh c d n f",
                "HSETNX h2 a 1", "HINCRBY h3 a 1");
    }

    @Test
    void sortedSetAndStreamCommandsRaiseRedisEvents() throws IOException {
        same("KEAn",
                "ZADD z1 1 a 2 b", "ZADD z1 1 a", "ZADD z1 XX CH 5 a", "ZADD z1 XX 1 nomember", "ZADD zx XX 1 a",
                "ZINCRBY z1 1 a", "ZADD z1 INCR 1 b", "ZADD z1 NX INCR 1 b", "ZREM z1 a", "ZREM z1 nomember",
                "ZADD z2 1 a 2 b 3 c 4 d 5 e", "ZREMRANGEBYSCORE z2 1 1", "ZREMRANGEBYSCORE z2 100 200",
                "ZREMRANGEBYRANK z2 0 0", "ZADD z3 0 a 0 b 0 c", "ZREMRANGEBYLEX z3 [a [b", "ZREMRANGEBYLEX z3 - +",
                "ZPOPMIN z2", "ZPOPMAX z2 0", "ZPOPMAX z2 5", "ZPOPMIN z2",
                "ZADD {z}a 1 x 2 y", "ZADD {z}b 2 y 3 w", "ZUNIONSTORE {z}d 2 {z}a {z}b", "ZINTERSTORE {z}d 2 {z}a {z}b",
                "ZDIFFSTORE {z}e 2 {z}a {z}b", "ZINTERSTORE {z}d 2 {z}a {z}none", "ZINTERSTORE {z}d 2 {z}a {z}none",
                "ZRANGESTORE {z}f {z}a 0 -1", "ZRANGESTORE {z}f {z}a 5 6", "ZMPOP 2 {z}none {z}a MIN COUNT 5",
                "ZREM z1 b",
                "XADD x1 1-1 f v", "XADD x1 MAXLEN 1 2-1 f v", "XADD x1 MAXLEN 5 3-1 f v", "XTRIM x1 MAXLEN 5",
                "XTRIM x1 MAXLEN 1", "XDEL x1 2-1", "XDEL x1 3-1", "XADD x1 4-1 f v", "XADD x1 5-1 f v",
                "XGROUP CREATE x1 g 0", "XGROUP CREATE x1 g 0", "XGROUP CREATE x2 g $ MKSTREAM",
                "XGROUP CREATECONSUMER x1 g c1", "XGROUP CREATECONSUMER x1 g c1",
                "XREADGROUP GROUP g c2 COUNT 1 STREAMS x1 >", "XREADGROUP GROUP g c2 STREAMS x1 >",
                "XCLAIM x1 g c3 0 4-1 JUSTID", "XCLAIM x1 g c3 0 4-1 JUSTID", "XAUTOCLAIM x1 g c4 0 0 JUSTID",
                "XACK x1 g 4-1", "XGROUP SETID x1 g 0", "XGROUP DELCONSUMER x1 g c1", "XGROUP DELCONSUMER x1 g c9",
                "XGROUP DESTROY x1 g", "XGROUP DESTROY x1 g", "XSETID x1 10-0", "XADD x3 NOMKSTREAM 1-1 f v",
                "DEL x1", "DEL x2");
    }

    @Test
    void expiryTimesInThePastAndOtherEdgesMatchRedis() throws IOException {
        same("KEAn",
                "SET e1 v EXAT 1", "GET e1", "SET e2 v PXAT 1 GET", "EXISTS e2", "SET e3 v", "SET e3 w PXAT 1 GET",
                "TTL e3", "SET e4 v", "EXPIRE e4 -1", "SET e5 v", "PEXPIRE e5 0", "SETEX e6 100 v", "INCRBYFLOAT e6 1",
                "SET e7 10", "INCRBYFLOAT e7 1.5", "SETRANGE e8 3 x", "SETRANGE e8 1 abcdef", "HSETNX e9 f v",
                "LPUSH e10 a", "LINSERT e10 AFTER a b", "ZADD e11 GT 1 a", "ZADD e11 GT 0 a", "ZADD e11 LT CH 0 a",
                "XADD e12 1-1 f v", "XADD e12 2-1 f v", "XADD e12 MINID 2 3-1 f v", "XTRIM e12 MINID 3",
                "XTRIM e12 MINID 4", "GETEX e13 EX 100", "SET e13 v", "GETEX e13 PX 100000", "GETEX e13 PERSIST",
                "GETEX e13 PERSIST", "SINTERCARD 1 e14", "SETNX e15 v", "PERSIST e15", "RPOPLPUSH e16 e16",
                "RPUSH e16 a", "RPOPLPUSH e16 e16", "LPOP e16", "SET e17 v", "GETDEL e17", "DEL e17");
    }

    @Test
    void readsOfMissingKeysRaiseKeymiss() throws IOException {
        same("KEm",
                "GET m1", "SET m1 v", "GET m1", "MGET m1 m2", "MGET {t}a {t}b m1", "STRLEN m2", "GETRANGE m2 0 1", "EXISTS m2 m1",
                "TYPE m2", "TTL m2", "PTTL m2", "LRANGE m2 0 -1", "LINDEX m2 0", "LLEN m2", "SMEMBERS m2",
                "SISMEMBER m2 a", "SCARD m2", "HGET m2 f", "HGETALL m2", "HLEN m2", "ZSCORE m2 a",
                "ZRANGE m2 0 -1", "ZCARD m2", "XRANGE m2 - +", "XLEN m2", "DUMP m2", "GETBIT m2 0", "BITCOUNT m2",
                "PFCOUNT m2", "SET m3 v PX 1", "SET m4 v", "GET m4", "GETEX m5", "GETDEL m5", "TOUCH m5", "LPOS m5 x",
                "SINTERCARD 1 m5", "XREAD STREAMS m5 0", "PFCOUNT {p}1 {p}2", "SRANDMEMBER m5", "ZRANDMEMBER m5",
                "HRANDFIELD m5", "LCS {l}1 {l}2", "SMISMEMBER m5 a", "ZMSCORE m5 a", "HMGET m5 a", "HEXISTS m5 a",
                "XINFO STREAM m5", "OBJECT ENCODING m5", "SSCAN m5 0", "HSTRLEN m5 f", "ZRANK m5 a", "ZCOUNT m5 0 1",
                "BITPOS m5 1", "BITFIELD_RO m5 GET u8 0", "EXPIRETIME m5", "SUNION {s}1 {s}2", "ZUNION 2 {z}1 {z}2",
                "SORT_RO m5", "XPENDING m5 g", "LRANGE m4 0 1");
    }

    @Test
    void classFlagsFilterWhatIsPublished() throws IOException {
        String[] script = {"SET a 1", "LPUSH l a", "SADD s a", "HSET h a 1", "ZADD z 1 a", "XADD x 1-1 f v",
            "EXPIRE a 100", "DEL a", "DEL l", "DEL s", "DEL h", "DEL z", "DEL x", "SET b 1", "INCR b"};
        same("K$", script);
        same("Elg", script);
        same("KEs", script);
        same("Ehzt", script);
        same("KEn", script);
        same("KA", script);
        same("A", script); // neither K nor E: nothing is published
    }

    @Test
    void configRendersTheFlagsAsRedisDoes() throws IOException {
        String[] values = {"KEA", "AKE", "g$lshzxetd", "Axn", "AKEmn", "x", "nm", "EK", "tdzhsl$g", "Kq", "KEA "};
        try (RawClient r = new RawClient(pair.redisPort); RawClient k = new RawClient(pair.kv.port())) {
            for (String v : values) {
                for (String step : new String[] {"CONFIG SET notify-keyspace-events " + v.strip(),
                    "CONFIG GET notify-keyspace-events"}) {
                    assertEquals(r.call(step), k.call(step), step);
                }
            }
            for (RawClient c : new RawClient[] {r, k}) {
                c.out.write(RawResp.encode("CONFIG", "SET", "notify-keyspace-events", ""));
                c.out.flush();
                assertEquals("+OK\r\n", c.read());
            }
            assertEquals(r.call("CONFIG GET notify-keyspace-events"), k.call("CONFIG GET notify-keyspace-events"));
            assertEquals(r.call("CONFIG GET notify-*"), k.call("CONFIG GET notify-*"));
        }
    }
}
