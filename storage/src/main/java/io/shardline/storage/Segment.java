package io.shardline.storage;

import io.shardline.core.Future;
import java.nio.file.Path;
import java.util.List;

/**
 * One segment file of a {@link SegmentedLog}: its records' offsets, its byte length and its index.
 * Owned by the log's loop; recovery builds it on the I/O thread and hands it over.
 */
final class Segment {
    final long baseOffset;
    final Path path;
    final FileHandle handle;
    final SegmentIndex index;
    /** Records in the segment that are in the file or being written to it. */
    int records;
    /** Bytes of header and records, without the zero padding direct I/O leaves after them. */
    long end;
    /** Bytes of that written to the file so far. */
    long writtenEnd;
    /** When it was sealed, in wall-clock milliseconds; 0 while it is the active segment. */
    long sealedAtMillis;

    Segment(long baseOffset, Path path, FileHandle handle, SegmentIndex index, int records, long end) {
        this.baseOffset = baseOffset;
        this.path = path;
        this.handle = handle;
        this.index = index;
        this.records = records;
        this.end = end;
        this.writtenEnd = end;
    }

    /** Closes the files of {@code segments} from index {@code i} on, one after another; fails with the first failure. */
    static Future<Void> closeAll(FileIo io, List<Segment> segments, int i) {
        if (i >= segments.size()) {
            return Future.succeeded(null);
        }
        return io.close(segments.get(i).handle).flatMap(v -> closeAll(io, segments, i + 1));
    }

    long nextOffset() {
        return baseOffset + records;
    }

    boolean sealed() {
        return sealedAtMillis != 0;
    }

    Path indexPath() {
        return indexPath(path);
    }

    static String fileName(long baseOffset) {
        return String.format("%020d.seg", baseOffset);
    }

    static Path indexPath(Path segment) {
        String name = segment.getFileName().toString();
        return segment.resolveSibling(name.substring(0, name.length() - ".seg".length()) + ".idx");
    }

    /** The base offset a segment file name stands for, or -1 if it is not a segment name. */
    static long parseName(String name) {
        if (name.length() != 24 || !name.endsWith(".seg")) {
            return -1;
        }
        for (int i = 0; i < 20; i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(name.substring(0, 20));
    }

    @Override
    public String toString() {
        return path.getFileName() + "[" + baseOffset + ".." + (nextOffset() - 1) + ", " + end + " B]";
    }
}
