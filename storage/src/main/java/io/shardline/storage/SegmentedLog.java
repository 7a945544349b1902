package io.shardline.storage;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.core.Timer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * A durable, segmented, append-only log of records. Owned by one loop: every method is called on that
 * loop's thread, and every returned future completes there. Its file I/O goes through the loop's
 * {@link FileIo}, so the loop never blocks on the disk.
 *
 * <p>Records get consecutive offsets from 0. Appends are copied into one of two aligned staging
 * buffers; while one buffer is being written (and, under {@link Durability#always()}, forced), new
 * appends fill the other and share the next write: group commit. Writes cover whole blocks from the
 * block holding the first unwritten byte, so they suit O_DIRECT; the last, partial block is written
 * again by the next write. A future from {@link #append} means what the {@link Durability} says.
 *
 * <p>After a write or force fails (a full disk, an I/O error) the log stops taking appends: they and
 * every append not yet written fail with a {@link StorageException} naming the file, and nothing
 * already acknowledged is touched. Reopen the log to go on.
 */
public final class SegmentedLog {
    private static final Logger LOG = Logger.getLogger(SegmentedLog.class.getName());
    private static final int SCAN_BATCH_BYTES = 256 << 10;

    private final LogConfig config;
    private final FileIo io;
    private final Loop loop;
    private final int block;
    private final boolean forceEachWrite;
    private final List<Segment> segments;
    private final RecoveryReport recovery;
    private final RecordReader reader;
    /** Checksums appends on the loop; the reader and scanners keep their own on the I/O thread. */
    private final CRC32C crc = new CRC32C();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final List<Promise<Void>> flushWaiters = new ArrayList<>();
    private final Timer forceTimer;
    private final Timer retentionTimer;

    private Segment active;
    /** Staging buffer of the active segment; index 0 is file position {@link #fillStart}. */
    private ByteBuffer fill;
    private long fillStart;
    /** The other staging buffer; null while it is being written. */
    private ByteBuffer spare;
    private ByteBuffer inFlight;

    @SuppressWarnings("unchecked")
    private Promise<Long>[] fillPromises = (Promise<Long>[]) new Promise<?>[64];
    private int fillCount;
    private long fillFirst;
    @SuppressWarnings("unchecked")
    private Promise<Long>[] flightPromises = (Promise<Long>[]) new Promise<?>[64];
    private int flightCount;
    private long flightFirst;

    private long nextOffset;
    private long writtenOffset;
    private long waitingBytes;
    private boolean busy;
    private boolean rollWanted;
    private boolean dirtySinceForce;
    private boolean forcing;
    private StorageException failed;
    private Promise<Void> writtenSignal;
    private Promise<Void> closed;
    private long flushTarget = -1;

    private long appends;
    private long appendedBytes;
    private long writes;
    private long forces;
    private int maxBatch;

    private SegmentedLog(LogConfig config, FileIo io, LogRecovery.Recovered recovered) {
        this.config = config;
        this.io = io;
        this.loop = io.loop();
        this.segments = new ArrayList<>(recovered.segments());
        this.recovery = recovered.report();
        this.active = segments.get(segments.size() - 1);
        this.block = active.handle.blockSize();
        this.forceEachWrite = config.durability().mode() == Durability.Mode.ALWAYS;
        this.reader = new RecordReader(block, config.maxRecordBytes());
        int capacity = (int) AlignedBuffers.alignUp(config.writeBufferBytes(), block);
        this.fill = AlignedBuffers.allocate(capacity, block);
        this.spare = AlignedBuffers.allocate(capacity, block);
        ByteBuffer tail = recovered.tailBlock();
        this.fillStart = AlignedBuffers.alignDown(active.writtenEnd, block);
        // The block holding the end (or a fresh segment's header) goes first in the buffer.
        fill.put(tail.slice(0, (int) (active.end - fillStart)));
        this.nextOffset = active.nextOffset();
        this.writtenOffset = nextOffset;
        if (config.durability().mode() == Durability.Mode.INTERVAL) {
            Duration period = config.durability().interval();
            this.forceTimer = loop.schedulePeriodic(period, period, this::forceIfDirty);
        } else {
            this.forceTimer = null;
        }
        if (config.retentionAge().isZero()) {
            this.retentionTimer = null;
        } else {
            // Age retention must act on a quiet log too, not only when a roll happens.
            Duration every = config.retentionAge().compareTo(Duration.ofMinutes(1)) < 0 ? config.retentionAge() : Duration.ofMinutes(1);
            this.retentionTimer = loop.schedulePeriodic(every, every, () -> {
                if (closed == null && failed == null) {
                    applyRetention();
                }
            });
        }
        if (active.writtenEnd == 0) {
            pumpHeader();
        }
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

    // ---------------------------------------------------------------- appends

    /** Appends a copy of {@code payload}'s remaining bytes; the future gives its offset (see {@link Durability}). */
    public Future<Long> append(ByteBuffer payload) {
        assert loop.inLoop() : "log of " + loop + " used from " + Thread.currentThread().getName();
        int length = payload.remaining();
        if (failed != null) {
            return Future.failed(failed);
        }
        if (closed != null) {
            return Future.failed(new StorageException(config.directory(), "log is closed"));
        }
        if (length > config.maxRecordBytes()) {
            return Future.failed(new IllegalArgumentException("record of " + length + " bytes is over maxRecordBytes "
                    + config.maxRecordBytes() + " of log " + config.directory()));
        }
        Promise<Long> promise = new Promise<>(loop);
        if (!waiting.isEmpty() || !fits(length)) {
            if (!waiting.isEmpty() && waitingBytes + length > config.maxQueuedBytes()) {
                promise.fail(new StorageException(config.directory(), "append backlog is over maxQueuedBytes "
                        + config.maxQueuedBytes() + "; wait for earlier appends before adding more"));
                return promise;
            }
            byte[] copy = new byte[length];
            payload.duplicate().get(copy);
            waiting.add(new Waiting(copy, promise));
            waitingBytes += length;
        } else {
            place(payload, promise);
        }
        pump();
        return promise;
    }

    /** Appends {@code payload}. */
    public Future<Long> append(byte[] payload) {
        return append(ByteBuffer.wrap(payload));
    }

    /** Completes once every record appended before the call is written and forced to the device. */
    public Future<Void> flush() {
        assert loop.inLoop();
        if (failed != null) {
            return Future.failed(failed);
        }
        if (closed != null) {
            return Future.failed(new StorageException(config.directory(), "log is closed"));
        }
        Promise<Void> p = new Promise<>(loop);
        flushWaiters.add(p);
        flushTarget = Math.max(flushTarget, nextOffset + waitingCount());
        pump();
        return p;
    }

    private long waitingCount() {
        return waiting.size();
    }

    private boolean fits(int length) {
        int size = RecordFormat.size(length);
        if (active.records > 0 && active.end + size > config.segmentBytes()) {
            rollWanted = true;
            return false;
        }
        return !rollWanted && fill.position() + size <= fill.capacity();
    }

    /** Whether a record is too big for a staging buffer and must be written on its own. */
    private boolean oversize(int length) {
        return RecordFormat.size(length) > fill.capacity() - block;
    }

    private void place(ByteBuffer payload, Promise<Long> promise) {
        int rel = active.records;
        long position = fillStart + fill.position();
        int length = payload.remaining();
        RecordFormat.write(crc, fill, payload);
        active.index.maybeAdd(rel, position);
        active.records++;
        active.end = position + RecordFormat.size(length);
        if (fillCount == 0) {
            fillFirst = nextOffset;
        }
        if (fillCount == fillPromises.length) {
            fillPromises = java.util.Arrays.copyOf(fillPromises, fillCount * 2);
        }
        fillPromises[fillCount++] = promise;
        nextOffset++;
        appends++;
        appendedBytes += length;
    }

    private void drainWaiting() {
        Waiting w;
        while ((w = waiting.peek()) != null && fits(w.payload.length)) {
            waiting.poll();
            waitingBytes -= w.payload.length;
            place(ByteBuffer.wrap(w.payload), w.promise);
        }
    }

    /** Starts the next write, roll or flush if nothing is in flight. */
    private void pump() {
        if (busy) {
            return;
        }
        if (failed != null) {
            if (closed != null) {
                finishClose();
            }
            return;
        }
        if (!flushWaiters.isEmpty() && writtenOffset >= flushTarget) {
            startFlush(); // due: before more writes, so a steady stream of appends cannot starve it
        } else if (fillCount > 0) {
            startWrite();
        } else if (rollWanted) {
            startRoll();
        } else if (!waiting.isEmpty() && oversize(waiting.peek().payload.length)) {
            startOversizeWrite();
        } else if (!flushWaiters.isEmpty() && (waiting.isEmpty() || writtenOffset >= flushTarget)) {
            startFlush();
        } else if (closed != null && waiting.isEmpty() && !forcing) {
            finishClose();
        }
    }

    /** Writes the header of a segment created empty (a new log, or a crash right after a roll). */
    private void pumpHeader() {
        busy = true;
        Segment seg = active;
        long end = seg.end;
        ByteBuffer out = fill.duplicate().position(0).limit((int) AlignedBuffers.alignUp(fill.position(), block));
        zeroPad(fill, fill.position(), out.limit());
        ByteBuffer copy = AlignedBuffers.allocate(out.remaining(), block).put(out).flip();
        io.write(seg.handle, 0, copy).flatMap(v -> io.force(seg.handle, false)).flatMap(v -> syncDirectory())
                .whenComplete((v, e) -> {
                    busy = false;
                    if (e != null) {
                        fail(seg.path, "writing the segment header failed", e);
                        return;
                    }
                    seg.writtenEnd = Math.max(seg.writtenEnd, Math.min(end, seg.end));
                    pump();
                });
    }

    private void startWrite() {
        busy = true;
        Segment seg = active;
        long dataEnd = seg.end;
        long writeFrom = AlignedBuffers.alignDown(seg.writtenEnd, block);
        long writeTo = AlignedBuffers.alignUp(dataEnd, block);
        zeroPad(fill, (int) (dataEnd - fillStart), (int) (writeTo - fillStart));
        ByteBuffer out = fill.slice((int) (writeFrom - fillStart), (int) (writeTo - writeFrom));
        // The next write starts at the block holding the end: seed the other buffer with that block.
        long nextStart = AlignedBuffers.alignDown(dataEnd, block);
        ByteBuffer next = spare;
        next.clear();
        next.put(fill.slice((int) (nextStart - fillStart), (int) (dataEnd - nextStart)));
        inFlight = fill;
        fill = next;
        fillStart = nextStart;
        spare = null;

        Promise<Long>[] swap = flightPromises;
        flightPromises = fillPromises;
        flightCount = fillCount;
        flightFirst = fillFirst;
        fillPromises = swap;
        fillCount = 0;
        maxBatch = Math.max(maxBatch, flightCount);
        writes++;

        Future<Void> done = io.write(seg.handle, writeFrom, out);
        if (forceEachWrite) {
            forces++;
            done = done.flatMap(v -> io.force(seg.handle, false));
        }
        done.whenComplete((v, e) -> onWritten(seg, dataEnd, e));
        // Stage what waited for space into the buffer just freed, while the write runs, not after it.
        drainWaiting();
    }

    /**
     * Writes one record bigger than a staging buffer from a buffer of its own, after everything staged
     * before it: the block holding the current end, then the record, then zero padding.
     */
    private void startOversizeWrite() {
        Waiting w = waiting.poll();
        waitingBytes -= w.payload.length;
        busy = true;
        Segment seg = active;
        long writeFrom = AlignedBuffers.alignDown(seg.writtenEnd, block);
        long start = seg.end;
        long dataEnd = start + RecordFormat.size(w.payload.length);
        long writeTo = AlignedBuffers.alignUp(dataEnd, block);
        ByteBuffer big = AlignedBuffers.allocate((int) (writeTo - writeFrom), block);
        big.put(fill.slice((int) (writeFrom - fillStart), (int) (start - writeFrom)));
        RecordFormat.write(crc, big, ByteBuffer.wrap(w.payload));
        zeroPad(big, big.position(), big.capacity());
        big.clear();
        // The staging buffer starts again at the block holding the new end.
        long nextStart = AlignedBuffers.alignDown(dataEnd, block);
        fill.clear();
        fill.put(big.slice((int) (nextStart - writeFrom), (int) (dataEnd - nextStart)));
        fillStart = nextStart;

        seg.index.maybeAdd(seg.records, start);
        seg.records++;
        seg.end = dataEnd;
        flightPromises[0] = w.promise;
        flightCount = 1;
        flightFirst = nextOffset++;
        appends++;
        appendedBytes += w.payload.length;
        writes++;
        inFlight = spare; // onWritten gives the spare back; the big buffer is dropped with the write
        spare = null;
        Future<Void> done = io.write(seg.handle, writeFrom, big);
        if (forceEachWrite) {
            forces++;
            done = done.flatMap(v -> io.force(seg.handle, false));
        }
        done.whenComplete((v, e) -> onWritten(seg, dataEnd, e));
    }

    private void onWritten(Segment seg, long dataEnd, Throwable e) {
        spare = inFlight;
        inFlight = null;
        if (e != null) {
            busy = false;
            fail(seg.path, forceEachWrite ? "write or force failed" : "write failed", e);
            return;
        }
        seg.writtenEnd = dataEnd;
        Promise<Long>[] done = flightPromises;
        int n = flightCount;
        long first = flightFirst;
        flightCount = 0;
        writtenOffset = first + n;
        if (!forceEachWrite) {
            dirtySinceForce = true;
        }
        drainWaiting();
        // Still busy while the futures complete, so an append from a continuation only stages its record.
        for (int i = 0; i < n; i++) {
            Promise<Long> p = done[i];
            done[i] = null;
            p.trySucceed(first + i);
        }
        busy = false;
        Promise<Void> signal = writtenSignal;
        writtenSignal = null;
        if (signal != null) {
            signal.trySucceed(null);
        }
        pump();
    }

    private void startRoll() {
        busy = true;
        Segment old = active;
        long base = old.nextOffset();
        long now = config.wallClock().getAsLong();
        ByteBuffer index = old.index.encode(old.end, old.records, now);
        Path idxPath = old.indexPath();
        Path newPath = config.directory().resolve(Segment.fileName(base));
        boolean direct = config.direct();
        forces++;
        // The sealed segment is forced whatever the policy: only the active segment may have a loose tail.
        io.force(old.handle, false).flatMap(v -> io.run(() -> {
            // The index is a shortcut for the next open (checked by its CRC, rebuilt by a scan if bad).
            Files.write(idxPath, index.array(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            FileHandle created = FileOpener.open(newPath, true, direct);
            try {
                syncDirectory(newPath.getParent());
            } catch (java.io.IOException e) {
                created.channel().close();
                throw e;
            }
            return created;
        })).whenComplete((handle, e) -> {
            busy = false;
            if (e != null) {
                fail(newPath, "rolling to a new segment failed", e);
                return;
            }
            old.sealedAtMillis = Math.max(1, now);
            Segment seg = new Segment(base, newPath, handle, new SegmentIndex(config.indexIntervalBytes()), 0, SegmentHeader.SIZE);
            seg.writtenEnd = 0;
            segments.add(seg);
            active = seg;
            fill.clear();
            fillStart = 0;
            SegmentHeader.write(fill, base);
            fill.position(SegmentHeader.SIZE);
            rollWanted = false;
            dirtySinceForce = false;
            drainWaiting();
            pump(); // the first write carries the header; until then recovery treats the empty file as new
            if (config.retentionBytes() > 0 || !config.retentionAge().isZero()) {
                applyRetention();
            }
        });
    }

    private void startFlush() {
        busy = true;
        forcing = true;
        forces++;
        List<Promise<Void>> waiters = List.copyOf(flushWaiters);
        flushWaiters.clear();
        flushTarget = -1;
        Segment seg = active;
        dirtySinceForce = false;
        io.force(seg.handle, false).whenComplete((v, e) -> {
            busy = false;
            forcing = false;
            if (e != null) {
                fail(seg.path, "force failed", e);
            }
            for (Promise<Void> p : waiters) {
                p.tryComplete(null, e == null ? null : failed);
            }
            pump();
        });
    }

    private void forceIfDirty() {
        if (!dirtySinceForce || forcing || failed != null || closed != null) {
            return;
        }
        dirtySinceForce = false;
        forcing = true;
        forces++;
        Segment seg = active;
        io.force(seg.handle, false).whenComplete((v, e) -> {
            forcing = false;
            if (e != null) {
                fail(seg.path, "periodic force failed", e);
            }
            pump();
        });
    }

    private Future<Void> syncDirectory() {
        Path dir = config.directory();
        return io.run(() -> {
            syncDirectory(dir);
            return null;
        });
    }

    /** Makes a created or deleted directory entry durable. Blocking. */
    static void syncDirectory(Path dir) throws java.io.IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private void fail(Path path, String what, Throwable cause) {
        StorageException e = cause instanceof StorageException se ? se : new StorageException(path, what, cause);
        if (failed == null) {
            failed = e;
            LOG.warning("log " + config.directory() + " stops taking appends: " + e.getMessage());
        }
        for (int i = 0; i < flightCount; i++) {
            flightPromises[i].tryFail(failed);
            flightPromises[i] = null;
        }
        flightCount = 0;
        for (int i = 0; i < fillCount; i++) {
            fillPromises[i].tryFail(failed);
            fillPromises[i] = null;
        }
        fillCount = 0;
        Waiting w;
        while ((w = waiting.poll()) != null) {
            w.promise.tryFail(failed);
        }
        waitingBytes = 0;
        for (Promise<Void> p : flushWaiters) {
            p.tryFail(failed);
        }
        flushWaiters.clear();
        if (writtenSignal != null) {
            writtenSignal.tryFail(failed);
            writtenSignal = null;
        }
        if (closed != null) {
            finishClose();
        }
    }

    private static void zeroPad(ByteBuffer b, int from, int to) {
        for (int i = from; i < to; i++) {
            b.put(i, (byte) 0);
        }
    }

    // ---------------------------------------------------------------- reads

    /** The payload of the record at {@code offset}, verified against its checksum. */
    public Future<byte[]> read(long offset) {
        assert loop.inLoop();
        if (offset < startOffset() || offset >= nextOffset) {
            return Future.failed(outOfRange(offset));
        }
        if (offset >= writtenOffset) {
            return whenWritten().flatMap(v -> read(offset));
        }
        Segment s = segmentOf(offset);
        int rel = (int) (offset - s.baseOffset);
        int entry = s.index.floor(rel);
        long pos = s.index.positionAt(entry);
        int fromRel = s.index.relOffsetAt(entry);
        long limit = s.writtenEnd;
        return io.run(() -> reader.read(s, pos, fromRel, rel, limit));
    }

    /**
     * Calls {@code consumer} for each record from {@code from} on, in order, on this loop, for at most
     * {@code maxRecords} records or until it returns false; reads ahead in batches of 256 KiB. The
     * future gives the number of records passed to the consumer.
     */
    public Future<Long> scan(long from, long maxRecords, RecordConsumer consumer) {
        assert loop.inLoop();
        if (from < startOffset() || from > nextOffset) {
            return Future.failed(outOfRange(from));
        }
        long end = maxRecords >= nextOffset - from ? nextOffset : from + Math.max(0, maxRecords);
        return scanFrom(from, end, 0, consumer);
    }

    private Future<Long> scanFrom(long from, long end, long done, RecordConsumer consumer) {
        if (from >= end) {
            return Future.succeeded(done);
        }
        if (from < startOffset()) {
            return Future.failed(outOfRange(from));
        }
        if (from >= writtenOffset) {
            return whenWritten().flatMap(v -> scanFrom(from, end, done, consumer));
        }
        Segment s = segmentOf(from);
        int rel = (int) (from - s.baseOffset);
        int entry = s.index.floor(rel);
        long pos = s.index.positionAt(entry);
        int fromRel = s.index.relOffsetAt(entry);
        long limit = s.writtenEnd;
        long want = Math.min(end, Math.min(s.nextOffset(), writtenOffset)) - from;
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

    private Future<Void> whenWritten() {
        if (failed != null) {
            return Future.failed(failed);
        }
        if (writtenSignal == null) {
            writtenSignal = new Promise<>(loop);
        }
        return writtenSignal;
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
                + startOffset() + ", " + nextOffset + ")");
    }

    // ---------------------------------------------------------------- retention and truncation

    /**
     * Deletes whole sealed segments whose records all lie before {@code offset}: the hook for
     * snapshot-and-truncate (save a snapshot covering offsets below {@code offset}, then call this).
     * The active segment is never deleted. The future gives the number of segments deleted.
     */
    public Future<Integer> truncateBefore(long offset) {
        assert loop.inLoop();
        int n = 0;
        while (n < segments.size() - 1 && segments.get(n).nextOffset() <= offset) {
            n++;
        }
        return deleteOldest(n);
    }

    /**
     * Saves {@code state} as the state after applying every record up to {@code lastOffset}, then
     * deletes the sealed segments that snapshot makes unnecessary. Replay after a restart starts from
     * the snapshot and scans the log from {@code lastOffset + 1}. Gives the number of segments deleted.
     */
    public Future<Integer> snapshotAndTruncate(SnapshotStore store, long lastOffset, ByteBuffer state) {
        assert loop.inLoop();
        if (lastOffset >= nextOffset) {
            return Future.failed(new IllegalArgumentException("snapshot offset " + lastOffset + " is past the log's end "
                    + (nextOffset - 1)));
        }
        // The snapshot may claim only offsets the log holds durably, or a crash could leave it ahead.
        return flush().flatMap(v -> store.save(lastOffset, state)).flatMap(v -> truncateBefore(lastOffset + 1));
    }

    /** Applies the configured size and age retention to sealed segments; gives the number deleted. */
    public Future<Integer> applyRetention() {
        assert loop.inLoop();
        long total = 0;
        for (Segment s : segments) {
            total += s.end;
        }
        long now = config.wallClock().getAsLong();
        long maxAge = config.retentionAge().toMillis();
        int n = 0;
        while (n < segments.size() - 1) {
            Segment s = segments.get(n);
            boolean tooBig = config.retentionBytes() > 0 && total > config.retentionBytes();
            boolean tooOld = maxAge > 0 && s.sealed() && now - s.sealedAtMillis > maxAge;
            if (!tooBig && !tooOld) {
                break;
            }
            total -= s.end;
            n++;
        }
        return deleteOldest(n);
    }

    private Future<Integer> deleteOldest(int n) {
        if (n == 0) {
            return Future.succeeded(0);
        }
        List<Segment> doomed = new ArrayList<>(segments.subList(0, n));
        segments.subList(0, n).clear();
        Path dir = config.directory();
        return io.run(() -> {
            for (Segment s : doomed) {
                s.handle.channel().close();
                Files.deleteIfExists(s.indexPath());
                Files.deleteIfExists(s.path);
            }
            syncDirectory(dir);
            return doomed.size();
        });
    }

    // ---------------------------------------------------------------- close and state

    /**
     * Stops taking appends, writes and forces what was appended, and closes the files. Completes when
     * done; appends made after the call fail.
     */
    public Future<Void> close() {
        assert loop.inLoop();
        if (closed == null) {
            closed = new Promise<>(loop);
            if (forceTimer != null) {
                forceTimer.cancel();
            }
            if (retentionTimer != null) {
                retentionTimer.cancel();
            }
            if (failed == null) {
                flushWaiters.add(new Promise<>(loop));
                flushTarget = Math.max(flushTarget, nextOffset + waitingCount());
            }
            pump(); // after the last flush, pump closes the files

        }
        return closed;
    }

    private void finishClose() {
        if (busy || closed.isDone()) {
            return;
        }
        busy = true;
        List<FileHandle> handles = new ArrayList<>();
        for (Segment s : segments) {
            handles.add(s.handle);
        }
        io.run(() -> {
            for (FileHandle h : handles) {
                h.channel().close();
            }
            return null;
        }).whenComplete((v, e) -> closed.tryComplete(null, failed != null ? failed : e));
    }

    /** The error that stopped the log taking appends, or null while it is healthy. */
    public StorageException failure() {
        return failed;
    }

    /** The offset of the oldest record still in the log. */
    public long startOffset() {
        return segments.get(0).baseOffset;
    }

    /** The offset the next append gets. */
    public long nextOffset() {
        return nextOffset;
    }

    /** What opening the log found and repaired. */
    public RecoveryReport recoveryReport() {
        return recovery;
    }

    /** Whether the files are opened with O_DIRECT (else buffered, as the file system refused it). */
    public boolean directIo() {
        return active.handle.direct();
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
        return new LogStats(appends, appendedBytes, writes, forces, maxBatch, segments.size());
    }

    public LogConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "SegmentedLog[" + config.directory() + ", offsets " + startOffset() + ".." + nextOffset + ", "
                + config.durability() + (failed != null ? ", failed" : "") + "]";
    }

    /** An append waiting for buffer space or a roll; holds its own copy of the payload. */
    private record Waiting(byte[] payload, Promise<Long> promise) {
    }
}
