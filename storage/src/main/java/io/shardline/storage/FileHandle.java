package io.shardline.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * An open file of a {@link FileIo} backend. Its identity is immutable (any thread may read path,
 * descriptor, mode and block size); its ring bookkeeping belongs to the loop that uses it. Only the
 * backend performs I/O on it (the loop goes through {@link FileIo}): blocking calls on the channel
 * from a helper thread, or operations on the descriptor submitted to the loop's ring.
 *
 * <p>With {@link #direct()} every read and write must use a buffer address, a file position and a
 * length that are multiples of {@link #blockSize()}; {@link AlignedBuffers} provides such buffers.
 */
public final class FileHandle {
    private final Path path;
    private final FileChannel channel;
    /** The channel's descriptor, or -1 where it is not known ({@link NativeFiles#unavailable()}). */
    private final int fd;
    private final boolean direct;
    private final boolean dsync;
    private final int blockSize;

    // Ring bookkeeping: touched only by the RingFileIo of the loop that uses the file, on that loop.
    /** Ring operations in flight on the descriptor. */
    int ringOps;
    /** Set by a close: no ring operation starts after it. */
    boolean closing;
    /** The close waiting for {@link #ringOps} to reach 0, or null. */
    Runnable closeWhenIdle;

    FileHandle(Path path, FileChannel channel, int fd, boolean direct, boolean dsync, int blockSize) {
        this.path = path;
        this.channel = channel;
        this.fd = fd;
        this.direct = direct;
        this.dsync = dsync;
        this.blockSize = blockSize;
    }

    public Path path() {
        return path;
    }

    /** Whether the file was opened with O_DIRECT. */
    public boolean direct() {
        return direct;
    }

    /**
     * Whether the file was opened with O_DSYNC: every write through it, whoever makes it, returns only
     * once its bytes are durable, so a write needs no force after it ({@code fsync} for metadata still does).
     */
    public boolean dsync() {
        return dsync;
    }

    /** The alignment direct I/O needs, from the file store. */
    public int blockSize() {
        return blockSize;
    }

    FileChannel channel() {
        return channel;
    }

    /** The descriptor for ring operations, or -1; valid while the channel is open. */
    int fd() {
        return fd;
    }

    // ---- blocking primitives, for the I/O thread and blocking jobs only

    int readFully(long position, ByteBuffer dst) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int asked = dst.remaining();
            int n = channel.read(dst, position + total);
            if (n < 0) {
                break;
            }
            total += n;
            if (direct && n < asked) {
                break; // a short direct read is the end of the file; reading on would be unaligned
            }
        }
        return total;
    }

    void writeFully(long position, ByteBuffer src) throws IOException {
        long p = position;
        while (src.hasRemaining()) {
            p += channel.write(src, p);
        }
    }

    @Override
    public String toString() {
        return path + (direct ? " (direct" : " (buffered") + (dsync ? ", dsync)" : ")");
    }
}
