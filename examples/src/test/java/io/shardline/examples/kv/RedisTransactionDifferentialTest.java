package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH against a real redis-server, every reply compared byte for byte
 * (queuing errors, EXECABORT, runtime errors inside EXEC, the null array of a failed WATCH in RESP2; RESP3's
 * null is checked in {@link JedisTransactionTest}, as HELLO's reply names another server); the KV server runs
 * 3 shards, so the keys of one transaction are spread over them. Each sequence is sent once a command at a
 * time and once pipelined whole; the pipelined tests at the end send many transactions in one write, as
 * clients pipeline them, interleaved with plain commands and WATCHes from the same connection and another.
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

    /** One write of pipelined commands on connection {@code on} (0 or 1), whose replies are all read before the next step. */
    private record Step(int on, List<String[]> commands) {
        static Step of(int on, String... lines) {
            List<String[]> cmds = new ArrayList<>();
            for (String l : lines) {
                cmds.add(RawResp.split(l));
            }
            return new Step(on, cmds);
        }
    }

    /** Runs {@code steps} on two connections to each server; every reply must be redis-server's, byte for byte. */
    private static void sameOnTwo(List<Step> steps) throws IOException {
        List<String> expected = onTwo(fixture.pair().redisPort, steps);
        List<String> actual = onTwo(fixture.pair().kv.port(), steps);
        int i = 0;
        for (Step step : steps) {
            for (String[] cmd : step.commands()) {
                assertEquals(expected.get(i), actual.get(i), "reply " + i + " (connection " + step.on() + ") to: "
                        + String.join(" ", cmd));
                i++;
            }
        }
    }

    private static List<String> onTwo(int port, List<Step> steps) throws IOException {
        List<String> replies = new ArrayList<>();
        try (Socket a = new Socket("127.0.0.1", port); Socket b = new Socket("127.0.0.1", port)) {
            Socket[] both = {a, b};
            InputStream[] in = new InputStream[2];
            for (int c = 0; c < 2; c++) {
                both[c].setSoTimeout(10_000);
                in[c] = new java.io.BufferedInputStream(both[c].getInputStream());
            }
            for (Step step : steps) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (String[] cmd : step.commands()) {
                    all.writeBytes(RawResp.encode(cmd));
                }
                OutputStream out = both[step.on()].getOutputStream();
                out.write(all.toByteArray());
                out.flush();
                for (int i = 0; i < step.commands().size(); i++) {
                    replies.add(RawResp.readReply(in[step.on()]));
                }
            }
        }
        return replies;
    }

    /** The keys the pipelined tests use, checked to lie on more than one shard. */
    private static final String[] KEYS = {"pa", "pb", "pc", "pd", "pe", "pf"};

    @Test
    void theTestKeysSpanShards() {
        Set<Integer> shards = new HashSet<>();
        for (String k : KEYS) {
            shards.add(fixture.pair().kv.slots().shardOf(k.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        assertTrue(shards.size() >= 2, "keys on shards " + shards);
    }

    /** A pipeline of {@code n} transactions moving counts between keys on different shards, with a read after each few. */
    private static List<String> manyTransactions(int n) {
        List<String> lines = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            String from = KEYS[t % KEYS.length];
            String to = KEYS[(t * 5 + 1) % KEYS.length];
            lines.addAll(List.of("MULTI", "DECRBY " + from + " " + t, "INCRBY " + to + " " + t, "LPUSH log:" + from + " " + t, "EXEC"));
            if (t % 7 == 3) {
                lines.add("GET " + to); // a plain command on a key of the transactions just before it
            }
            if (t % 11 == 5) {
                lines.addAll(List.of("MULTI", "GET " + from, "MGET pa pb pc pd pe pf", "EXEC")); // a cross-shard read
            }
        }
        return lines;
    }

    @Test
    void manyPipelinedTransactionsAcrossShards() throws IOException {
        List<String> lines = new ArrayList<>(List.of("FLUSHALL", "MSET pa 0 pb 0 pc 0 pd 0 pe 0 pf 0"));
        lines.addAll(manyTransactions(300)); // more than one read, and more than one batch
        lines.addAll(List.of("MGET pa pb pc pd pe pf", "LRANGE log:pa 0 -1", "LLEN log:pd"));
        sameOnTwo(List.of(Step.of(0, lines.toArray(new String[0])), Step.of(1, "MGET pa pb pc pd pe pf")));
    }

    @Test
    void pipelinedTransactionsWithErrorsSelectAndPlainCommands() throws IOException {
        sameOnTwo(List.of(Step.of(0, "FLUSHALL", "SET pa 1", "SET pb x",
                "MULTI", "INCR pa", "INCR pb", "SET pc 3", "EXEC", // a runtime error inside, as Redis: the others run
                "MULTI", "SET pd 1", "NOSUCH pd", "EXEC", // EXECABORT between gathered transactions
                "MULTI", "SELECT 1", "SET pa one", "SELECT 0", "GET pa", "EXEC", "GET pa",
                "MULTI", "EXEC", "MULTI", "PING", "ECHO e", "EXEC",
                "MULTI", "SET pa 10", "DISCARD", "GET pa",
                "MULTI", "MSET pa 5 pb 6 pc 7", "RENAME pc pe", "EXEC", // not split by shard: runs after the gathered ones
                "MULTI", "GET pe", "INCR pa", "EXEC", "EXEC", "DBSIZE", "SELECT 1", "GET pa", "SELECT 0",
                "MULTI", "DEL pa", "BLPOP pa 0", "RPUSH pa v", "EXEC", "LRANGE pa 0 -1"),
                Step.of(1, "MGET pa pb pc pd pe", "SELECT 1", "KEYS *")));
    }

    @Test
    void pipelinedTransactionsWithWatchesFromBothConnections() throws IOException {
        sameOnTwo(List.of(
                Step.of(0, "FLUSHALL", "SET pa 1", "SET pb 1", "WATCH pa pb"),
                Step.of(1, "MULTI", "INCR pa", "EXEC", "MULTI", "INCR pb", "EXEC"), // a write from another connection
                Step.of(0, "MULTI", "SET pc watched", "EXEC", // null: pa changed
                        "MULTI", "SET pc unwatched", "INCR pa", "EXEC", // no watch now: runs
                        "WATCH pc", "MULTI", "GET pc", "SET pd 1", "EXEC", // watched, unchanged: runs
                        "WATCH pd", "SET pd 2", "MULTI", "SET pe 1", "EXEC", // changed by this connection: null
                        "MULTI", "INCR pe", "EXEC", "WATCH pa pe", "MULTI", "INCR pa", "INCR pe", "EXEC",
                        "MULTI", "INCR pa", "EXEC", "GET pa", "GET pe", "WATCH pf"),
                Step.of(1, "SET pf 9", "MULTI", "INCR pa", "INCR pb", "EXEC", "MGET pa pb pc pd pe pf"),
                Step.of(0, "MULTI", "GET pf", "EXEC", "MULTI", "GET pf", "EXEC", "UNWATCH", "MGET pa pb pc pd pe pf")));
    }

    @Test
    void twoConnectionsPipeliningTransactionsOnTheSameKeys() throws IOException {
        List<Step> steps = new ArrayList<>();
        steps.add(Step.of(0, "FLUSHALL", "MSET pa 0 pb 0 pc 0 pd 0 pe 0 pf 0"));
        for (int round = 0; round < 6; round++) {
            List<String> lines = manyTransactions(20 + round);
            if (round % 2 == 1) {
                lines.add(0, "WATCH pa pd");
            }
            steps.add(Step.of(round % 2, lines.toArray(new String[0])));
        }
        steps.add(Step.of(1, "MGET pa pb pc pd pe pf", "LRANGE log:pb 0 -1"));
        sameOnTwo(steps);
    }
}
