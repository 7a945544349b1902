package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Redis Cluster's key slots: the CRC16 Redis uses, hash tags as Redis finds them, and the even slot table. */
class HashSlotTest {

    private static int slot(String key) {
        return HashSlot.of(key.getBytes(StandardCharsets.UTF_8));
    }

    private static int crc(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return HashSlot.crc16(b, 0, b.length);
    }

    @Test
    void theCrcIsXmodem() {
        assertEquals(0x31C3, crc("123456789"), "CRC-16/XMODEM's check value, which Redis' crc16.c also gives");
        assertEquals(0, crc(""));
    }

    /** Values from Redis' documentation and a cluster-mode redis-server's CLUSTER KEYSLOT. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"foo, 12182", "bar, 5061", "somekey, 11058", "foo{hash_tag}, 2515", "{hash_tag}, 2515", "{}a, 10875"})
    void knownSlots(String key, int expected) {
        assertEquals(expected, slot(key));
    }

    @Test
    void aTagIsBetweenTheFirstOpenBraceAndTheNextCloseBrace() {
        assertEquals(slot("{user1000}.following"), slot("{user1000}.followers"));
        assertEquals(crc("user1000") & 16383, slot("{user1000}.following"));
        assertEquals(crc("bar") & 16383, slot("foo{bar}{zap}"), "the first tag only");
        assertEquals(crc("{bar") & 16383, slot("foo{{bar}}zap"), "from the first '{' to the next '}'");
        assertEquals(crc("foo{}{bar}") & 16383, slot("foo{}{bar}"), "an empty tag hashes the whole key");
        assertEquals(crc("foo{bar") & 16383, slot("foo{bar"), "no closing brace");
        assertEquals(crc("foo}bar{") & 16383, slot("foo}bar{"));
        byte[] framed = "xx{t}yy".getBytes(StandardCharsets.UTF_8);
        assertEquals(slot("{t}"), HashSlot.of(framed, 2, 3), "a slice of a larger buffer");
    }

    @ParameterizedTest(name = "{0} shards")
    @ValueSource(ints = {1, 2, 3, 5, 7, 1024})
    void theEvenSplitGivesEachShardOneRangeOfNearlyEqualSize(int shards) {
        SlotTable table = SlotTable.evenSplit(shards);
        int[] count = new int[shards];
        int previous = 0;
        for (int s = 0; s < HashSlot.SLOTS; s++) {
            int owner = table.shardOfSlot(s);
            assertTrue(owner == previous || owner == previous + 1, "ranges are contiguous and in order at slot " + s);
            assertEquals(owner, SlotTable.evenOwner(s, shards));
            count[owner]++;
            previous = owner;
        }
        assertEquals(0, table.shardOfSlot(0));
        assertEquals(shards - 1, table.shardOfSlot(HashSlot.SLOTS - 1));
        for (int c : count) {
            assertTrue(c == HashSlot.SLOTS / shards || c == HashSlot.SLOTS / shards + 1, "range size " + c);
        }
        byte[] key = "{user1000}.following".getBytes(StandardCharsets.UTF_8);
        assertEquals(table.shardOfSlot(HashSlot.of(key)), table.shardOf(key));
    }
}
