package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The keyspace's byte accounting, string encodings (embedded and raw), and the memory limit. */
class KeyspaceMemoryTest {
    private final TestShard shard = new TestShard();
    private final Keyspace ks = shard.keyspace;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private Entry entry(String key) {
        byte[] k = b(key);
        return ks.lookup(k, 0, k.length);
    }

    @Test
    void aStringKeyCostsItsRecordEntryAndSlotsAndLeavesNothingWhenDeleted() {
        long empty = ks.usedMemory();
        shard.call("SET", "key:000000000001", "x".repeat(100));
        long one = ks.usedMemory() - empty;
        // One Entry object and one record of flags, LRU clock, length, key and value: no other object per key.
        long record = HeapLayout.byteArray(5 + 16 + 100);
        assertEquals(HeapLayout.object(2, 0) + record, one, "tables still at their first size");
        shard.call("SET", "key:000000000001", "y".repeat(100));
        assertEquals(empty + one, ks.usedMemory(), "an overwrite of the same length changes nothing");
        shard.call("SET", "key:000000000001", "short");
        assertTrue(ks.usedMemory() < empty + one, "a shorter value shrinks the record");
        shard.call("DEL", "key:000000000001");
        assertEquals(empty, ks.usedMemory());
    }

    @Test
    void collectionsAreCountedAgainAfterEachCommandThatChangesThem() {
        long empty = ks.usedMemory();
        shard.call("RPUSH", "l", "a", "b", "c");
        long three = ks.usedMemory();
        shard.call("RPUSH", "l", "d", "e", "f");
        long six = ks.usedMemory();
        assertTrue(six - three > 0 && three > empty, empty + " " + three + " " + six);
        shard.call("LPOP", "l", "3");
        assertEquals(three, ks.usedMemory(), "popping back to three elements gives the bytes back");
        shard.call("HSET", "h", "f1", "v1", "f2", "v2");
        shard.call("SADD", "s", "m");
        shard.call("ZADD", "z", "1", "m");
        shard.call("RENAME", "h", "h2");
        shard.call("DEL", "l", "h2", "s", "z");
        assertEquals(empty, ks.usedMemory(), "every collection's bytes went with it");
        for (int i = 0; i < 1000; i++) {
            shard.call("SET", "k" + i, "v", "EX", "100");
        }
        shard.call("FLUSHALL");
        ks.flush();
        assertEquals(empty, ks.usedMemory(), "a flush returns the tables to their first size");
    }

    @Test
    void anEditedStringMovesOutOfItsRecordAndKeepsItsValue() {
        shard.call("SET", "k", "abc");
        Entry e = entry("k");
        assertSame(e.keyBytes(), e.stringBytes(), "short strings are embedded in the record");
        shard.call("SETRANGE", "k", "1", "XY");
        assertEquals("$3\r\naXY\r\n", shard.call("GET", "k"));
        assertEquals(":0\r\n", shard.call("SETBIT", "k", "6", "1"));
        assertEquals("$3\r\ncXY\r\n", shard.call("GET", "k"), "'a' with its 0x02 bit set");
        String longValue = "z".repeat(Entry.EMBED_MAX + 1);
        shard.call("SET", "big", longValue);
        Entry big = entry("big");
        assertFalse(big.stringBytes() == big.keyBytes(), "a long string keeps an array of its own");
        assertEquals(longValue.length(), big.stringLength());
        shard.call("APPEND", "k", "!");
        assertEquals(":4\r\n", shard.call("STRLEN", "k"));
    }

    @Test
    void keysLongerThan254BytesUseTheWideLengthForm() {
        String longKey = "k".repeat(300);
        shard.call("SET", longKey, "v");
        assertEquals("$1\r\nv\r\n", shard.call("GET", longKey));
        Entry e = entry(longKey);
        assertEquals(300, e.keyLength());
        assertEquals(9, e.keyOffset());
        assertEquals(":1\r\n", shard.call("DEL", longKey));
    }

    @Test
    void theLimitCountsTheIncomingBytes() {
        shard.call("SET", "k", "x".repeat(1000));
        long used = ks.usedMemory();
        assertFalse(ks.exceedsMemoryLimit(1 << 30), "no limit set");
        ks.setMemoryLimit(used + 500);
        assertFalse(ks.exceedsMemoryLimit(400));
        assertTrue(ks.exceedsMemoryLimit(600), "one value larger than the room left");
        shard.call("DEL", "k");
        assertFalse(ks.exceedsMemoryLimit(1000), "a delete makes room");
    }
}
