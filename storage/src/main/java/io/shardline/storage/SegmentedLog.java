package io.shardline.storage;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * A durable, segmented, append-only log of records. Owned by one loop: every method is called on that
 * loop's thread, and every returned future completes there. Its file I/O goes through the loop's
 * {@link FileIo}, so the loop never blocks on the disk.
 *
 * <p>Records get consecutive offsets from 0. Appends that arrive while a write (and, under
 * {@link Durability#always()}, its force) runs share the next one: group commit
 * ({@link GroupCommitWriter}). A future from {@link #append} means what the {@link Durability} says.
 * Reads and scans go through each segment's sparse index ({@link LogReader}); size and age limits and
 * snapshot truncation delete whole sealed segments ({@link LogRetention}).
 *
 * <p>After a write or force fails (a full disk, an I/O error) the log stops taking appends: they and
 * every append not yet written fail with a {@link StorageException} naming the file, and nothing
 * already acknowledged is touched. Reopen the log to go on.
 */
public final class SegmentedLog {
    private static final Logger LOG = Logger.getLogger(SegmentedLog.class.getName());

    private final LogConfig config;
    private final Loop loop;
    /** Oldest first, the last one active; shared by the three parts, all on this loop. */
    private final List<Segment> segments;
    private final RecoveryReport recovery;
    private final GroupCommitWriter writer;
    private final LogReader reader;
    private final LogRetention retention;

    private SegmentedLog(LogConfig config, FileIo io, LogRecovery.Recovered recovered) {
        this.config = config;
        this.loop = io.loop();
        this.segments = new ArrayList<>(recovered.segments());
        this.recovery = recovered.report();
        int block = segments.get(segments.size() - 1).handle.blockSize();
        this.writer = new GroupCommitWriter(config, io, segments, recovered.tailBlock(), this::afterRoll);
        this.reader = new LogReader(config, io, segments, writer, block);
        this.retention = new LogRetention(config, io, segments, writer::open);
    }

    /**
     * Opens (or creates) the log in {@code config.directory()} on the calling loop, recovering it: the
     * future fails with a {@link StorageException} naming the path if the directory holds something
     * that is not a readable log. Call on a loop.
     */
    public static Future<SegmentedLog> open(LogConfig config) {
        Loop loop = Loop.current();
        if (loop == null) {
            throw new IllegalStateException("SegmentedLog.open needs a loop: call it on a loop thread");
        }
        return open(config, Storage.fileIo(loop));
    }

    /** Opens the log with an explicit I/O backend; call on the backend's loop. */
    public static Future<SegmentedLog> open(LogConfig config, FileIo io) {
        return io.run(() -> new LogRecovery(config).recover()).map(rec -> {
            if (rec.report().repaired()) {
                LOG.warning("log " + config.directory() + ": " + rec.report());
            }
            return new SegmentedLog(config, io, rec);
        });
    }

    private void afterRoll() {
        if (retention.configured()) {
            retention.apply();
        }
    }

    /** Appends a copy of {@code payload}'s remaining bytes; the future gives its offset (see {@link Durability}). */
    public Future<Long> append(ByteBuffer payload) {
        assert loop.inLoop() : "log of " + loop + " used from " + Thread.currentThread().getName();
        return writer.append(payload);
    }

    /** Appends {@code payload}. */
    public Future<Long> append(byte[] payload) {
        return append(ByteBuffer.wrap(payload));
    }

    /** Completes once every record appended before the call is written and forced to the device. */
    public Future<Void> flush() {
        assert loop.inLoop();
        return writer.flush();
    }

    /** The payload of the record at {@code offset}, verified against its checksum. */
    public Future<byte[]> read(long offset) {
        assert loop.inLoop();
        return reader.read(offset);
    }

    /**
     * Calls {@code consumer} for each record from {@code from} on, in order, on this loop, for at most
     * {@code maxRecords} records or until it returns false; reads ahead in batches of 256 KiB. The
     * future gives the number of records passed to the consumer.
     */
    public Future<Long> scan(long from, long maxRecords, RecordConsumer consumer) {
        assert loop.inLoop();
        return reader.scan(from, maxRecords, consumer);
    }

    /**
     * Deletes whole sealed segments whose records all lie before {@code offset}: the hook for
     * snapshot-and-truncate (save a snapshot covering offsets below {@code offset}, then call this).
     * The active segment is never deleted. The future gives the number of segments deleted.
     */
    public Future<Integer> truncateBefore(long offset) {
        assert loop.inLoop();
        return retention.truncateBefore(offset);
    }

    /**
     * Saves {@code state} as the state after applying every record up to {@code lastOffset}, then
     * deletes the sealed segments that snapshot makes unnecessary. Replay after a restart starts from
     * the snapshot and scans the log from {@code lastOffset + 1}. Gives the number of segments deleted.
     */
    public Future<Integer> snapshotAndTruncate(SnapshotStore store, long lastOffset, ByteBuffer state) {
        assert loop.inLoop();
        if (lastOffset >= writer.nextOffset()) {
            return Future.failed(new IllegalArgumentException("snapshot offset " + lastOffset + " is past the log's end "
                    + (writer.nextOffset() - 1)));
        }
        // The snapshot may claim only offsets the log holds durably, or a crash could leave it ahead.
        return flush().flatMap(v -> store.save(lastOffset, state)).flatMap(v -> truncateBefore(lastOffset + 1));
    }

    /** Applies the configured size and age retention to sealed segments; gives the number deleted. */
    public Future<Integer> applyRetention() {
        assert loop.inLoop();
        return retention.apply();
    }

    /**
     * Stops taking appends, writes and forces what was appended, and closes the files. Completes when
     * done; appends made after the call fail.
     */
    public Future<Void> close() {
        assert loop.inLoop();
        retention.stop();
        return writer.close();
    }

    /** The error that stopped the log taking appends, or null while it is healthy. */
    public StorageException failure() {
        return writer.failure();
    }

    /** The offset of the oldest record still in the log. */
    public long startOffset() {
        return reader.startOffset();
    }

    /** The offset the next append gets. */
    public long nextOffset() {
        return writer.nextOffset();
    }

    /** What opening the log found and repaired. */
    public RecoveryReport recoveryReport() {
        return recovery;
    }

    /** Whether the files are opened with O_DIRECT (else buffered, as the file system refused it). */
    public boolean directIo() {
        return writer.directIo();
    }

    /** The segment files, oldest first. */
    public List<Path> segmentFiles() {
        List<Path> out = new ArrayList<>(segments.size());
        for (Segment s : segments) {
            out.add(s.path);
        }
        return out;
    }

    public LogStats stats() {
        return writer.stats();
    }

    public LogConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "SegmentedLog[" + config.directory() + ", offsets " + startOffset() + ".." + nextOffset() + ", "
                + config.durability() + (failure() != null ? ", failed" : "") + "]";
    }
}
