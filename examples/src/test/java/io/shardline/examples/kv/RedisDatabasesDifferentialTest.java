package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SELECT, MOVE, SWAPDB, COPY ... DB, FLUSHDB, FLUSHALL, DBSIZE, KEYS, RANDOMKEY and INFO keyspace against a
 * real redis-server (16 databases), every reply compared byte for byte, errors included; the KV server
 * runs 3 shards, so the keys of each db are spread over them. Each sequence is sent once a command at a
 * time and once pipelined whole, where the requests around a SELECT for another shard's keys travel in
 * runs of their own.
 */
class RedisDatabasesDifferentialTest {
    @RegisterExtension
    static final RedisPair.Fixture fixture = new RedisPair.Fixture();

    /** Every reply to {@code commands} sent in one write, read after. */
    static List<String> pipelined(int port, List<String[]> commands) throws IOException {
        List<String> replies = new ArrayList<>();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (String[] cmd : commands) {
                all.writeBytes(RawResp.encode(cmd));
            }
            out.write(all.toByteArray());
            out.flush();
            for (int i = 0; i < commands.size(); i++) {
                replies.add(RawResp.readReply(in));
            }
        }
        return replies;
    }

    private static void same(String... lines) throws IOException {
        List<String[]> cmds = new ArrayList<>();
        for (String l : lines) {
            cmds.add(RawResp.split(l));
        }
        for (boolean pipeline : new boolean[] {false, true}) {
            List<String> expected = pipeline ? pipelined(fixture.pair().redisPort, cmds) : RedisDifferentialTest.exchange(fixture.pair().redisPort, cmds);
            List<String> actual = pipeline ? pipelined(fixture.pair().kv.port(), cmds) : RedisDifferentialTest.exchange(fixture.pair().kv.port(), cmds);
            for (int i = 0; i < cmds.size(); i++) {
                assertEquals(expected.get(i), actual.get(i), (pipeline ? "pipelined " : "") + "reply " + i + " to: "
                        + String.join(" ", cmds.get(i)));
            }
        }
    }

    @Test
    void selectAndItsErrors() throws IOException {
        same("FLUSHALL", "SELECT 0", "SELECT 15", "SELECT 16", "SELECT -1", "SELECT x", "SELECT 1.0", "SELECT 00",
                "SELECT +1", "SELECT 99999999999", "SELECT 99999999999999999999", "SELECT -2147483649", "SELECT", "SELECT 1 2", "SET a in15", "GET a", "SELECT 3", "GET a",
                "SET a in3", "SELECT 15", "GET a", "SELECT 0", "GET a", "DBSIZE", "SELECT 15", "DBSIZE", "RESET", "GET a",
                "CONFIG GET databases", "CONFIG SET databases 4", "CONFIG SET DATABASES 4", "CONFIG SET databases 16 maxmemory 1");
    }

    @Test
    void keysOfEachDatabaseAreTheirOwn() throws IOException {
        same("FLUSHALL", "MSET a 0 b 0 c 0 d 0 e 0 f 0", "SELECT 1", "MSET a 1 c 1 e 1", "MGET a b c d e f",
                "EXISTS a b c d e f", "DBSIZE", "KEYS b", "KEYS a", "SELECT 2", "RANDOMKEY", "SET only x",
                "RANDOMKEY", "KEYS *", "SELECT 0", "DBSIZE", "MGET a b c d e f", "DEL a b c", "SELECT 1", "MGET a c e",
                "INCR n", "SELECT 0", "INCR n", "INCR n", "SELECT 1", "GET n", "INFO keyspace", "FLUSHDB", "DBSIZE",
                "SELECT 0", "DBSIZE", "INFO keyspace", "FLUSHDB SYNC", "FLUSHDB ASYNC", "FLUSHDB BOGUS", "FLUSHDB a b",
                "SELECT 2", "DBSIZE", "FLUSHALL", "DBSIZE", "INFO keyspace");
    }

    @Test
    void moveAndItsErrors() throws IOException {
        same("FLUSHALL", "SET a v", "RPUSH l x y", "PEXPIRE l 100000000", "SADD s m", "MOVE a 1", "MOVE a 1",
                "MOVE none 1", "MOVE l 2", "MOVE s 0", "MOVE s 16", "MOVE s -1", "MOVE s x", "MOVE s 1.5",
                "MOVE s 99999999999", "MOVE s 99999999999999999999", "MOVE s", "MOVE s 1 2", "SELECT 1", "GET a", "SET s other", "SELECT 0",
                "MOVE s 1", "TYPE s", "SELECT 2", "LRANGE l 0 -1", "TTL l", "MOVE l 0", "EXISTS l", "SELECT 0",
                "LRANGE l 0 -1", "TTL l", "SET a here", "SELECT 1", "MOVE a 0", "GET a");
    }

    @Test
    void swapdbAndItsErrors() throws IOException {
        same("FLUSHALL", "MSET a 0 b 0 c 0", "SELECT 1", "MSET a 1 d 1", "SWAPDB 0 1", "MGET a b c d", "DBSIZE",
                "SELECT 0", "MGET a b c d", "DBSIZE", "SWAPDB 1 0", "MGET a b c d", "SWAPDB 0 0", "SWAPDB 3 3",
                "SWAPDB 0 16", "SWAPDB 16 0", "SWAPDB -1 0", "SWAPDB x 0", "SWAPDB 0 y", "SWAPDB x y", "SWAPDB 1.5 0",
                "SWAPDB 99999999999 0", "SWAPDB 0", "SWAPDB 0 1 2", "SWAPDB 0 15", "DBSIZE", "SELECT 15", "MGET a b c d",
                "SWAPDB 15 0", "SELECT 0", "INFO keyspace");
    }

    @Test
    void copyToAnotherDatabase() throws IOException {
        same("FLUSHALL", "SADD s a", "SET k v", "COPY s s DB 1", "COPY s s DB 1", "COPY s s DB 1 REPLACE",
                "COPY s t DB 2", "COPY k k DB 0", "COPY k k", "COPY k k2 DB 16", "COPY k k2 DB -1", "COPY k k2 DB x",
                "COPY k k2 DB 16 BOGUS", "COPY k k2 DB 99999999999", "COPY k k2 DB 99999999999999999999", "COPY k k2 BOGUS DB 16", "COPY k k2 DB", "COPY none k DB 1", "SELECT 1",
                "SMEMBERS s", "SET k other", "SELECT 0", "COPY k k DB 1", "COPY k k DB 1 REPLACE", "SELECT 1", "GET k",
                "SELECT 2", "SMEMBERS t", "COPY t s DB 0", "SELECT 0", "SMEMBERS s");
    }
}
