package io.shardline.storage;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The first {@value #SIZE} bytes of every segment file: magic, format version, header size, the
 * segment's base offset, and a CRC32C of the header. Stateless, any thread.
 */
final class SegmentHeader {
    static final int SIZE = 64;
    static final int MAGIC = 0x53484C47; // "SHLG"
    static final short VERSION = 1;
    private static final int CRC_AT = SIZE - 4;

    private SegmentHeader() {
    }

    /** Writes the header of a segment starting at {@code baseOffset} at {@code dst}'s index 0. */
    static void write(ByteBuffer dst, long baseOffset) {
        for (int i = 0; i < SIZE; i++) {
            dst.put(i, (byte) 0);
        }
        dst.putInt(0, MAGIC);
        dst.putShort(4, VERSION);
        dst.putShort(6, (short) SIZE);
        dst.putLong(8, baseOffset);
        dst.putInt(CRC_AT, crc(dst));
    }

    /**
     * The base offset in the header held at index 0 of {@code src} ({@code available} bytes read);
     * a clear error naming {@code path} if it is not a Shardline segment of a version we read.
     */
    static long read(Path path, ByteBuffer src, int available, long expectedBase) {
        if (available < SIZE) {
            throw new StorageException(path, "not a Shardline log segment: " + available + " bytes, shorter than its "
                    + SIZE + "-byte header");
        }
        if (src.getInt(0) != MAGIC) {
            throw new StorageException(path, String.format("not a Shardline log segment (magic 0x%08x, expected 0x%08x)",
                    src.getInt(0), MAGIC));
        }
        short version = src.getShort(4);
        if (version > VERSION) {
            throw new StorageException(path, "segment format version " + version + " is newer than this build reads ("
                    + VERSION + "); open it with a newer Shardline");
        }
        if (src.getInt(CRC_AT) != crc(src)) {
            throw new StorageException(path, "segment header fails its checksum");
        }
        long base = src.getLong(8);
        if (base != expectedBase) {
            throw new StorageException(path, "segment header says base offset " + base + " but the file name says " + expectedBase);
        }
        return base;
    }

    private static int crc(ByteBuffer buf) {
        CRC32C crc = new CRC32C();
        crc.update(buf.slice(0, CRC_AT));
        return (int) crc.getValue();
    }
}
