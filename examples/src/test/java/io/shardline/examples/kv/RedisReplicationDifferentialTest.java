package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardline.examples.kv.RedisCollectionsDifferentialTest.Peer;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ROLE and WAIT against a real redis-server without replicas, replies compared byte for byte: WAIT's
 * immediate answers, its answer after a short timeout, its errors, and inside MULTI/EXEC where it may
 * not block.
 *
 * <p>Kept difference: a WAIT timeout past the clock's range is Redis 7.2's error, checked on this
 * server only (the installed 7.0.15 overflows the deadline and blocks).
 */
class RedisReplicationDifferentialTest {
    @RegisterExtension
    static final RedisPair.Fixture FIXTURE = new RedisPair.Fixture();

    @Test
    void roleAndWaitMatchRedis() throws Exception {
        RedisPair pair = FIXTURE.pair();
        String[][] commands = {
            {"ROLE"}, {"WAIT", "0", "0"}, {"WAIT", "-3", "100"}, {"WAIT", "1", "20"}, {"WAIT", "2", "1"},
            {"WAIT", "x", "0"}, {"WAIT", "1", "x"}, {"WAIT", "1", "-1"}, {"WAIT", "1", "1.5"},
            {"WAIT", "+1", "0"}, {"WAIT", "1"},
            {"MULTI"}, {"WAIT", "1", "0"}, {"SET", "k", "v"}, {"EXEC"}, {"WAIT", "0", "0"},
        };
        try (Socket r = new Socket("127.0.0.1", pair.redisPort); Socket k = new Socket("127.0.0.1", pair.kv.port())) {
            r.setSoTimeout(10000);
            k.setSoTimeout(10000);
            Peer redis = new Peer(r);
            Peer kv = new Peer(k);
            for (String protocol : new String[] {"2", "3"}) {
                redis.call("HELLO", protocol);
                kv.call("HELLO", protocol);
                for (String[] c : commands) {
                    assertEquals(redis.call(c), kv.call(c), String.join(" ", c));
                }
            }
            // Redis 7.2 refuses a deadline past the clock's range (7.0.15 overflows it and waits forever)
            assertEquals("-ERR timeout is out of range\r\n", kv.call("WAIT", "1", "9223372036854775807"));
        }
    }
}
