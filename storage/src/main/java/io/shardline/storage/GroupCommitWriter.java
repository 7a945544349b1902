// Over 400 lines: one state machine (pump and the writes, rolls and forces it starts) whose steps all
// share its fields; what could stand alone already does (StagingBuffers, PromiseBatch).
package io.shardline.storage;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.core.Timer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The append side of a {@link SegmentedLog}: group commit, rolls, forces and close. Owned by the
 * log's loop; not thread-safe, every method runs on that loop.
 *
 * <p>Appends are copied into one of two aligned {@link StagingBuffers}; while one buffer is being
 * written (and, under {@link Durability#always()}, forced), new appends fill the other and share the
 * next write + force: group commit. At most one write or roll is in flight ({@link #busy}) and at most
 * one force ({@link #forcing}); {@link #pump} starts the next of each when it ends. A force runs beside
 * the next write, not in turn with it: it covers the writes that had completed when it started, the
 * flushes asked for after that wait for the next force, and that one starts as soon as this one ends
 * (no timer), so a steady stream of flushes keeps one {@code fdatasync} in flight and the writes
 * flowing under it.
 *
 * <p>After a write or force fails the writer stops: that append and every append not yet written
 * fail with a {@link StorageException} naming the file, and nothing acknowledged is touched.
 */
final class GroupCommitWriter {
    private static final Logger LOG = Logger.getLogger(SegmentedLog.class.getName());

    private final LogConfig config;
    private final FileIo io;
    private final Loop loop;
    private final int block;
    private final boolean forceEachWrite;
    /** The log's segments, oldest first; the writer adds at the end, retention removes at the front. */
    private final List<Segment> segments;
    /** Run after each roll, for retention. */
    private final Runnable afterRoll;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final List<Promise<Void>> flushWaiters = new ArrayList<>();
    private final Timer forceTimer;

    /** The active segment's bytes not yet written. */
    private final StagingBuffers staging;
    private Segment active;
    /** The futures of the records staged and not yet handed to a write. */
    private PromiseBatch filling = new PromiseBatch();
    /** The futures of the write in flight. */
    private PromiseBatch flying = new PromiseBatch();

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
    private long syncedWrites;
    private int maxBatch;

    GroupCommitWriter(LogConfig config, FileIo io, List<Segment> segments, ByteBuffer tail, Runnable afterRoll) {
        this.config = config;
        this.io = io;
        this.loop = io.loop();
        this.segments = segments;
        this.afterRoll = afterRoll;
        this.active = segments.get(segments.size() - 1);
        this.block = active.handle.blockSize();
        this.forceEachWrite = config.durability().mode() == Durability.Mode.ALWAYS;
        long start = AlignedBuffers.alignDown(active.writtenEnd, block);
        // The block holding the end (or a fresh segment's header) goes first in the buffer.
        this.staging = new StagingBuffers(config.writeBufferBytes(), block, start, tail.slice(0, (int) (active.end - start)));
        this.nextOffset = active.nextOffset();
        this.writtenOffset = nextOffset;
        if (config.durability().mode() == Durability.Mode.INTERVAL) {
            Duration period = config.durability().interval();
            this.forceTimer = loop.schedulePeriodic(period, period, this::forceIfDirty);
        } else {
            this.forceTimer = null;
        }
        if (active.writtenEnd == 0) {
            pumpHeader();
        }
    }

    // ---------------------------------------------------------------- appends and flushes

    Future<Long> append(ByteBuffer payload) {
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

    Future<Void> flush() {
        if (failed != null) {
            return Future.failed(failed);
        }
        if (closed != null) {
            return Future.failed(new StorageException(config.directory(), "log is closed"));
        }
        Promise<Void> p = new Promise<>(loop);
        flushWaiters.add(p);
        flushTarget = Math.max(flushTarget, nextOffset + waiting.size());
        pump();
        return p;
    }

    private boolean fits(int length) {
        int size = RecordFormat.size(length);
        if (active.records > 0 && active.end + size > config.segmentBytes()) {
            rollWanted = true;
            return false;
        }
        return !rollWanted && staging.fits(size);
    }

    /** Whether a record is too big for a staging buffer and must be written on its own. */
    private boolean oversize(int length) {
        return staging.oversize(RecordFormat.size(length));
    }

    private void place(ByteBuffer payload, Promise<Long> promise) {
        int length = payload.remaining();
        long position = staging.place(payload);
        active.index.maybeAdd(active.records, position);
        active.records++;
        active.end = position + RecordFormat.size(length);
        filling.add(promise, nextOffset++);
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
        if (failed != null) {
            if (closed != null) {
                finishClose();
            }
            return;
        }
        if (!forcing && !flushWaiters.isEmpty() && writtenOffset >= flushTarget) {
            startFlush(); // due: at once, beside the next write, so a steady stream of appends cannot starve it
        }
        if (busy) {
            return;
        }
        if (!filling.isEmpty()) {
            startWrite();
        } else if (rollWanted) {
            startRoll();
        } else if (!waiting.isEmpty() && oversize(waiting.peek().payload.length)) {
            startOversizeWrite();
        } else if (!forcing && !flushWaiters.isEmpty() && waiting.isEmpty()) {
            startFlush();
        } else if (closed != null && waiting.isEmpty() && !forcing) {
            finishClose();
        }
    }

    // ---------------------------------------------------------------- writes

    /** Writes the header of a segment created empty (a new log, or a crash right after a roll). */
    private void pumpHeader() {
        busy = true;
        Segment seg = active;
        long end = seg.end;
        ByteBuffer copy = staging.copyOfStaged();
        io.writeAndForce(seg.handle, 0, copy, false).flatMap(v -> syncDirectory())
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
        ByteBuffer out = staging.takeForWrite(seg.writtenEnd);
        PromiseBatch swap = flying;
        flying = filling;
        filling = swap;
        maxBatch = Math.max(maxBatch, flying.size());
        submit(seg, writeFrom, out, dataEnd);
        // Stage what waited for space into the buffer just freed, while the write runs, not after it.
        drainWaiting();
    }

    /** Writes one record bigger than a staging buffer from a buffer of its own, after everything staged before it. */
    private void startOversizeWrite() {
        Waiting w = waiting.poll();
        waitingBytes -= w.payload.length;
        busy = true;
        Segment seg = active;
        long writeFrom = AlignedBuffers.alignDown(seg.writtenEnd, block);
        long start = seg.end;
        long dataEnd = start + RecordFormat.size(w.payload.length);
        ByteBuffer big = staging.takeOversize(seg.writtenEnd, ByteBuffer.wrap(w.payload));
        seg.index.maybeAdd(seg.records, start);
        seg.records++;
        seg.end = dataEnd;
        flying.add(w.promise, nextOffset++);
        appends++;
        appendedBytes += w.payload.length;
        submit(seg, writeFrom, big, dataEnd);
    }

    /** Writes {@code out} at {@code position} (and forces it under {@code always}) for the batch in flight. */
    private void submit(Segment seg, long position, ByteBuffer out, long dataEnd) {
        writes++;
        Future<Void> done;
        if (forceEachWrite) {
            if (seg.handle.dsync()) {
                syncedWrites++; // the backend writes it alone: an O_DSYNC write returns once durable
            } else {
                forces++;
            }
            done = io.writeAndForce(seg.handle, position, out, false);
        } else {
            done = io.write(seg.handle, position, out);
        }
        done.whenComplete((v, e) -> onWritten(seg, dataEnd, e));
    }

    private void onWritten(Segment seg, long dataEnd, Throwable e) {
        staging.written();
        if (e != null) {
            busy = false;
            fail(seg.path, forceEachWrite ? "write or force failed" : "write failed", e);
            return;
        }
        seg.writtenEnd = dataEnd;
        writtenOffset = flying.end();
        if (!forceEachWrite) {
            dirtySinceForce = true;
        }
        drainWaiting();
        // Still busy while the futures complete, so an append from a continuation only stages its record.
        flying.succeedAll();
        busy = false;
        Promise<Void> signal = writtenSignal;
        writtenSignal = null;
        if (signal != null) {
            signal.trySucceed(null);
        }
        pump();
    }

    // ---------------------------------------------------------------- rolls and forces

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
            FileHandle created = FileOpener.open(newPath, true, direct, old.handle.dsync());
            try {
                FileOpener.syncDirectory(newPath.getParent());
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
            staging.startSegment(base);
            rollWanted = false;
            dirtySinceForce = false;
            drainWaiting();
            pump(); // the first write carries the header; until then recovery treats the empty file as new
            afterRoll.run();
        });
    }

    /** Forces the active segment for every flush asked so far; writes may go on meanwhile (see the class note). */
    private void startFlush() {
        forcing = true;
        forces++;
        List<Promise<Void>> waiters = List.copyOf(flushWaiters);
        flushWaiters.clear();
        flushTarget = -1;
        Segment seg = active;
        dirtySinceForce = false;
        io.force(seg.handle, false).whenComplete((v, e) -> {
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
            FileOpener.syncDirectory(dir);
            return null;
        });
    }

    private void fail(Path path, String what, Throwable cause) {
        StorageException e = cause instanceof StorageException se ? se : new StorageException(path, what, cause);
        if (failed == null) {
            failed = e;
            LOG.warning("log " + config.directory() + " stops taking appends: " + e.getMessage());
        }
        flying.failAll(failed);
        filling.failAll(failed);
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

    // ---------------------------------------------------------------- close and state

    /** Stops taking appends, writes and forces what was appended, then closes every segment's file. */
    Future<Void> close() {
        if (closed == null) {
            closed = new Promise<>(loop);
            if (forceTimer != null) {
                forceTimer.cancel();
            }
            if (failed == null) {
                flushWaiters.add(new Promise<>(loop));
                flushTarget = Math.max(flushTarget, nextOffset + waiting.size());
            }
            pump(); // after the last flush, pump closes the files
        }
        return closed;
    }

    private void finishClose() {
        if (busy || forcing || closed.isDone()) {
            return; // a force still in flight: its end pumps again
        }
        busy = true;
        Segment.closeAll(io, List.copyOf(segments), 0).whenComplete((v, e) -> closed.tryComplete(null, failed != null ? failed : e));
    }

    /** Completes once the write in flight now has ended (fails if the writer has failed). */
    Future<Void> whenWritten() {
        if (failed != null) {
            return Future.failed(failed);
        }
        if (writtenSignal == null) {
            writtenSignal = new Promise<>(loop);
        }
        return writtenSignal;
    }

    /** Whether appends are still taken: neither closed nor failed. */
    boolean open() {
        return closed == null && failed == null;
    }

    StorageException failure() {
        return failed;
    }

    long nextOffset() {
        return nextOffset;
    }

    /** Records below this offset are in the file (forced or not, as the durability says). */
    long writtenOffset() {
        return writtenOffset;
    }

    boolean directIo() {
        return active.handle.direct();
    }

    LogStats stats() {
        return new LogStats(appends, appendedBytes, writes, forces, maxBatch, segments.size(), syncedWrites);
    }

    /** An append waiting for buffer space or a roll; holds its own copy of the payload. */
    private record Waiting(byte[] payload, Promise<Long> promise) {
    }
}
