package io.shardline.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Walks a segment file record by record, verifying each checksum and building its index, and says how
 * the valid records end: at the end of the file or in zero padding (clean), or in bytes that are no
 * record and are followed by none (a torn tail, which the caller may cut). Bytes that fail their
 * checksum with a valid record after them are an error, never skipped. Blocking; the I/O thread only.
 */
final class SegmentScanner {
    private final FileWindow window;
    private final CRC32C crc = new CRC32C();
    private final int maxPayload;
    private final int indexInterval;

    SegmentScanner(FileWindow window, int maxPayload, int indexInterval) {
        this.window = window;
        this.maxPayload = maxPayload;
        this.indexInterval = indexInterval;
    }

    /** What a scan found: the valid records, where they end, and whether non-record bytes follow them. */
    record Result(SegmentIndex index, int records, long end, long fileSize, boolean torn) {
    }

    Result scan(FileHandle file, long fileSize) throws IOException {
        window.invalidate();
        SegmentIndex index = new SegmentIndex(indexInterval);
        long pos = SegmentHeader.SIZE;
        int records = 0;
        while (true) {
            int length = recordAt(file, pos, fileSize);
            if (length < 0) {
                break;
            }
            index.maybeAdd(records, pos);
            records++;
            pos += RecordFormat.size(length);
        }
        if (pos >= fileSize || allZero(file, pos, fileSize)) {
            return new Result(index, records, pos, fileSize, false);
        }
        long next = nextValidRecord(file, pos + 1, fileSize);
        if (next >= 0) {
            throw new CorruptLogException(file.path(), pos, "the record there fails its length or checksum while a valid record "
                    + "follows at byte " + next + "; refusing to skip it (restore the file or cut it at byte " + pos + " by hand)");
        }
        return new Result(index, records, pos, fileSize, true);
    }

    /** The payload length of the valid record at {@code pos}, or -1. */
    private int recordAt(FileHandle file, long pos, long fileSize) throws IOException {
        if (pos + RecordFormat.HEADER > fileSize) {
            return -1;
        }
        int at = window.load(file, pos, RecordFormat.HEADER);
        if (window.available(pos) < RecordFormat.HEADER) {
            return -1;
        }
        int length = window.buffer().getInt(at);
        if (length < 0 || length > maxPayload || pos + RecordFormat.size(length) > fileSize) {
            return -1;
        }
        at = window.load(file, pos, RecordFormat.size(length));
        int have = window.available(pos);
        return RecordFormat.validLength(crc, window.buffer(), at, at + Math.min(have, RecordFormat.size(length)), maxPayload);
    }

    private boolean allZero(FileHandle file, long from, long to) throws IOException {
        long pos = from;
        while (pos < to) {
            int at = window.load(file, pos, (int) Math.min(to - pos, 1 << 16));
            int n = (int) Math.min(window.available(pos), to - pos);
            if (n <= 0) {
                return true;
            }
            ByteBuffer b = window.buffer();
            for (int i = 0; i < n; i++) {
                if (b.get(at + i) != 0) {
                    return false;
                }
            }
            pos += n;
        }
        return true;
    }

    private long nextValidRecord(FileHandle file, long from, long fileSize) throws IOException {
        for (long q = from; q + RecordFormat.HEADER <= fileSize; q++) {
            if (recordAt(file, q, fileSize) >= 0) {
                return q;
            }
        }
        return -1;
    }
}
