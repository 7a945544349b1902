package io.shardline.examples.kv.store;

import static io.shardline.examples.kv.store.TestShard.NIL;
import static io.shardline.examples.kv.store.TestShard.bulk;
import static io.shardline.examples.kv.store.TestShard.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the string, bitmap and key commands of issue 17 log, on a fake clock: relative and absolute
 * times become absolute, reads log nothing, a failed write logs nothing; and TTL-relative replies.
 */
class CommandBitStringJournalTest {
    private static final long T = TestShard.START;

    private final TestShard shard = new TestShard();

    private List<String> logged(String... args) {
        shard.journal.clear();
        shard.call(args);
        return shard.journalText();
    }

    @Test
    void getexLogsAbsoluteTimesPersistOrDelete() {
        shard.call("SET", "k", "v");
        assertEquals(List.of("PEXPIREAT k " + (T + 10_000)), logged("GETEX", "k", "EX", "10"));
        assertEquals(integer(10), shard.call("TTL", "k"));
        assertEquals(List.of("PEXPIREAT k " + (T + 7)), logged("GETEX", "k", "PX", "7"));
        assertEquals(List.of("PERSIST k"), logged("GETEX", "k", "PERSIST"));
        assertEquals(List.of(), logged("GETEX", "k", "PERSIST"), "nothing to persist");
        assertEquals(List.of(), logged("GETEX", "k"));
        assertEquals(List.of("DEL k"), logged("GETEX", "k", "PXAT", Long.toString(T)), "a time not in the future deletes");
        assertEquals(NIL, shard.call("GET", "k"));
        assertEquals(List.of(), logged("GETEX", "k", "EX", "10"));
    }

    @Test
    void relativeExpiryTimesReadBackAsAbsolute() {
        shard.call("SET", "k", "v", "EX", "100");
        assertEquals(integer(T / 1000 + 100), shard.call("EXPIRETIME", "k"));
        assertEquals(integer(T + 100_000), shard.call("PEXPIRETIME", "k"));
        shard.call("SET", "p", "v");
        assertEquals(integer(-1), shard.call("EXPIRETIME", "p"));
        assertEquals(integer(-2), shard.call("PEXPIRETIME", "none"));
        shard.clock.now += 99_400;
        assertEquals(integer(1), shard.call("TTL", "k"), "600 ms left rounds up");
        assertEquals(integer(T / 1000 + 100), shard.call("EXPIRETIME", "k"), "the absolute time does not move");
    }

    @Test
    void writesLogWhatReplaysToTheSameBytes() {
        assertEquals(List.of("SET d v"), logged("SET", "d", "v"));
        assertEquals(List.of("DEL d"), logged("GETDEL", "d"));
        assertEquals(List.of(), logged("GETDEL", "d"));
        assertEquals(List.of("MSET a 1 b 2"), logged("MSETNX", "a", "1", "b", "2"));
        assertEquals(List.of(), logged("MSETNX", "b", "3", "c", "4"));
        assertEquals(List.of("SETRANGE a 2 xy"), logged("SETRANGE", "a", "2", "xy"));
        assertEquals(List.of(), logged("SETRANGE", "a", "2", ""));
        assertEquals(List.of("SETBIT bits 9 1"), logged("SETBIT", "bits", "9", "1"));
        assertEquals(List.of(), logged("SETBIT", "bits", "9", "2"));
        assertEquals(List.of("BITFIELD bits INCRBY u8 0 3"), logged("BITFIELD", "bits", "INCRBY", "u8", "0", "3"));
        assertEquals(List.of(), logged("BITFIELD", "bits", "GET", "u8", "0"));
        assertEquals(List.of(), logged("BITFIELD_RO", "bits", "GET", "u8", "0"));
        shard.call("SET", "x", "\u0001");
        assertEquals(List.of("SET dest \u0001", "APPEND dest "), logged("BITOP", "AND", "dest", "x", "x"),
                "an APPEND of nothing makes the replayed result raw, as BITOP's is");
        assertEquals(List.of("DEL dest"), logged("BITOP", "OR", "dest", "none"));
        assertEquals(List.of(), logged("BITOP", "OR", "dest", "none"));
        assertEquals(List.of("RENAME x y"), logged("RENAME", "x", "y"));
        assertEquals(List.of(), logged("RENAMENX", "y", "a"));
        assertEquals(List.of("COPY y z"), logged("COPY", "y", "z"));
        assertEquals(List.of(), logged("COPY", "y", "z"));
        assertEquals(List.of(), logged("LCS", "y", "z"));
        assertEquals(List.of(), logged("TOUCH", "y", "z"));
    }

    @Test
    void aCopyIsIndependentOfItsSource() {
        shard.call("SET", "s", "abc");
        shard.call("COPY", "s", "c");
        shard.call("SETBIT", "s", "0", "1"); // changes the source's bytes in place
        assertEquals(bulk("abc"), shard.call("GET", "c"));
        shard.call("RPUSH", "l", "a", "b");
        shard.call("COPY", "l", "l2");
        shard.call("RPUSH", "l", "c");
        assertEquals(integer(2), shard.call("LLEN", "l2"));
    }

    @Test
    void rebuildCommandsRecreateEveryTypeWithItsTtl() {
        shard.call("RPUSH", "l", "a", "b");
        shard.call("PEXPIREAT", "l", Long.toString(T + 5000));
        shard.call("ZADD", "z", "1.5", "m", "-inf", "n");
        shard.call("SET", "s", "v", "PXAT", Long.toString(T + 9000));
        KeyCopyCommands copies = shard.commands.keyCopies();
        assertEquals(List.of("RPUSH l2 a b", "PEXPIREAT l2 " + (T + 5000)), text(copies.rebuild(bytes("l"), bytes("l2"))));
        assertEquals(List.of("ZADD z2 -Infinity n 1.5 m"), text(copies.rebuild(bytes("z"), bytes("z2"))));
        assertEquals(List.of("SET s2 v PXAT " + (T + 9000)), text(copies.rebuild(bytes("s"), bytes("s2"))));
        assertEquals(null, copies.rebuild(bytes("none"), bytes("x")));
        for (byte[][] c : copies.rebuild(bytes("z"), bytes("z2"))) {
            shard.call(new String(c[0]), new String(c[1]), new String(c[2]), new String(c[3]), new String(c[4]), new String(c[5]));
        }
        assertEquals(shard.call("ZRANGE", "z", "0", "-1", "WITHSCORES").replace("*4", ""),
                shard.call("ZRANGE", "z2", "0", "-1", "WITHSCORES").replace("*4", ""));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static List<String> text(List<byte[][]> commands) {
        return commands.stream().map(c -> String.join(" ", java.util.Arrays.stream(c)
                .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).toList())).toList();
    }
}
