package io.shardline.examples.kv.store;

/**
 * Redis' CRC-64 (Jones polynomial, reflected input and output, initial value 0, no final xor), the
 * checksum that closes a DUMP payload and an RDB file. Stateless, any thread.
 *
 * <p>A byte-at-a-time table is enough here: DUMP and RESTORE are not hot paths, and the 2 KiB table
 * keeps the code obviously right. Check value: {@code "123456789"} gives {@code 0xe9c6d914c4b8d9ca}.
 */
final class Crc64 {
    /** The Jones polynomial 0xad93d23594c935a9, bit-reversed for the reflected algorithm. */
    private static final long POLY_REFLECTED = 0x95AC9329AC4BC9B5L;
    private static final long[] TABLE = new long[256];

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
            }
            TABLE[n] = crc;
        }
    }

    private Crc64() {
    }

    /** The CRC of {@code b[from, to)} continuing from {@code crc} (0 to start). */
    static long update(long crc, byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            crc = TABLE[(int) ((crc ^ b[i]) & 0xFF)] ^ (crc >>> 8);
        }
        return crc;
    }
}
