package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same raw requests to a real redis-server and to the KV server: the replies must match byte for
 * byte, error texts included. Runs where redis-server is installed (CI installs it).
 */
class RedisDifferentialTest {
    static RedisPair pair;
    static int redisPort;
    static KvServer kv;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pair = RedisPair.start(dir);
        redisPort = pair.redisPort;
        kv = pair.kv;
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    /** Sends every command on one connection to {@code port} and returns each raw reply. */
    static List<String> exchange(int port, List<String[]> commands) throws IOException {
        List<String> replies = new ArrayList<>();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            for (String[] cmd : commands) {
                out.write(RawResp.encode(cmd));
                out.flush();
                replies.add(RawResp.readReply(in));
            }
        }
        return replies;
    }

    /** Like {@link #same}, on connections switched to RESP3 first (HELLO's own reply names the server, so it differs). */
    void sameAfterHello3(String... lines) throws IOException {
        String[] all = new String[lines.length + 1];
        all[0] = "HELLO 3";
        System.arraycopy(lines, 0, all, 1, lines.length);
        compare(all, 1);
    }

    void same(String... lines) throws IOException {
        compare(lines, 0);
    }

    private void compare(String[] lines, int skip) throws IOException {
        List<String[]> cmds = new ArrayList<>();
        for (String l : lines) {
            cmds.add(RawResp.split(l));
        }
        List<String> expected = exchange(redisPort, cmds);
        List<String> actual = exchange(kv.port(), cmds);
        for (int i = skip; i < cmds.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "reply to: " + lines[i]);
        }
    }

    @Test
    void stringsMatchRedis() throws IOException {
        same("FLUSHALL", "SET s1 hello", "GET s1", "GET nosuch", "SET s1 v2 NX", "SET s1 v3 XX", "GET s1",
                "SET s1 x EX 0", "SET s1 x EX abc", "SET s1 x PX -5", "SET s1 x NX XX", "SET s1 x EX 100 PX 100",
                "SET s2 a GET", "SET s2 b GET", "GETSET s2 c", "SETNX s2 d", "SETNX s3 d", "SETEX s4 100 v",
                "SETEX s4 -1 v", "APPEND s4 more", "STRLEN s4", "STRLEN none", "INCR n", "INCRBY n 10", "DECR n",
                "DECRBY n 3", "INCR s1", "INCRBY n abc", "SET big 9223372036854775807", "INCR big",
                "INCRBYFLOAT f 10.5", "INCRBYFLOAT f 0.25", "INCRBYFLOAT s1 1", "MSET a 1 b 2 c 3", "MGET a b nosuch c",
                "MSET a", "GET", "SET", "DEL a b nosuch", "EXISTS a c c nosuch", "UNLINK c", "TYPE s1", "TYPE none");
    }

    @Test
    void expiryMatchesRedis() throws IOException {
        same("FLUSHALL", "SET e v", "TTL e", "PTTL e", "TTL none", "EXPIRE e 100", "TTL e", "PERSIST e", "TTL e",
                "PERSIST e", "EXPIRE e abc", "EXPIRE none 10", "PEXPIRE e 100000", "EXPIRE e 100 NX", "EXPIRE e 200 XX",
                "TTL e", "EXPIRE e 50 GT", "EXPIRE e 50 LT", "TTL e", "EXPIRE e 10 NX XX", "EXPIRE e -1", "EXISTS e");
    }

    @Test
    void listsSetsHashesAndSortedSetsMatchRedis() throws IOException {
        same("FLUSHALL", "LPUSH l a b c", "RPUSH l d e", "LRANGE l 0 -1", "LRANGE l 1 2", "LRANGE l -100 100",
                "LRANGE l 5 1", "LLEN l", "LPOP l", "RPOP l", "LPOP l 2", "LPOP l 0", "LPOP l -1", "RPOP none",
                "LPOP none 2", "LLEN none", "LPUSH s1x a", "SET str v", "LPUSH str a", "LRANGE str 0 1",
                "SADD st a b c a", "SCARD st", "SISMEMBER st a", "SISMEMBER st z", "SREM st a z", "SCARD st",
                "SADD str a", "SPOP none", "HSET h f1 v1 f2 v2", "HSET h f1 v3", "HGET h f1", "HGET h nosuch",
                "HLEN h", "HDEL h f2 nosuch", "HINCRBY h n 5", "HINCRBY h n -2", "HINCRBY h f1 1", "HINCRBY h n x",
                "HSET h f", "HGETALL none", "HSET str a b", "ZADD z 1 a 2 b 3 c", "ZADD z 1.5 a", "ZSCORE z a",
                "ZSCORE z nosuch", "ZCARD z", "ZRANGE z 0 -1", "ZRANGE z 0 -1 WITHSCORES", "ZRANGE z 1 1 WITHSCORES",
                "ZADD z NX 10 a", "ZADD z XX 10 a", "ZSCORE z a", "ZADD z XX NX 1 a", "ZADD z GT LT 1 a",
                "ZADD z INCR 1 a 2 b", "ZADD z abc a", "ZADD z 1", "ZADD z CH 20 a 30 new", "ZREM z a nosuch",
                "ZPOPMIN z", "ZPOPMIN z 5", "ZPOPMIN none", "ZCARD z", "ZADD str 1 a");
    }

    @Test
    void connectionCommandsAndErrorsMatchRedis() throws IOException {
        same("PING", "PING hello", "PING a b", "ECHO hi", "ECHO", "SELECT 0", "SELECT x", "DBSIZE",
                "NOSUCHCOMMAND a b", "nosuch", "GET a b", "AUTH pw", "CLIENT SETNAME myname", "CLIENT GETNAME",
                "CLIENT SETNAME", "CLIENT SETNAME bad\u0001name", "CLIENT NOSUCH", "CONFIG GET save",
                "CONFIG GET appendonly", "HELLO 4", "HELLO x", "COMMAND NOSUCH", "FLUSHALL", "DBSIZE",
                "FLUSHALL ASYNC", "FLUSHALL x");
    }

    @Test
    void resp3RepliesMatchRedis() throws IOException {
        sameAfterHello3("FLUSHALL", "SET a 1", "GET nosuch", "HSET h f v g w", "HGETALL h", "SADD s m",
                "SMEMBERS s", "ZADD z 1 a 2.5 b", "ZSCORE z b", "ZRANGE z 0 -1 WITHSCORES", "ZPOPMIN z", "MGET a nosuch",
                "LPOP nosuch", "LPOP nosuch 2", "INCRBYFLOAT f 1.5", "TTL a");
    }
}
