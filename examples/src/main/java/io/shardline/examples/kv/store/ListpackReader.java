package io.shardline.examples.kv.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Redis' listpack byte format (listpack.c), the compact encoding RDB stores small lists, sets,
 * hashes and sorted sets in. Stateless, any thread.
 *
 * <p>Layout: total bytes (uint32 LE), element count (uint16 LE, 65535 when unknown), entries, 0xFF.
 * An entry is an encoding byte (7-bit uint, 6/12/32-bit string length, 13/16/24/32/64-bit signed int)
 * with its data, then a "backlen" of 1 to 5 bytes giving the entry's size for backward walks, which a
 * forward reader only skips.
 */
final class ListpackReader {
    private static final int HEADER = 6;
    private static final int END = 0xFF;
    private static final int UNKNOWN_COUNT = 65535;

    private ListpackReader() {
    }

    /** Every entry of the listpack {@code lp}, integers as their decimal text; throws on a malformed one. */
    static List<byte[]> entries(byte[] lp) {
        if (lp.length < HEADER + 1 || le(lp, 0, 4) != lp.length) {
            throw new RdbInput.Corrupt("listpack size");
        }
        int count = (int) le(lp, 4, 2);
        List<byte[]> out = new ArrayList<>(count == UNKNOWN_COUNT ? 16 : count);
        int p = HEADER;
        while (true) {
            need(lp, p, 0); // p may be the terminator itself
            int enc = lp[p] & 0xFF;
            if (enc == END) {
                break;
            }
            int start = p;
            if ((enc & 0x80) == 0) { // 0xxxxxxx: 7-bit unsigned
                out.add(ascii(enc));
                p += 1;
            } else if ((enc & 0xC0) == 0x80) { // 10xxxxxx: string up to 63 bytes
                p = string(lp, p + 1, enc & 0x3F, out);
            } else if ((enc & 0xE0) == 0xC0) { // 110xxxxx yyyyyyyy: 13-bit signed
                need(lp, p, 2);
                int u = (enc & 0x1F) << 8 | (lp[p + 1] & 0xFF);
                out.add(ascii(u >= 1 << 12 ? u - (1 << 13) : u));
                p += 2;
            } else if ((enc & 0xF0) == 0xE0) { // 1110xxxx yyyyyyyy: string up to 4095 bytes
                need(lp, p, 2);
                p = string(lp, p + 2, (enc & 0x0F) << 8 | (lp[p + 1] & 0xFF), out);
            } else {
                switch (enc) {
                    case 0xF0 -> { // 32-bit string length
                        need(lp, p, 5);
                        long len = le(lp, p + 1, 4);
                        if (len > lp.length) {
                            throw new RdbInput.Corrupt("listpack string length");
                        }
                        p = string(lp, p + 5, (int) len, out);
                    }
                    case 0xF1 -> p = integer(lp, p, 2, out);
                    case 0xF2 -> p = integer(lp, p, 3, out);
                    case 0xF3 -> p = integer(lp, p, 4, out);
                    case 0xF4 -> p = integer(lp, p, 8, out);
                    default -> throw new RdbInput.Corrupt("listpack encoding " + enc);
                }
            }
            p += backlenSize(p - start);
        }
        if (p != lp.length - 1 || (count != UNKNOWN_COUNT && count != out.size())) {
            throw new RdbInput.Corrupt("listpack count or trailer");
        }
        return out;
    }

    /** Bytes of the backlen that follows an entry of {@code size} bytes (lpEncodeBacklen's bounds, exactly). */
    static int backlenSize(int size) {
        return size <= 127 ? 1 : size < 16383 ? 2 : size < 2097151 ? 3 : size < 268435455 ? 4 : 5;
    }

    private static int string(byte[] lp, int from, int len, List<byte[]> out) {
        need(lp, from, len);
        out.add(java.util.Arrays.copyOfRange(lp, from, from + len));
        return from + len;
    }

    /** A signed little-endian integer of {@code bytes} bytes after the encoding byte at {@code p}. */
    private static int integer(byte[] lp, int p, int bytes, List<byte[]> out) {
        need(lp, p, 1 + bytes);
        long v = le(lp, p + 1, bytes);
        int shift = 64 - 8 * bytes;
        out.add(ascii(v << shift >> shift)); // sign-extend
        return p + 1 + bytes;
    }

    static long le(byte[] b, int from, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = v << 8 | (b[from + i] & 0xFF);
        }
        return v;
    }

    static void need(byte[] b, int from, int len) {
        if (len < 0 || from + (long) len > b.length - 1) { // the last byte is the terminator
            throw new RdbInput.Corrupt("truncated packed entry");
        }
    }

    static byte[] ascii(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
