package io.shardline.examples.kv.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads Redis' intset byte format (intset.c), RDB's form for a small set of integers. Stateless, any
 * thread.
 *
 * <p>Layout: element width in bytes (uint32 LE: 2, 4 or 8), count (uint32 LE), then the elements as
 * signed little-endian integers in ascending order.
 */
final class IntsetReader {
    private IntsetReader() {
    }

    /** The members of the intset {@code is} as decimal text; throws if it is malformed or out of order. */
    static List<byte[]> members(byte[] is) {
        if (is.length < 8) {
            throw new RdbInput.Corrupt("intset header");
        }
        long width = ListpackReader.le(is, 0, 4);
        long count = ListpackReader.le(is, 4, 4);
        if ((width != 2 && width != 4 && width != 8) || 8 + width * count != is.length) {
            throw new RdbInput.Corrupt("intset size");
        }
        int w = (int) width;
        int shift = 64 - 8 * w;
        List<byte[]> out = new ArrayList<>((int) count);
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            long v = ListpackReader.le(is, 8 + i * w, w) << shift >> shift;
            if (i > 0 && v <= previous) {
                throw new RdbInput.Corrupt("intset order");
            }
            previous = v;
            out.add(ListpackReader.ascii(v));
        }
        return out;
    }
}
