package io.shardline.storage;

import io.shardline.core.Promise;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One read of framed records from one segment, run on the log's loop: it walks from an indexed record
 * to the one asked for, loading the bytes it needs through {@link FileIo#read} into an aligned window
 * (so the reads suit O_DIRECT and, on a ring backend, go to the ring), and verifies each checksum it
 * returns. Owned by its {@link LogReader} on that loop; not thread-safe.
 *
 * <p>Between loads it runs as a plain loop, so a walk over many small records costs no future per
 * record and no stack. The window comes from the reader's pool and goes back when the fetch ends: a
 * read's is {@value #WINDOW_BYTES} bytes, a scan's {@value #SCAN_WINDOW_BYTES} so that one load
 * usually covers a scan batch.
 */
final class RecordFetch {
    /** Windows of these sizes are pooled; a fetch that needs a bigger one (a huge record) drops it after. */
    static final int WINDOW_BYTES = 1 << 16;
    static final int SCAN_WINDOW_BYTES = 1 << 18;
    private static final int POOLED = 4;

    private final FileIo io;
    private final ArrayDeque<ByteBuffer> pool;
    private final CRC32C crc;
    private final int block;
    private final int maxPayload;
    private final Segment s;
    private final long limit;
    private final int target;
    /** Null for a single record; the framed records so far for a range. */
    private byte[] out;
    private final int maxBytes;
    private final long maxRecords;
    private final Promise<Object> promise;

    private ByteBuffer window;
    private long windowStart = -1;
    private int windowLength;
    private long loadedAt = -1;
    private int loadedFor;
    private long p;
    private int r;
    private int size;
    private long records;

    private RecordFetch(LogReader.Context c, Segment s, long pos, int rel, int target, long limit, int maxBytes,
            long maxRecords, boolean range, Promise<Object> promise) {
        this.io = c.io();
        this.pool = range ? c.scanWindows() : c.windows();
        this.crc = c.crc();
        this.block = c.block();
        this.maxPayload = c.maxPayload();
        this.s = s;
        this.p = pos;
        this.r = rel;
        this.target = target;
        this.limit = limit;
        this.maxBytes = maxBytes;
        this.maxRecords = maxRecords;
        this.out = range ? new byte[Math.min(maxBytes, 1 << 16)] : null;
        this.promise = promise;
        ByteBuffer w = pool.poll();
        this.window = w != null ? w : AlignedBuffers.allocate(range ? SCAN_WINDOW_BYTES : WINDOW_BYTES, block);
    }

    /** The payload of record {@code target}, walking from the indexed record {@code rel} at {@code pos}. */
    @SuppressWarnings("unchecked")
    static void one(LogReader.Context c, Segment s, long pos, int rel, int target, long limit, Promise<byte[]> promise) {
        new RecordFetch(c, s, pos, rel, target, limit, 0, 1, false, (Promise<Object>) (Promise<?>) promise).step();
    }

    /**
     * Up to {@code maxBytes} (at least one record) of framed records from {@code target} on, all
     * verified, copied into a heap buffer; at most {@code maxRecords} records.
     */
    @SuppressWarnings("unchecked")
    static void range(LogReader.Context c, Segment s, long pos, int rel, int target, long limit, int maxBytes,
            long maxRecords, Promise<ByteBuffer> promise) {
        new RecordFetch(c, s, pos, rel, target, limit, maxBytes, maxRecords, true, (Promise<Object>) (Promise<?>) promise)
                .step();
    }

    /** Walks on until it needs bytes not in the window (then loads them and returns) or is done. */
    private void step() {
        try {
            while (true) {
                if (out != null && r >= target && (p >= limit || records >= maxRecords)) {
                    finish(ByteBuffer.wrap(out, 0, size));
                    return;
                }
                if (p + RecordFormat.HEADER > limit) {
                    throw new CorruptLogException(s.path, p, "record header runs past the end of the written data at byte " + limit);
                }
                if (!loaded(p, RecordFormat.HEADER)) {
                    if (load(p, RecordFormat.HEADER)) {
                        return;
                    }
                    throw new CorruptLogException(s.path, p, "file ends inside a record header");
                }
                int length = window.getInt((int) (p - windowStart));
                if (length < 0 || length > maxPayload || p + RecordFormat.size(length) > limit) {
                    throw new CorruptLogException(s.path, p, "record length " + length + " is not valid there");
                }
                int framed = RecordFormat.size(length);
                if (r < target) {
                    p += framed;
                    r++;
                    continue;
                }
                if (out != null && records > 0 && size + framed > maxBytes) {
                    finish(ByteBuffer.wrap(out, 0, size));
                    return;
                }
                if (!loaded(p, framed) && load(p, framed)) {
                    return;
                }
                int at = (int) (p - windowStart);
                if (!loaded(p, framed) || RecordFormat.validLength(crc, window, at, at + framed, maxPayload) != length) {
                    throw new CorruptLogException(s.path, p, "record of offset " + (s.baseOffset + r) + " fails its checksum");
                }
                if (out == null) {
                    byte[] payload = new byte[length];
                    window.get(at + RecordFormat.HEADER, payload);
                    finish(payload);
                    return;
                }
                if (size + framed > out.length) {
                    out = Arrays.copyOf(out, Math.max(size + framed, out.length * 2));
                }
                window.get(at, out, size, framed);
                size += framed;
                p += framed;
                r++;
                records++;
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private boolean loaded(long position, int n) {
        return windowStart >= 0 && position >= windowStart && position + n <= windowStart + windowLength;
    }

    /**
     * Starts loading the blocks around {@code [position, position + n)}; false if that was just
     * loaded and the file ends first.
     */
    private boolean load(long position, int n) {
        if (loadedAt == position && loadedFor >= n) {
            return false;
        }
        loadedAt = position;
        loadedFor = n;
        long from = AlignedBuffers.alignDown(position, block);
        long need = position + n - from;
        if (need > window.capacity()) {
            window = AlignedBuffers.allocate((int) AlignedBuffers.alignUp(need, block), block);
        }
        window.clear();
        windowStart = from;
        windowLength = 0;
        io.read(s.handle, from, window).whenComplete((count, e) -> {
            if (e != null) {
                fail(e);
                return;
            }
            windowLength = count;
            step();
        });
        return true;
    }

    private void finish(Object value) {
        release();
        promise.trySucceed(value);
    }

    private void fail(Throwable e) {
        release();
        promise.tryFail(e);
    }

    private void release() {
        ByteBuffer w = window;
        window = null;
        if (w != null && w.capacity() == (out != null ? SCAN_WINDOW_BYTES : WINDOW_BYTES) && pool.size() < POOLED) {
            pool.push(w); // a grown window is dropped, so one huge record does not pin its size
        }
    }
}
