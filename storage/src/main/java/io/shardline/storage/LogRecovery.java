package io.shardline.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Opens a log directory: validates every segment, trusts a sealed segment's index when it matches the
 * file and scans the rest, cuts a torn tail off the last segment, and reports what it did. Everything
 * is checked before anything is changed, so an error leaves the directory as it was. Blocking; runs
 * as one job on the I/O thread.
 */
final class LogRecovery {
    private final LogConfig config;
    private final boolean dsync;

    LogRecovery(LogConfig config) {
        this.config = config;
        this.dsync = config.syncedWrites();
    }

    /** The recovered segments (the last one active, with its tail block loaded) and the report. */
    record Recovered(List<Segment> segments, RecoveryReport report, ByteBuffer tailBlock) {
    }

    Recovered recover() throws IOException {
        Path dir = config.directory();
        checkDirectory(dir);
        TreeMap<Long, Path> files = listSegments(dir);
        List<Segment> segments = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int scanned = 0;
        int block = FileOpener.blockSize(dir);
        FileWindow window = new FileWindow(1 << 20, block);
        SegmentScanner scanner = new SegmentScanner(window, config.maxRecordBytes(), config.indexIntervalBytes());
        SegmentScanner.Result tornResult = null;
        boolean lastIsEmptyFile = false;
        try {
            int i = 0;
            for (var e : files.entrySet()) {
                boolean last = ++i == files.size();
                long base = e.getKey();
                Path path = e.getValue();
                FileHandle handle = FileOpener.open(path, false, config.direct(), last && dsync);
                Segment prev = segments.isEmpty() ? null : segments.get(segments.size() - 1);
                if (prev != null && prev.nextOffset() != base) {
                    handle.channel().close();
                    throw new StorageException(path, "segment starts at offset " + base + " but " + prev.path.getFileName()
                            + " ends at " + (prev.nextOffset() - 1) + ": the segment holding offsets " + prev.nextOffset()
                            + ".." + (base - 1) + " is missing");
                }
                long size = handle.channel().size();
                if (size == 0) {
                    if (!last) {
                        handle.channel().close();
                        throw new StorageException(path, "empty segment file in the middle of the log");
                    }
                    lastIsEmptyFile = true; // created but never written before a crash: its header is rewritten
                    segments.add(new Segment(base, path, handle, new SegmentIndex(config.indexIntervalBytes()), 0, SegmentHeader.SIZE));
                    continue;
                }
                window.invalidate();
                int at = window.load(handle, 0, SegmentHeader.SIZE);
                try {
                    SegmentHeader.read(path, window.buffer().slice(at, window.available(0)), window.available(0), base);
                } catch (StorageException bad) {
                    handle.channel().close();
                    throw bad;
                }
                SegmentIndex.Decoded idx = last ? null : readIndex(Segment.indexPath(path), size);
                if (idx != null) {
                    Segment s = new Segment(base, path, handle, idx.index(), idx.records(), idx.segmentEnd());
                    s.sealedAtMillis = Math.max(1, idx.sealedAtMillis());
                    segments.add(s);
                    continue;
                }
                SegmentScanner.Result r = scanner.scan(handle, size);
                scanned++;
                if (r.torn()) {
                    if (!last) {
                        handle.channel().close();
                        throw new CorruptLogException(path, r.end(), "bytes there are no valid record, yet later segments hold records");
                    }
                    tornResult = r;
                }
                Segment s = new Segment(base, path, handle, r.index(), r.records(), r.end());
                if (!last) {
                    s.sealedAtMillis = Math.max(1, Files.getLastModifiedTime(path).toMillis());
                }
                segments.add(s);
            }
        } catch (IOException | RuntimeException e) {
            closeAll(segments);
            throw e;
        }
        try {
            return repair(dir, segments, notes, scanned, block, tornResult, lastIsEmptyFile);
        } catch (IOException | RuntimeException e) {
            closeAll(segments);
            throw e;
        }
    }

    /** Everything checked: now change what must change (a new first segment, a torn tail cut). */
    private Recovered repair(Path dir, List<Segment> segments, List<String> notes, int scanned, int block,
            SegmentScanner.Result tornResult, boolean lastIsEmptyFile) throws IOException {
        Path truncatedFile = null;
        long truncatedAt = -1;
        long dropped = 0;
        if (segments.isEmpty()) {
            Path path = dir.resolve(Segment.fileName(0));
            FileHandle handle = FileOpener.open(path, true, config.direct(), dsync);
            segments.add(new Segment(0, path, handle, new SegmentIndex(config.indexIntervalBytes()), 0, SegmentHeader.SIZE));
            lastIsEmptyFile = true;
        } else if (lastIsEmptyFile) {
            notes.add(segments.get(segments.size() - 1).path + " was empty (a crash while it was created); header rewritten");
        }
        Segment active = segments.get(segments.size() - 1);
        ByteBuffer tail = AlignedBuffers.allocate(block, block);
        if (lastIsEmptyFile) {
            SegmentHeader.write(tail, active.baseOffset);
            tail.position(SegmentHeader.SIZE);
            active.writtenEnd = 0; // the header is in the tail block, not yet in the file
        } else {
            long blockStart = AlignedBuffers.alignDown(active.end, block);
            active.handle.readFully(blockStart, tail); // the whole block: direct reads take whole blocks
            tail.clear();
            if (tornResult != null) {
                truncatedFile = active.path;
                truncatedAt = active.end;
                dropped = tornResult.fileSize() - active.end;
                active.handle.channel().truncate(active.end);
                active.handle.channel().force(true);
                notes.add("cut a torn tail of " + dropped + " bytes off " + active.path + " at byte " + active.end
                        + " (after offset " + (active.nextOffset() - 1) + ")");
            }
        }
        if (dsync && !lastIsEmptyFile && tornResult == null) {
            // Bytes written before this open (by a run that did not sync each write) may still be in a
            // cache; the writes from here on are durable one by one, so make those durable once first.
            active.handle.channel().force(false);
        }
        long records = segments.get(segments.size() - 1).nextOffset() - segments.get(0).baseOffset;
        RecoveryReport report = new RecoveryReport(segments.size(), scanned, records, truncatedFile, truncatedAt, dropped,
                List.copyOf(notes));
        return new Recovered(segments, report, tail);
    }

    private static void checkDirectory(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (AccessDeniedException e) {
                throw new StorageException(dir, "cannot create the log directory: permission denied", e);
            }
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new StorageException(dir, "not a directory; a log needs a directory of its own");
        }
        if (!Files.isReadable(dir) || !Files.isWritable(dir) || !Files.isExecutable(dir)) {
            throw new StorageException(dir, "permission denied: the log directory must be readable, writable and searchable");
        }
    }

    private static TreeMap<Long, Path> listSegments(Path dir) throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.seg")) {
            for (Path p : ds) {
                long base = Segment.parseName(p.getFileName().toString());
                if (base < 0) {
                    throw new StorageException(p, "not a Shardline segment name (expected 20 digits and .seg)");
                }
                files.put(base, p);
            }
        } catch (AccessDeniedException e) {
            throw new StorageException(dir, "permission denied listing the log directory", e);
        }
        return files;
    }

    /** The sealed segment's index if it is whole and matches the file, else null (the segment is scanned). */
    private static SegmentIndex.Decoded readIndex(Path idxPath, long fileSize) {
        try {
            if (!Files.isRegularFile(idxPath)) {
                return null;
            }
            SegmentIndex.Decoded d = SegmentIndex.decode(ByteBuffer.wrap(Files.readAllBytes(idxPath)));
            return d != null && d.segmentEnd() <= fileSize && d.segmentEnd() >= SegmentHeader.SIZE ? d : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void closeAll(List<Segment> segments) {
        for (Segment s : segments) {
            try {
                s.handle.channel().close();
            } catch (IOException ignored) {
                // closing after a failed open; the open's error is the one to report
            }
        }
    }
}
