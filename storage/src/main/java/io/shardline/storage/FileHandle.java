package io.shardline.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * An open file of a {@link FileIo} backend. Immutable: any thread may read its fields, but only the
 * backend's I/O thread performs I/O on the channel (the loop goes through {@link FileIo}).
 *
 * <p>With {@link #direct()} every read and write must use a buffer address, a file position and a
 * length that are multiples of {@link #blockSize()}; {@link AlignedBuffers} provides such buffers.
 */
public final class FileHandle {
    private final Path path;
    private final FileChannel channel;
    private final boolean direct;
    private final int blockSize;

    FileHandle(Path path, FileChannel channel, boolean direct, int blockSize) {
        this.path = path;
        this.channel = channel;
        this.direct = direct;
        this.blockSize = blockSize;
    }

    public Path path() {
        return path;
    }

    /** Whether the file was opened with O_DIRECT. */
    public boolean direct() {
        return direct;
    }

    /** The alignment direct I/O needs, from the file store. */
    public int blockSize() {
        return blockSize;
    }

    FileChannel channel() {
        return channel;
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
        return path + (direct ? " (direct)" : " (buffered)");
    }
}
