package io.shardline.storage;

import io.shardline.core.Future;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The read side of a {@link SegmentedLog}: reads by offset and scans, through the sparse index of each
 * segment. Owned by the log's loop; not thread-safe. A read of a record staged but not yet written
 * waits for the write in flight; the file work runs through the loop's {@link FileIo}.
 */
final class LogReader {
    private static final int SCAN_BATCH_BYTES = 256 << 10;

    private final LogConfig config;
    private final FileIo io;
    private final List<Segment> segments;
    private final GroupCommitWriter writer;
    /** Blocking: used only inside jobs on the I/O thread, one at a time. */
    private final RecordReader reader;

    LogReader(LogConfig config, FileIo io, List<Segment> segments, GroupCommitWriter writer, int block) {
        this.config = config;
        this.io = io;
        this.segments = segments;
        this.writer = writer;
        this.reader = new RecordReader(block, config.maxRecordBytes());
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
        long limit = s.writtenEnd;
        return io.run(() -> reader.read(s, pos, fromRel, rel, limit));
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
        long limit = s.writtenEnd;
        long want = Math.min(end, Math.min(s.nextOffset(), written)) - from;
        return io.run(() -> reader.readRange(s, pos, fromRel, rel, limit, SCAN_BATCH_BYTES, want)).flatMap(batch -> {
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
