package io.shardline.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The two aligned staging buffers of a log's writer: appends are framed into the filling one while
 * the other is being written. Owned by the writer on the log's loop; not thread-safe.
 *
 * <p>The filling buffer starts at a block boundary of the file: a write
 * covers whole blocks (as O_DIRECT needs), so the block holding the end of the data is written again
 * by the next write, and each buffer handed to a write seeds the other with that block.
 */
final class StagingBuffers {
    private final int block;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer fill;
    private long fillStart;
    /** The other buffer; null while it is being written. */
    private ByteBuffer spare;
    private ByteBuffer inFlight;

    /** Buffers of {@code bytes} (rounded up to blocks) starting at {@code start} with {@code tail} staged. */
    StagingBuffers(int bytes, int block, long start, ByteBuffer tail) {
        this.block = block;
        int capacity = (int) AlignedBuffers.alignUp(bytes, block);
        this.fill = AlignedBuffers.allocate(capacity, block);
        this.spare = AlignedBuffers.allocate(capacity, block);
        this.fillStart = start;
        fill.put(tail);
    }

    /** File position of the next byte staged. */
    long end() {
        return fillStart + fill.position();
    }

    /** Whether a record of {@code size} framed bytes still fits in the filling buffer. */
    boolean fits(int size) {
        return fill.position() + size <= fill.capacity();
    }

    /** Whether a record of {@code size} framed bytes cannot fit even in an empty buffer beside one seed block. */
    boolean oversize(int size) {
        return size > fill.capacity() - block;
    }

    /** Frames {@code payload} into the filling buffer (leaving it as it was) and gives its file position. */
    long place(ByteBuffer payload) {
        long position = end();
        RecordFormat.write(crc, fill, payload);
        return position;
    }

    /**
     * Hands over the blocks from {@code writtenEnd}'s block up to the end of the data (zero padded)
     * for a write, and continues filling the other buffer, seeded with the block holding the end.
     */
    ByteBuffer takeForWrite(long writtenEnd) {
        long dataEnd = end();
        long writeFrom = AlignedBuffers.alignDown(writtenEnd, block);
        long writeTo = AlignedBuffers.alignUp(dataEnd, block);
        zeroPad(fill, (int) (dataEnd - fillStart), (int) (writeTo - fillStart));
        ByteBuffer out = fill.slice((int) (writeFrom - fillStart), (int) (writeTo - writeFrom));
        long nextStart = AlignedBuffers.alignDown(dataEnd, block);
        ByteBuffer next = spare;
        next.clear();
        next.put(fill.slice((int) (nextStart - fillStart), (int) (dataEnd - nextStart)));
        inFlight = fill;
        fill = next;
        fillStart = nextStart;
        spare = null;
        return out;
    }

    /**
     * A buffer of its own for one record too big for a staging buffer, staged after everything before
     * it: the block holding {@code writtenEnd}'s block up to the current end, then the record, then zero
     * padding. The filling buffer starts again at the block holding the new end.
     */
    ByteBuffer takeOversize(long writtenEnd, ByteBuffer payload) {
        long writeFrom = AlignedBuffers.alignDown(writtenEnd, block);
        long start = end();
        long dataEnd = start + RecordFormat.size(payload.remaining());
        long writeTo = AlignedBuffers.alignUp(dataEnd, block);
        ByteBuffer big = AlignedBuffers.allocate((int) (writeTo - writeFrom), block);
        big.put(fill.slice((int) (writeFrom - fillStart), (int) (start - writeFrom)));
        RecordFormat.write(crc, big, payload);
        zeroPad(big, big.position(), big.capacity());
        big.clear();
        long nextStart = AlignedBuffers.alignDown(dataEnd, block);
        fill.clear();
        fill.put(big.slice((int) (nextStart - writeFrom), (int) (dataEnd - nextStart)));
        fillStart = nextStart;
        inFlight = spare; // written() gives the spare back; the big buffer is dropped with the write
        spare = null;
        return big;
    }

    /** A write handed out by {@link #takeForWrite} or {@link #takeOversize} has ended: its buffer is free again. */
    void written() {
        spare = inFlight;
        inFlight = null;
    }

    /** A copy of what is staged, zero padded to whole blocks, for the header write of a fresh segment. */
    ByteBuffer copyOfStaged() {
        int to = (int) AlignedBuffers.alignUp(fill.position(), block);
        zeroPad(fill, fill.position(), to);
        return AlignedBuffers.allocate(to, block).put(fill.duplicate().position(0).limit(to)).flip();
    }

    /** Starts staging a new segment at file position 0 with its header. */
    void startSegment(long baseOffset) {
        fill.clear();
        fillStart = 0;
        SegmentHeader.write(fill, baseOffset);
        fill.position(SegmentHeader.SIZE);
    }

    private static void zeroPad(ByteBuffer b, int from, int to) {
        for (int i = from; i < to; i++) {
            b.put(i, (byte) 0);
        }
    }
}
