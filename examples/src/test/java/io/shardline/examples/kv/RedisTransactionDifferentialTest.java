package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH against a real redis-server, every reply compared byte for byte
 * (queuing errors, EXECABORT, runtime errors inside EXEC, the null array of a failed WATCH in RESP2; RESP3's
 * null is checked in {@link JedisTransactionTest}, as HELLO's reply names another server); the KV server runs
 * 3 shards, so the keys of one transaction are spread over them. Each sequence is sent once a command at a
 * time and once pipelined whole.
 */
class RedisTransactionDifferentialTest {
    @RegisterExtension
    static final RedisPair.Fixture fixture = new RedisPair.Fixture();

    private static void same(String... lines) throws IOException {
        List<String[]> cmds = new ArrayList<>();
        for (String l : lines) {
            cmds.add(RawResp.split(l));
        }
        for (boolean pipeline : new boolean[] {false, true}) {
            List<String> expected = pipeline ? RedisDatabasesDifferentialTest.pipelined(fixture.pair().redisPort, cmds)
                    : RedisDifferentialTest.exchange(fixture.pair().redisPort, cmds);
            List<String> actual = pipeline ? RedisDatabasesDifferentialTest.pipelined(fixture.pair().kv.port(), cmds)
                    : RedisDifferentialTest.exchange(fixture.pair().kv.port(), cmds);
            for (int i = 0; i < cmds.size(); i++) {
                assertEquals(expected.get(i), actual.get(i), (pipeline ? "pipelined " : "") + "reply " + i + " to: "
                        + String.join(" ", cmds.get(i)));
            }
        }
    }

    @Test
    void queuedRepliesAndRuntimeErrorsAcrossShards() throws IOException {
        same("FLUSHALL", "MULTI", "SET a 1", "INCR a", "LPUSH a x", "SET b 2", "INCRBY b 5", "MGET a b c",
                "SADD s1 m", "SMEMBERS s1", "GET nope", "PING", "ECHO hi", "EXEC", "MGET a b", "MULTI", "EXEC",
                "MULTI", "INCR a", "INCR c", "DEL a b c", "EXEC", "DBSIZE");
    }

    @Test
    void queuingErrorsAbortTheTransaction() throws IOException {
        same("FLUSHALL", "MULTI", "SET a 1", "FOO bar", "SET b", "GET", "EXEC", "EXISTS a", "MULTI", "SET a 1",
                "MULTI", "WATCH a", "EXEC", "GET a", "EXEC", "DISCARD", "MULTI", "SET a 2", "DISCARD", "GET a",
                "DISCARD", "EXEC", "MULTI", "EXEC a", "EXEC", "MULTI", "DISCARD x", "DISCARD", "MULTI x", "WATCH",
                "UNWATCH x");
    }

    @Test
    void watchedKeysChangedByThisClientFailExec() throws IOException {
        same("FLUSHALL", "SET a 1", "WATCH a b c", "SET a 2", "MULTI", "SET b 1", "GET a", "EXEC", "EXISTS b",
                "WATCH a", "MULTI", "INCR a", "EXEC", "WATCH b", "UNWATCH", "SET b 9", "MULTI", "INCR b", "EXEC",
                "WATCH x", "DEL x", "MULTI", "SET x 1", "EXEC", "WATCH a", "MULTI", "UNWATCH", "SET a 5", "EXEC",
                "WATCH a", "FLUSHDB", "MULTI", "PING", "EXEC", "SET a 1", "WATCH a", "FLUSHDB", "MULTI", "PING",
                "EXEC", "SET k v", "WATCH k", "EXPIRE k 100", "MULTI", "PING", "EXEC");
    }

    @Test
    void swapdbSelectAndResp3InsideTransactions() throws IOException {
        same("FLUSHALL", "SELECT 1", "SET a one", "SELECT 0", "WATCH a", "SWAPDB 0 1", "MULTI", "GET a", "EXEC",
                "SWAPDB 0 1", "MULTI", "SELECT 1", "GET a", "SELECT 0", "GET a", "SELECT 99", "EXEC",
                "SET a 1", "WATCH a", "SET a 2", "MULTI", "GET a", "EXEC", "MULTI", "GET a", "HGETALL none", "EXEC",
                "MULTI", "SET q 1", "RESET", "EXEC", "GET q");
    }

    @Test
    void blockingCommandsInsideMultiDoNotBlock() throws IOException {
        same("FLUSHALL", "MULTI", "BLPOP l1 l2 0", "RPUSH l2 a b", "BLPOP l1 l2 0", "BRPOP l2 0", "BLMOVE l2 l1 LEFT RIGHT 0",
                "BZPOPMIN z 0", "EXEC", "LRANGE l1 0 -1", "LRANGE l2 0 -1");
    }
}
