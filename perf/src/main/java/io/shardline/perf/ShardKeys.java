package io.shardline.perf;

import java.nio.charset.StandardCharsets;

/**
 * Which of Shardline kv's shards a key lives on, as the server places it, so that the
 * {@code kv-features} suite can pick keys on different shards; stateless, any thread. The server
 * hashes a key to Redis Cluster's slot (CRC16/XMODEM of the key, or of its {@code {tag}}, mod 16384,
 * examples' {@code kv.HashSlot}) and gives shard i of n the slots {@code [i * 16384 / n, (i + 1) *
 * 16384 / n)} ({@code kv.SlotTable.evenSplit}). perf does not depend on examples, so the few lines are
 * repeated here; the suite checks them against the server's own {@code CLUSTER KEYSLOT} where it has one.
 */
final class ShardKeys {
    static final int SLOTS = 16384;

    private ShardKeys() {
    }

    /** The hash slot of {@code key}: its tag's when it has a non-empty one, as Redis Cluster does. */
    static int slot(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int open = 0;
        while (open < k.length && k[open] != '{') {
            open++;
        }
        if (open < k.length) {
            for (int close = open + 1; close < k.length; close++) {
                if (k[close] == '}') {
                    if (close > open + 1) {
                        return crc16(k, open + 1, close) % SLOTS;
                    }
                    break; // "{}": no tag, the whole key counts
                }
            }
        }
        return crc16(k, 0, k.length) % SLOTS;
    }

    /** The shard of {@code slot} when {@code shards} shards split the slots evenly, in contiguous ranges. */
    static int shardOfSlot(int slot, int shards) {
        return (int) (((slot + 1L) * shards - 1) / SLOTS);
    }

    static int shardOf(String key, int shards) {
        return shardOfSlot(slot(key), shards);
    }

    /**
     * The first key {@code prefix + n} (n = 0, 1, ...) that lives on {@code shard} of {@code shards}:
     * each try lands on a given shard with probability 1 / shards, so few are needed.
     */
    static String keyOnShard(String prefix, int shard, int shards) {
        if (shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + shard + " of " + shards);
        }
        for (int n = 0; ; n++) {
            String key = prefix + n;
            if (shardOf(key, shards) == shard) {
                return key;
            }
        }
    }

    /** CRC16/XMODEM (polynomial 0x1021, initial 0, not reflected) of {@code b[from, to)}, bit by bit: keys are few. */
    static int crc16(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (b[i] & 0xFF) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xFFFF;
        }
        return crc;
    }
}
