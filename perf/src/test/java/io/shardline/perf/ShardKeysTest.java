package io.shardline.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keys placed on Shardline kv's shards: Redis Cluster's hash slots and the even split of them. */
class ShardKeysTest {
    @Test
    void slotsAreRedisClusters() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x31C3, ShardKeys.crc16(check, 0, check.length), "CRC16/XMODEM's check value");
        // CLUSTER KEYSLOT's examples on redis.io, and a tag's rules
        assertEquals(11058, ShardKeys.slot("somekey"));
        assertEquals(2515, ShardKeys.slot("foo{hash_tag}"));
        assertEquals(ShardKeys.slot("hash_tag"), ShardKeys.slot("{hash_tag}.b"));
        assertEquals(ShardKeys.slot("user1000"), ShardKeys.slot("{user1000}.following"));
        assertEquals(ShardKeys.slot("foo{}{bar}"), ShardKeys.crc16(Resp.ascii("foo{}{bar}"), 0, 10) % 16384,
                "an empty tag: the whole key");
        assertEquals(ShardKeys.slot("{bar"), ShardKeys.crc16(Resp.ascii("{bar"), 0, 4) % 16384, "no closing brace");
    }

    @Test
    void twoShardsSplitTheSlotsInHalves() {
        assertEquals(0, ShardKeys.shardOfSlot(0, 2));
        assertEquals(0, ShardKeys.shardOfSlot(8191, 2));
        assertEquals(1, ShardKeys.shardOfSlot(8192, 2));
        assertEquals(1, ShardKeys.shardOfSlot(16383, 2));
        assertEquals(2, ShardKeys.shardOfSlot(16383, 3));
        assertEquals(1, ShardKeys.shardOfSlot(16384 / 3 + 1, 3));
        assertEquals(0, ShardKeys.shardOfSlot(16383, 1));
    }

    @Test
    void aKeyIsFoundOnTheShardAskedFor() {
        for (int shard = 0; shard < 4; shard++) {
            String key = ShardKeys.keyOnShard("p:", shard, 4);
            assertTrue(key.startsWith("p:"));
            assertEquals(shard, ShardKeys.shardOf(key, 4), key);
        }
        MultiExecLoad load = new MultiExecLoad(10, 1, 2);
        for (int i = 0; i < 10; i++) {
            assertEquals(0, ShardKeys.shardOf(load.keys(i).get(0), 2));
            assertEquals(1, ShardKeys.shardOf(load.keys(i).get(1), 2));
            assertNotEquals(load.keys(i).get(0), load.keys((i + 1) % 10).get(0), "each connection its own keys");
        }
    }
}
