package io.shardline.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads records out of segment files, verifying each checksum it returns. Owned by one log; used only
 * in jobs on that log's I/O thread, so its window is never shared.
 */
final class RecordReader {
    private final FileWindow window;
    private final CRC32C crc = new CRC32C();
    private final int maxPayload;

    RecordReader(int block, int maxPayload) {
        this.window = new FileWindow(1 << 16, block);
        this.maxPayload = maxPayload;
    }

    /** The payload of record {@code targetRel}, walking from the indexed record {@code rel} at {@code pos}. */
    byte[] read(Segment s, long pos, int rel, int targetRel, long limit) throws IOException {
        window.invalidate();
        long p = pos;
        for (int r = rel; ; r++) {
            int length = lengthAt(s, p, limit);
            int at = window.load(s.handle, p, RecordFormat.size(length));
            if (r == targetRel) {
                verify(s, p, at, length, s.baseOffset + r);
                byte[] out = new byte[length];
                window.buffer().get(at + RecordFormat.HEADER, out);
                return out;
            }
            p += RecordFormat.size(length);
        }
    }

    /**
     * Up to {@code maxBytes} (at least one record) of framed records from {@code targetRel} on, all
     * verified, copied into a heap buffer; at most {@code maxRecords} records.
     */
    ByteBuffer readRange(Segment s, long pos, int rel, int targetRel, long limit, int maxBytes, long maxRecords)
            throws IOException {
        window.invalidate();
        long p = pos;
        int r = rel;
        while (r < targetRel) {
            p += RecordFormat.size(lengthAt(s, p, limit));
            r++;
        }
        byte[] out = new byte[Math.min(maxBytes, 1 << 16)];
        int size = 0;
        long records = 0;
        while (p < limit && records < maxRecords) {
            int length = lengthAt(s, p, limit);
            int framed = RecordFormat.size(length);
            if (records > 0 && size + framed > maxBytes) {
                break;
            }
            int at = window.load(s.handle, p, framed);
            verify(s, p, at, length, s.baseOffset + r);
            if (size + framed > out.length) {
                out = java.util.Arrays.copyOf(out, Math.max(size + framed, out.length * 2));
            }
            window.buffer().get(at, out, size, framed);
            size += framed;
            p += framed;
            r++;
            records++;
        }
        return ByteBuffer.wrap(out, 0, size);
    }

    private int lengthAt(Segment s, long p, long limit) throws IOException {
        if (p + RecordFormat.HEADER > limit) {
            throw new CorruptLogException(s.path, p, "record header runs past the end of the written data at byte " + limit);
        }
        int at = window.load(s.handle, p, RecordFormat.HEADER);
        if (window.available(p) < RecordFormat.HEADER) {
            throw new CorruptLogException(s.path, p, "file ends inside a record header");
        }
        int length = window.buffer().getInt(at);
        if (length < 0 || length > maxPayload || p + RecordFormat.size(length) > limit) {
            throw new CorruptLogException(s.path, p, "record length " + length + " is not valid there");
        }
        return length;
    }

    private void verify(Segment s, long p, int at, int length, long offset) {
        if (window.available(p) < RecordFormat.size(length)
                || RecordFormat.validLength(crc, window.buffer(), at, at + RecordFormat.size(length), maxPayload) != length) {
            throw new CorruptLogException(s.path, p, "record of offset " + offset + " fails its checksum");
        }
    }
}
