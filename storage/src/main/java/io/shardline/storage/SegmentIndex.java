package io.shardline.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A sparse offset index of one segment: every entry maps a record's offset (relative to the
 * segment's base) to its byte position, one entry per {@code interval} bytes of records, so a read by
 * offset is a binary search plus a scan of at most one interval. Owned by the segment's log, on its
 * loop; built on the I/O thread during recovery and handed over through the completion queue.
 */
final class SegmentIndex {
    private static final int INDEX_MAGIC = 0x53484C49; // "SHLI"
    private final int interval;
    private int[] relOffsets = new int[16];
    private int[] positions = new int[16];
    private int count;
    private long lastIndexedPosition = Long.MIN_VALUE;

    SegmentIndex(int interval) {
        this.interval = interval;
    }

    /** Notes the record {@code relOffset} at byte {@code position}; keeps it if an interval has passed. */
    void maybeAdd(int relOffset, long position) {
        if (count > 0 && position - lastIndexedPosition < interval) {
            return;
        }
        if (count == relOffsets.length) {
            relOffsets = Arrays.copyOf(relOffsets, count * 2);
            positions = Arrays.copyOf(positions, count * 2);
        }
        relOffsets[count] = relOffset;
        positions[count] = (int) position;
        count++;
        lastIndexedPosition = position;
    }

    /** The index of the last entry whose offset is at most {@code relOffset}; entry 0 if none is. */
    int floor(int relOffset) {
        int lo = 0;
        int hi = count - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (relOffsets[mid] <= relOffset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    int relOffsetAt(int entry) {
        return relOffsets[entry];
    }

    int positionAt(int entry) {
        return positions[entry];
    }

    // ---- the .idx file of a sealed segment: magic, interval, segment end, record count, entries, crc

    ByteBuffer encode(long segmentEnd, int records, long sealedAtMillis) {
        ByteBuffer b = ByteBuffer.allocate(32 + 8 * count + 4);
        b.putInt(INDEX_MAGIC).putInt(interval).putLong(segmentEnd).putInt(records).putInt(count).putLong(sealedAtMillis);
        for (int i = 0; i < count; i++) {
            b.putInt(relOffsets[i]).putInt(positions[i]);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    /** A decoded .idx file, or null if the bytes are not a whole valid index. */
    static Decoded decode(ByteBuffer b) {
        if (b.remaining() < 36 || b.getInt(0) != INDEX_MAGIC) {
            return null;
        }
        int entries = b.getInt(20);
        if (entries < 0 || b.remaining() != 32 + 8L * entries + 4) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(b.slice(0, b.remaining() - 4));
        if ((int) crc.getValue() != b.getInt(b.remaining() - 4)) {
            return null;
        }
        SegmentIndex index = new SegmentIndex(b.getInt(4));
        index.relOffsets = new int[Math.max(1, entries)];
        index.positions = new int[Math.max(1, entries)];
        for (int i = 0; i < entries; i++) {
            index.relOffsets[i] = b.getInt(32 + 8 * i);
            index.positions[i] = b.getInt(36 + 8 * i);
        }
        index.count = entries;
        index.lastIndexedPosition = entries > 0 ? index.positions[entries - 1] : Long.MIN_VALUE;
        return new Decoded(index, b.getLong(8), b.getInt(16), b.getLong(24));
    }

    record Decoded(SegmentIndex index, long segmentEnd, int records, long sealedAtMillis) {
    }
}
