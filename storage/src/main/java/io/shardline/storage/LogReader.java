package io.shardline.storage;

import io.shardline.core.Future;
import io.shardline.core.Promise;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The read side of a {@link SegmentedLog}: reads by offset and scans, through the sparse index of each
 * segment. Owned by the log's loop; not thread-safe. A read of a record staged but not yet written
 * waits for the write in flight. Each read is a {@link RecordFetch} on the loop whose loads are
 * {@link FileIo#read}s, so on a ring backend reads go to the loop's ring like the writes.
 */
final class LogReader {
    private static final int SCAN_BATCH_BYTES = 256 << 10;

    private final LogConfig config;
    private final FileIo io;
    private final List<Segment> segments;
    private final GroupCommitWriter writer;
    private final Context context;

    /** What every fetch of this reader shares: all of it used on the loop only. */
    record Context(FileIo io, ArrayDeque<ByteBuffer> windows, ArrayDeque<ByteBuffer> scanWindows, CRC32C crc, int block,
            int maxPayload) {
    }

    LogReader(LogConfig config, FileIo io, List<Segment> segments, GroupCommitWriter writer, int block) {
        this.config = config;
        this.io = io;
        this.segments = segments;
        this.writer = writer;
        this.context = new Context(io, new ArrayDeque<>(), new ArrayDeque<>(), new CRC32C(), block, config.maxRecordBytes());
    }

    Future<byte[]> read(long offset) {
        if (offset < startOffset() || offset >= writer.nextOffset()) {
            return Future.failed(outOfRange(offset));
        }
        if (offset >= writer.writtenOffset()) {
            return writer.whenWritten().flatMap(v -> read(offset));
        }
        Segment s = segmentOf(offset);
        int rel = (int) (offset - s.baseOffset);
        int entry = s.index.floor(rel);
        long pos = s.index.positionAt(entry);
        int fromRel = s.index.relOffsetAt(entry);
        Promise<byte[]> p = new Promise<>(io.loop());
        RecordFetch.one(context, s, pos, fromRel, rel, s.writtenEnd, p);
        return p;
    }

    Future<Long> scan(long from, long maxRecords, RecordConsumer consumer) {
        long next = writer.nextOffset();
        if (from < startOffset() || from > next) {
            return Future.failed(outOfRange(from));
        }
        long end = maxRecords >= next - from ? next : from + Math.max(0, maxRecords);
        return scanFrom(from, end, 0, consumer);
    }

    private Future<Long> scanFrom(long from, long end, long done, RecordConsumer consumer) {
        if (from >= end) {
            return Future.succeeded(done);
        }
        if (from < startOffset()) {
            return Future.failed(outOfRange(from));
        }
        long written = writer.writtenOffset();
        if (from >= written) {
            return writer.whenWritten().flatMap(v -> scanFrom(from, end, done, consumer));
        }
        Segment s = segmentOf(from);
        int rel = (int) (from - s.baseOffset);
        int entry = s.index.floor(rel);
        long pos = s.index.positionAt(entry);
        int fromRel = s.index.relOffsetAt(entry);
        long want = Math.min(end, Math.min(s.nextOffset(), written)) - from;
        Promise<ByteBuffer> read = new Promise<>(io.loop());
        RecordFetch.range(context, s, pos, fromRel, rel, s.writtenEnd, SCAN_BATCH_BYTES, want, read);
        return read.flatMap(batch -> {
            long offset = from;
            long count = done;
            while (batch.hasRemaining()) {
                int length = batch.getInt();
                batch.getInt();
                ByteBuffer payload = batch.slice(batch.position(), length);
                batch.position(batch.position() + length);
                count++;
                if (!consumer.accept(offset++, payload)) {
                    return Future.succeeded(count);
                }
            }
            return scanFrom(offset, end, count, consumer);
        });
    }

    long startOffset() {
        return segments.get(0).baseOffset;
    }

    private Segment segmentOf(long offset) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).baseOffset <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return segments.get(lo);
    }

    private IllegalArgumentException outOfRange(long offset) {
        return new IllegalArgumentException("offset " + offset + " is outside log " + config.directory() + " ["
                + startOffset() + ", " + writer.nextOffset() + ")");
    }
}
