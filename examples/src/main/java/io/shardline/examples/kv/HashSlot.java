package io.shardline.examples.kv;

/**
 * Redis Cluster's hash slot of a key: {@code CRC16(key) mod 16384}, with the CRC16 Redis uses (XMODEM:
 * polynomial 0x1021, initial value 0, no reflection), hashing only the {@code {tag}} of a key that has
 * one. Stateless, any thread; allocates nothing.
 *
 * <p>The tag is what lies between the first {@code '{'} and the first {@code '}'} after it, when that
 * is not empty, as Redis' {@code keyHashSlot} finds it: {@code {user1}.a} and {@code {user1}.b} share
 * a slot, {@code {}a} and {@code a{}} hash whole.
 */
public final class HashSlot {
    /** Slots in Redis Cluster. */
    public static final int SLOTS = 16384;
    private static final int[] TABLE = table();

    private HashSlot() {
    }

    /** The slot of {@code key}, 0..16383. */
    public static int of(byte[] key) {
        return of(key, 0, key.length);
    }

    /** The slot of the key in {@code bytes[offset, offset + length)}. */
    public static int of(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int open = offset;
        while (open < end && bytes[open] != '{') {
            open++;
        }
        if (open < end) {
            for (int close = open + 1; close < end; close++) {
                if (bytes[close] == '}') {
                    if (close > open + 1) {
                        return crc16(bytes, open + 1, close - open - 1) & (SLOTS - 1);
                    }
                    break; // "{}": no tag, the whole key is hashed
                }
            }
        }
        return crc16(bytes, offset, length) & (SLOTS - 1);
    }

    /** CRC16/XMODEM of {@code bytes[offset, offset + length)}. */
    static int crc16(byte[] bytes, int offset, int length) {
        int crc = 0;
        for (int i = offset; i < offset + length; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }

    /** The byte-at-a-time table of the polynomial, computed rather than typed in. */
    private static int[] table() {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            t[i] = crc & 0xFFFF;
        }
        return t;
    }
}
