package io.shardline.examples.kv.store;

import static io.shardline.examples.kv.store.TestShard.EMPTY;
import static io.shardline.examples.kv.store.TestShard.NIL;
import static io.shardline.examples.kv.store.TestShard.WRONGTYPE;
import static io.shardline.examples.kv.store.TestShard.error;
import static io.shardline.examples.kv.store.TestShard.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SADD, SREM, SMEMBERS, SPOP, SCARD, SISMEMBER. */
class CommandSetTest {
    private final TestShard shard = new TestShard();

    private String call(String... args) {
        return shard.call(args);
    }

    /** The bulk strings of an array reply, as a set. */
    private static Set<String> members(String reply) {
        String[] lines = reply.split("\r\n");
        Set<String> out = new HashSet<>();
        for (int i = 2; i < lines.length; i += 2) {
            out.add(lines[i]);
        }
        return out;
    }

    @Test
    void addRemoveAndQuery() {
        assertEquals(integer(3), call("SADD", "s", "a", "b", "c", "a"));
        assertEquals(integer(1), call("SADD", "s", "c", "d"));
        assertEquals(integer(4), call("SCARD", "s"));
        assertEquals(integer(1), call("SISMEMBER", "s", "a"));
        assertEquals(integer(0), call("SISMEMBER", "s", "z"));
        assertEquals(integer(0), call("SISMEMBER", "nokey", "a"));
        assertEquals(integer(0), call("SCARD", "nokey"));
        assertEquals(Set.of("a", "b", "c", "d"), members(call("SMEMBERS", "s")));
        assertEquals(EMPTY, call("SMEMBERS", "nokey"));
        assertEquals(integer(1), call("SREM", "s", "a", "z"));
        assertEquals(integer(0), call("SREM", "nokey", "a"));
        assertEquals(integer(3), call("SREM", "s", "b", "c", "d"));
        assertEquals(integer(0), call("EXISTS", "s"), "an emptied set is deleted");
    }

    @Test
    void spopWithoutCount() {
        assertEquals(NIL, call("SPOP", "nokey"));
        call("SADD", "one", "m");
        assertEquals(TestShard.bulk("m"), call("SPOP", "one"));
        assertEquals(integer(0), call("EXISTS", "one"));
        call("SADD", "s", "a", "b", "c");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String r = call("SPOP", "s");
            seen.add(r.substring(r.indexOf('\n') + 1, r.length() - 2));
        }
        assertEquals(Set.of("a", "b", "c"), seen);
        assertEquals(integer(0), call("EXISTS", "s"));
    }

    @Test
    void spopWithCount() {
        assertEquals(EMPTY, call("SPOP", "nokey", "3"));
        assertEquals(EMPTY, call("SPOP", "nokey", "0"));
        call("SADD", "s", "a", "b", "c", "d", "e");
        assertEquals(EMPTY, call("SPOP", "s", "0"));
        String two = call("SPOP", "s", "2");
        assertTrue(two.startsWith("*2\r\n"), two);
        Set<String> first = members(two);
        assertEquals(2, first.size());
        assertEquals(integer(3), call("SCARD", "s"));
        Set<String> rest = members(call("SPOP", "s", "10"));
        assertEquals(3, rest.size());
        rest.addAll(first);
        assertEquals(Set.of("a", "b", "c", "d", "e"), rest);
        assertEquals(integer(0), call("EXISTS", "s"));
    }

    @Test
    void spopErrors() {
        assertEquals(error("ERR value is out of range, must be positive"), call("SPOP", "nokey", "-1"));
        assertEquals(error("ERR value is out of range, must be positive"), call("SPOP", "nokey", "abc"));
        assertEquals(error("ERR syntax error"), call("SPOP", "s", "1", "2"));
    }

    @Test
    void wrongType() {
        call("SET", "k", "v");
        for (String[] c : new String[][] {{"SADD", "k", "x"}, {"SREM", "k", "x"}, {"SMEMBERS", "k"}, {"SCARD", "k"},
                {"SISMEMBER", "k", "x"}, {"SPOP", "k"}, {"SPOP", "k", "2"}}) {
            assertEquals(WRONGTYPE, call(c), Arrays.toString(c));
        }
    }

    @Test
    void spopTakesUniformMembers() {
        int[] hits = new int[4];
        for (int round = 0; round < 4000; round++) {
            call("SADD", "s", "0", "1", "2", "3");
            String r = call("SPOP", "s");
            hits[r.charAt(r.indexOf('\n') + 1) - '0']++;
            call("DEL", "s");
        }
        for (int h : hits) {
            assertTrue(h > 800 && h < 1200, Arrays.toString(hits)); // expected 1000 each; 6+ sigma bounds
        }
        assertEquals(EMPTY, call("SMEMBERS", "s"));
    }
}
