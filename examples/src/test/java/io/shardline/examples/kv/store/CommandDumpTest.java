package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DUMP and RESTORE on one keyspace with a fake clock: replies and errors in Redis' order of checks,
 * TTL, ABSTTL and REPLACE, and the journal form replaying to the same key.
 */
class CommandDumpTest {
    private static final long T = TestShard.START;

    private final TestShard shard = new TestShard();

    /** DUMP's payload as the Latin-1 text TestShard passes arguments in. */
    private String dump(String key) {
        String reply = shard.call("DUMP", key);
        assertTrue(reply.startsWith("$") && !reply.equals("$-1\r\n"), reply);
        return reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
    }

    @Test
    void dumpOfEveryTypeRestoresToTheSameValue() {
        shard.call("SET", "s", "12345");
        shard.call("SET", "t", "hello world");
        shard.call("RPUSH", "l", "a", "b", "7", "a");
        shard.call("SADD", "st", "x", "y", "3");
        shard.call("HSET", "h", "f", "v", "g", "10");
        shard.call("ZADD", "z", "1.5", "a", "-inf", "b", "3", "c");
        String[][] reads = {{"GET", "s"}, {"GET", "t"}, {"LRANGE", "l", "0", "-1"}, {"SMISMEMBER", "st", "x", "y", "3", "q"},
            {"HGETALL", "h"}, {"ZRANGE", "z", "0", "-1", "WITHSCORES"}};
        for (String[] read : reads) {
            String before = shard.call(read);
            String original = read[1];
            assertEquals("+OK\r\n", shard.call("RESTORE", original + "2", "0", dump(original)));
            read[1] = original + "2";
            assertEquals(before, shard.call(read), String.join(" ", read));
            assertEquals(shard.call("TYPE", original), shard.call("TYPE", read[1]));
        }
        assertEquals("$-1\r\n", shard.call("DUMP", "missing"));
        shard.call("XADD", "stream", "1-1", "f", "v");
        shard.call("XADD", "stream", "2-0", "f", "w", "g", "12345678901");
        shard.call("XADD", "stream", "3-5", "f", "x");
        shard.call("XDEL", "stream", "2-0");
        shard.call("XGROUP", "CREATE", "stream", "grp", "0");
        shard.call("XREADGROUP", "GROUP", "grp", "alice", "COUNT", "1", "STREAMS", "stream", ">");
        assertEquals("+OK\r\n", shard.call("RESTORE", "stream2", "0", dump("stream")));
        for (String[] read : new String[][] {{"XRANGE", "?", "-", "+"}, {"XINFO", "STREAM", "?", "FULL"}, {"XPENDING", "?", "grp"}}) {
            read[read[0].equals("XINFO") ? 2 : 1] = "stream";
            String before = shard.call(read);
            read[read[0].equals("XINFO") ? 2 : 1] = "stream2";
            assertEquals(before, shard.call(read), String.join(" ", read));
        }
        assertEquals(dump("stream"), dump("stream2"), "a restored stream dumps to the same bytes, tombstone included");
    }

    @Test
    void restoreChecksInRedisOrder() {
        shard.call("SET", "k", "v");
        String payload = dump("k");
        assertEquals("-ERR syntax error\r\n", shard.call("RESTORE", "k", "0", payload, "BOGUS"));
        assertEquals("-ERR syntax error\r\n", shard.call("RESTORE", "k", "0", payload, "IDLETIME"));
        assertEquals("-ERR value is not an integer or out of range\r\n", shard.call("RESTORE", "k", "0", payload, "IDLETIME", "x"));
        assertEquals("-ERR Invalid IDLETIME value, must be >= 0\r\n", shard.call("RESTORE", "k", "0", payload, "IDLETIME", "-1"));
        assertEquals("-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n", shard.call("RESTORE", "k", "0", payload, "FREQ", "256"));
        assertEquals("-ERR syntax error\r\n", shard.call("RESTORE", "k", "0", payload, "IDLETIME", "1", "FREQ", "1"),
                "IDLETIME and FREQ exclude each other");
        assertEquals("-BUSYKEY Target key name already exists.\r\n", shard.call("RESTORE", "k", "-5", "junk"),
                "the key is checked before the TTL and payload");
        assertEquals("-ERR value is not an integer or out of range\r\n", shard.call("RESTORE", "n", "x", payload));
        assertEquals("-ERR Invalid TTL value, must be >= 0\r\n", shard.call("RESTORE", "n", "-1", payload));
        assertEquals("-ERR DUMP payload version or checksum are wrong\r\n", shard.call("RESTORE", "n", "0", "junk"));
        char[] flipped = payload.toCharArray();
        flipped[1] ^= 1;
        assertEquals("-ERR DUMP payload version or checksum are wrong\r\n", shard.call("RESTORE", "n", "0", new String(flipped)));
        byte[] stream = new byte[] {15, 0};
        String streamPayload = new String(sealed(stream), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals("-ERR Bad data format\r\n", shard.call("RESTORE", "n", "0", streamPayload));
        assertEquals(":0\r\n", shard.call("EXISTS", "n"));
        assertEquals("+OK\r\n", shard.call("RESTORE", "n", "0", payload, "IDLETIME", "10", "REPLACE", "ABSTTL"));
        assertEquals(10, idle("n"), "IDLETIME sets the access time OBJECT IDLETIME reads");
        shard.advance(5_000);
        assertEquals(15, idle("n"));
        assertEquals("+OK\r\n", shard.call("RESTORE", "n", "0", payload, "FREQ", "7", "REPLACE"));
        assertEquals(0, idle("n"));
    }

    @Test
    void ttlAbsttlAndReplace() {
        shard.call("RPUSH", "l", "a", "b");
        String payload = dump("l");
        assertEquals("+OK\r\n", shard.call("RESTORE", "r", "5000", payload));
        assertEquals(":5000\r\n", shard.call("PTTL", "r"));
        assertEquals("+OK\r\n", shard.call("RESTORE", "a", Long.toString(T + 700), payload, "ABSTTL"));
        assertEquals(":700\r\n", shard.call("PTTL", "a"));
        shard.call("SET", "x", "old");
        assertEquals("+OK\r\n", shard.call("RESTORE", "x", "0", payload, "REPLACE"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", shard.call("LRANGE", "x", "0", "-1"));
        assertEquals(":-1\r\n", shard.call("PTTL", "x"));
        shard.journal.clear();
        assertEquals("+OK\r\n", shard.call("RESTORE", "x", Long.toString(T - 1), payload, "REPLACE", "ABSTTL"),
                "a time already past deletes what REPLACE removed and adds nothing");
        assertEquals(":0\r\n", shard.call("EXISTS", "x"));
        assertEquals(List.of("DEL x"), shard.journalText());
        shard.journal.clear();
        assertEquals("+OK\r\n", shard.call("RESTORE", "gone", Long.toString(T), payload, "ABSTTL"));
        assertEquals(":0\r\n", shard.call("EXISTS", "gone"), "expiring exactly now is already expired for RESTORE");
        assertEquals(List.of(), shard.journalText());
    }

    @Test
    void journalFormReplaysToTheSameKeyAndAbsoluteTtl() {
        shard.call("ZADD", "z", "1", "a", "2", "b");
        String payload = dump("z");
        shard.journal.clear();
        shard.call("RESTORE", "r", "3000", payload);
        shard.call("RESTORE", "p", "0", payload);
        assertEquals(List.of("RESTORE r " + (T + 3000) + " " + payload + " REPLACE ABSTTL", "RESTORE p 0 " + payload + " REPLACE"),
                shard.journalText());
        List<byte[][]> log = List.copyOf(shard.journal);
        TestShard replica = new TestShard();
        replica.advance(1000); // replayed later: the TTL stays absolute
        for (byte[][] entry : log) {
            assertTrue(replica.replay(entry));
        }
        assertEquals(":" + (T + 3000) + "\r\n", replica.call("PEXPIRETIME", "r"));
        assertEquals(shard.call("ZRANGE", "r", "0", "-1", "WITHSCORES"), replica.call("ZRANGE", "r", "0", "-1", "WITHSCORES"));
        assertEquals(":-1\r\n", replica.call("PTTL", "p"));
    }

    private long idle(String key) {
        Entry e = shard.keyspace.peek(new Bytes(key.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        return ObjectCommands.idleSeconds(shard.keyspace.lruClock(), e.lru());
    }

    private static byte[] sealed(byte[] body) {
        byte[] p = java.util.Arrays.copyOf(body, body.length + 10);
        p[body.length] = 11;
        long crc = Crc64.update(0, p, 0, body.length + 2);
        for (int i = 0; i < 8; i++) {
            p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }
}
