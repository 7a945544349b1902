package io.shardline.storage;

import io.shardline.core.Future;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Snapshots of a state machine fed by a {@link SegmentedLog}: the state as of a log offset, saved
 * atomically so that the log's older segments can go ({@link SegmentedLog#snapshotAndTruncate}).
 * Owned by one loop, like its {@link FileIo}; every method is called on that loop.
 *
 * <p>A snapshot file is a 32-byte header (magic, version, last offset, length, CRC32C of the data)
 * and the data. It is written to a temporary name, forced, renamed into place and the directory
 * forced, so a crash leaves either the old snapshot or the new one, never half of one.
 */
public final class SnapshotStore {
    private static final int MAGIC = 0x53484C53; // "SHLS"
    private static final int VERSION = 1;
    private static final int HEADER = 32;

    private final Path directory;
    private final FileIo io;

    public SnapshotStore(Path directory, FileIo io) {
        this.directory = directory;
        this.io = io;
    }

    /** A saved snapshot: the state after applying every record up to {@code lastOffset}. */
    public record Snapshot(long lastOffset, ByteBuffer data, Path path) {
    }

    /** Saves {@code data} as the state after {@code lastOffset}, then deletes older snapshots. */
    public Future<Void> save(long lastOffset, ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(HEADER + data.remaining());
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        copy.putInt(MAGIC).putInt(VERSION).putLong(lastOffset).putLong(data.remaining()).putInt((int) crc.getValue()).putInt(0);
        copy.put(data.duplicate()).flip();
        return io.run(() -> {
            Files.createDirectories(directory);
            Path target = directory.resolve(name(lastOffset));
            Path tmp = directory.resolve(name(lastOffset) + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                while (copy.hasRemaining()) {
                    ch.write(copy);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            FileOpener.syncDirectory(directory);
            for (Path older : list().headMap(lastOffset).values()) {
                Files.deleteIfExists(older);
            }
            return null;
        });
    }

    /**
     * The newest snapshot, or null if there is none. A newest snapshot that fails its checksum is an
     * error naming the file, not a silent fall-back: the log may no longer hold what an older one needs.
     */
    public Future<Snapshot> latest() {
        return io.run(() -> {
            if (!Files.isDirectory(directory)) {
                return null;
            }
            var all = list();
            if (all.isEmpty()) {
                return null;
            }
            Path path = all.lastEntry().getValue();
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path));
            if (b.remaining() < HEADER || b.getInt(0) != MAGIC) {
                throw new StorageException(path, "not a Shardline snapshot");
            }
            if (b.getInt(4) > VERSION) {
                throw new StorageException(path, "snapshot format version " + b.getInt(4) + " is newer than this build reads");
            }
            long length = b.getLong(16);
            if (length != b.remaining() - HEADER) {
                throw new StorageException(path, "snapshot is " + (b.remaining() - HEADER) + " bytes of data, its header says " + length);
            }
            ByteBuffer data = b.slice(HEADER, (int) length);
            CRC32C crc = new CRC32C();
            crc.update(data.duplicate());
            if ((int) crc.getValue() != b.getInt(24)) {
                throw new StorageException(path, "snapshot fails its checksum");
            }
            return new Snapshot(b.getLong(8), data, path);
        });
    }

    private TreeMap<Long, Path> list() throws IOException {
        TreeMap<Long, Path> out = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, "snapshot-*.snap")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                try {
                    out.put(Long.parseLong(n.substring("snapshot-".length(), n.length() - ".snap".length())), p);
                } catch (NumberFormatException e) {
                    throw new StorageException(p, "not a snapshot name (expected snapshot-<20 digits>.snap)");
                }
            }
        }
        return out;
    }

    private static String name(long lastOffset) {
        return String.format("snapshot-%020d.snap", lastOffset);
    }
}
