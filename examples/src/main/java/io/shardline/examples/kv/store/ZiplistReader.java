package io.shardline.examples.kv.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads Redis' ziplist byte format (ziplist.c), which RDB files and DUMP payloads from Redis before
 * 7.0 use for small lists, hashes and sorted sets. Stateless, any thread.
 *
 * <p>Layout: total bytes (uint32 LE), tail offset (uint32 LE), count (uint16 LE, 65535 when unknown),
 * entries, 0xFF. An entry is the previous entry's length (1 byte, or 0xFE then uint32 LE), an encoding
 * (6/14/32-bit string length, or a 16/32/64/24/8-bit signed integer, or a 4-bit immediate 0..12),
 * then the data.
 */
final class ZiplistReader {
    private static final int HEADER = 10;
    private static final int END = 0xFF;

    private ZiplistReader() {
    }

    /** Every entry of the ziplist {@code zl}, integers as their decimal text; throws on a malformed one. */
    static List<byte[]> entries(byte[] zl) {
        if (zl.length < HEADER + 1 || ListpackReader.le(zl, 0, 4) != zl.length) {
            throw new RdbInput.Corrupt("ziplist size");
        }
        int count = (int) ListpackReader.le(zl, 8, 2);
        List<byte[]> out = new ArrayList<>(count == 65535 ? 16 : count);
        int p = HEADER;
        while (true) {
            ListpackReader.need(zl, p, 0);
            if ((zl[p] & 0xFF) == END) {
                break;
            }
            p += (zl[p] & 0xFF) < 0xFE ? 1 : 5; // skip prevlen
            ListpackReader.need(zl, p, 1);
            int enc = zl[p] & 0xFF;
            switch (enc >>> 6) {
                case 0 -> p = string(zl, p + 1, enc & 0x3F, out);
                case 1 -> {
                    ListpackReader.need(zl, p, 2);
                    p = string(zl, p + 2, (enc & 0x3F) << 8 | (zl[p + 1] & 0xFF), out);
                }
                case 2 -> {
                    ListpackReader.need(zl, p, 5);
                    long len = (zl[p + 1] & 0xFFL) << 24 | (zl[p + 2] & 0xFF) << 16 | (zl[p + 3] & 0xFF) << 8
                            | (zl[p + 4] & 0xFF); // big-endian, unlike everything else here
                    if (len > zl.length) {
                        throw new RdbInput.Corrupt("ziplist string length");
                    }
                    p = string(zl, p + 5, (int) len, out);
                }
                default -> p = integer(zl, p, enc, out);
            }
        }
        if (p != zl.length - 1 || (count != 65535 && count != out.size())) {
            throw new RdbInput.Corrupt("ziplist count or trailer");
        }
        return out;
    }

    private static int string(byte[] zl, int from, int len, List<byte[]> out) {
        ListpackReader.need(zl, from, len);
        out.add(java.util.Arrays.copyOfRange(zl, from, from + len));
        return from + len;
    }

    private static int integer(byte[] zl, int p, int enc, List<byte[]> out) {
        int bytes = switch (enc) {
            case 0xC0 -> 2;
            case 0xD0 -> 4;
            case 0xE0 -> 8;
            case 0xF0 -> 3;
            case 0xFE -> 1;
            default -> {
                if (enc >= 0xF1 && enc <= 0xFD) {
                    out.add(ListpackReader.ascii((enc & 0x0F) - 1));
                    yield 0;
                }
                throw new RdbInput.Corrupt("ziplist encoding " + enc);
            }
        };
        if (bytes > 0) {
            ListpackReader.need(zl, p, 1 + bytes);
            int shift = 64 - 8 * bytes;
            out.add(ListpackReader.ascii(ListpackReader.le(zl, p + 1, bytes) << shift >> shift));
        }
        return p + 1 + bytes;
    }
}
