package io.shardline.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A reusable aligned buffer holding one byte range of a file, for blocking reads that walk records.
 * Used only by recovery, inside its one job on the I/O thread.
 */
final class FileWindow {
    private final int block;
    private final int initialCapacity;
    private ByteBuffer buf;
    private long start = -1;
    private int length;

    FileWindow(int capacity, int block) {
        this.block = block;
        this.initialCapacity = (int) AlignedBuffers.alignUp(capacity, block);
        this.buf = AlignedBuffers.allocate(initialCapacity, block);
    }

    /**
     * Makes bytes {@code [position, position + n)} of {@code file} available and returns the index of
     * {@code position} in {@link #buffer()}; fewer are there if the file ends first ({@link #available}).
     */
    int load(FileHandle file, long position, int n) throws IOException {
        if (start >= 0 && position >= start && position + n <= start + length) {
            return (int) (position - start);
        }
        long from = AlignedBuffers.alignDown(position, block);
        long need = position + n - from;
        if (need > buf.capacity()) {
            buf = AlignedBuffers.allocate((int) AlignedBuffers.alignUp(need, block), block);
        }
        buf.clear();
        start = from;
        length = 0;
        length = file.readFully(from, buf);
        return (int) (position - from);
    }

    /** How many bytes from {@code position} on the window holds. */
    int available(long position) {
        return start < 0 || position < start ? 0 : (int) Math.max(0, start + length - position);
    }

    ByteBuffer buffer() {
        return buf;
    }

    /** Forgets the loaded range, as the file may have changed since; gives back a grown buffer. */
    void invalidate() {
        start = -1;
        length = 0;
        if (buf.capacity() > initialCapacity) {
            buf = AlignedBuffers.allocate(initialCapacity, block); // one huge record must not pin its size
        }
    }
}
