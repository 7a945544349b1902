package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The blocking commands' immediate replies and errors, sent to a real redis-server and to the 3-shard
 * KV server, compared byte for byte in RESP2 and RESP3: argument errors in Redis' order, pops of data
 * already there (keys spread over shards), WRONGTYPE, short timeouts, CLIENT UNBLOCK's checks.
 *
 * <p>Kept out: timeouts past LLONG_MAX ms or past it once added to now ("inf", "1e400",
 * "9223372036854775"), which Redis 7.2 refuses with "timeout is out of range" but the installed 7.0
 * answers "timeout is negative" (or blocks); {@link JedisBlockingTest} checks 7.2's answer. And
 * "-0.0001", which both round up to 0 and so block forever.
 */
class RedisBlockingDifferentialTest {
    @RegisterExtension
    static final RedisPair.Fixture fixture = new RedisPair.Fixture();

    static final String[] SCRIPT = {
        // argument errors
        "BLPOP k", "BLPOP k abc", "BLPOP k -1", "BLPOP k -inf", "BLPOP k nan", "BLPOP k 1x", "BLPOP k ''",
        "BLPOP k 0x10 junk", "BLPOP k -1e400", "BLPOP k -0.5", "BRPOP a b c", "BZPOPMIN k x", "BZPOPMAX k -5",
        "BLMOVE a b UP LEFT 0", "BLMOVE a b LEFT DOWN x", "BLMOVE a b LEFT RIGHT x", "BLMOVE a b LEFT RIGHT -1",
        "BRPOPLPUSH a b x", "BRPOPLPUSH a b -2", "BRPOPLPUSH a b",
        "BLMPOP 0 0 a LEFT", "BLMPOP 0 -1 a LEFT", "BLMPOP 0 x a LEFT", "BLMPOP 0 2 a LEFT", "BLMPOP 0 1 a UP",
        "BLMPOP 0 1 a LEFT COUNT 0", "BLMPOP 0 1 a LEFT COUNT x", "BLMPOP 0 1 a LEFT COUNT 1 COUNT 2",
        "BLMPOP x 1 a LEFT", "BLMPOP -1 1 a LEFT", "BLMPOP x 0 a LEFT", "BLMPOP x 1 a UP", "BLMPOP 0 1 a LEFT FOO",
        "BLMPOP 0 9223372036854775807 a LEFT", "BLMPOP 0",
        "BZMPOP 0 0 a MIN", "BZMPOP x 1 a MIN", "BZMPOP -1 1 a MAX", "BZMPOP 0 1 a LEFT", "BZMPOP 0 1 a MIN COUNT -3",
        "CLIENT UNBLOCK", "CLIENT UNBLOCK x", "CLIENT UNBLOCK 1 LATER", "CLIENT UNBLOCK x LATER", "CLIENT UNBLOCK 99999",
        "CLIENT UNBLOCK 99999 ERROR", "CLIENT UNBLOCK 1 timeout x", "CLIENT UNBLOCK -5", "CLIENT UNBLOCK 0",
        // data already there, keys over shards
        "RPUSH la a1 a2 a3", "RPUSH lb b1 b2", "ZADD za 1 m1 2 m2 3 m3 4.5 m4", "SET s str",
        "BLPOP none la lb 0", "BRPOP none lb la 0", "BLPOP none s la 0", "BLPOP la s 0", "BRPOP s 0",
        "BZPOPMIN none za 0", "BZPOPMAX za 0", "BZPOPMIN la 0", "BZPOPMIN none s za 0",
        "BLMPOP 0 3 none la lb RIGHT", "BLMPOP 0 2 lb la LEFT COUNT 10", "BLMPOP 0 2 s la LEFT", "BLMPOP 0 1 za LEFT",
        "BZMPOP 0 2 none za MIN COUNT 2", "ZADD za 7 m7 8 m8", "BZMPOP 0 1 za MAX COUNT 9", "BZMPOP 0 1 s MIN", "RPUSH la again", "BZMPOP 0 1 la MIN",
        "RPUSH src x1 x2 x3", "BLMOVE src dst LEFT RIGHT 0", "BLMOVE src dst RIGHT LEFT 0", "LRANGE dst 0 -1",
        "BRPOPLPUSH src dst 0", "LRANGE dst 0 -1", "EXISTS src", "RPUSH src y", "BLMOVE src s LEFT LEFT 0",
        "LRANGE src 0 -1", "BLMOVE s dst LEFT LEFT 0", "BLMOVE src src LEFT RIGHT 0", "LRANGE src 0 -1",
        "BRPOPLPUSH s dst 0",
        // timeouts, short
        "BLPOP none1 none2 0.01", "BRPOP none 0.001", "BZPOPMIN none 0.01", "BZPOPMAX none none2 0.01",
        "BLMPOP 0.01 2 none none2 LEFT", "BZMPOP 0.01 1 none MAX COUNT 3", "BLMOVE none dst LEFT LEFT 0.01",
        "BRPOPLPUSH none dst 0.01", "BLPOP s2 0.01",
    };

    @Test
    void immediateRepliesMatchRedisResp2() throws Exception {
        compare(2);
    }

    @Test
    void immediateRepliesMatchRedisResp3() throws Exception {
        compare(3);
    }

    private static void compare(int protocol) throws Exception {
        try (Socket redis = new Socket("127.0.0.1", fixture.pair().redisPort); Socket kv = new Socket("127.0.0.1", fixture.pair().kv.port())) {
            redis.setSoTimeout(10_000);
            kv.setSoTimeout(10_000);
            InputStream rin = new BufferedInputStream(redis.getInputStream());
            InputStream kin = new BufferedInputStream(kv.getInputStream());
            List<String> script = new ArrayList<>(List.of("FLUSHALL"));
            if (protocol == 3) {
                script.add("HELLO 3");
            }
            script.addAll(List.of(SCRIPT));
            List<String> diffs = new ArrayList<>();
            for (String line : script) {
                byte[] request = RawResp.encode(RawResp.split(line));
                String expected = send(redis.getOutputStream(), rin, request);
                String actual = send(kv.getOutputStream(), kin, request);
                if (line.startsWith("HELLO")) {
                    continue; // server details differ
                }
                if (!expected.equals(actual)) {
                    diffs.add(line + "\n  redis: " + expected.replace("\r\n", "\\r\\n") + "\n  kv:    " + actual.replace("\r\n", "\\r\\n"));
                }
            }
            assertEquals("", String.join("\n", diffs));
        }
    }

    private static String send(OutputStream out, InputStream in, byte[] request) throws Exception {
        out.write(request);
        out.flush();
        return RawResp.readReply(in);
    }
}
