package io.shardline.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Opens files with O_DIRECT where the file system allows it and buffered where it does not, saying
 * so once per file store; makes directory entries durable. Stateless apart from that once-only note; any thread, blocking.
 */
final class FileOpener {
    private static final Logger LOG = Logger.getLogger(FileOpener.class.getName());
    /** Block sizes below this are raised to it: 4 KiB covers the logical block of every common device. */
    static final int MIN_ALIGNMENT = 4096;
    private static final Set<String> NOTED = ConcurrentHashMap.newKeySet();
    /** {@code ExtendedOpenOption.DIRECT}, looked up by name: it lives in jdk.unsupported; null if absent. */
    private static final OpenOption DIRECT = directOption();

    private FileOpener() {
    }

    static FileHandle open(Path path, boolean create, boolean direct) throws IOException {
        return open(path, create, direct, false);
    }

    /**
     * Opens as {@link #open(Path, boolean, boolean)} does; with {@code dsync} also with O_DSYNC, so that
     * every write to the file, by any code through this handle, returns only once its bytes (and the
     * size that makes them readable) are on the device: a durable write needs no {@code fdatasync}.
     */
    static FileHandle open(Path path, boolean create, boolean direct, boolean dsync) throws IOException {
        if (NativeFiles.unavailable() == null) {
            return openNative(path, create, direct, dsync);
        }
        Set<OpenOption> base = new HashSet<>(List.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        if (create) {
            base.add(StandardOpenOption.CREATE);
        }
        if (dsync) {
            base.add(StandardOpenOption.DSYNC);
        }
        int block = blockSize(path);
        if (direct && DIRECT == null) {
            noteBuffered(path, new UnsupportedOperationException("this JDK has no ExtendedOpenOption.DIRECT"));
        } else if (direct) {
            try {
                OpenOption[] options = base.toArray(new OpenOption[0]);
                OpenOption[] withDirect = java.util.Arrays.copyOf(options, options.length + 1);
                withDirect[options.length] = DIRECT;
                return new FileHandle(path, FileChannel.open(path, withDirect), -1, true, dsync, block);
            } catch (UnsupportedOperationException e) {
                noteBuffered(path, e);
            } catch (FileSystemException e) {
                if (!"Invalid argument".equals(e.getReason())) {
                    throw e; // a real failure (permission, missing file), not a refused O_DIRECT
                }
                noteBuffered(path, e);
            }
        }
        return new FileHandle(path, FileChannel.open(path, base.toArray(new OpenOption[0])), -1, false, dsync, block);
    }

    /** Opens through {@code open(2)}, so the handle knows its descriptor. */
    private static FileHandle openNative(Path path, boolean create, boolean direct, boolean dsync) throws IOException {
        int block = blockSize(path);
        if (direct) {
            int fd = NativeFiles.open(path, create, true, dsync);
            if (fd >= 0) {
                return new FileHandle(path, NativeFiles.channel(fd, path, true), fd, true, dsync, block);
            }
            noteBuffered(path, new FileSystemException(path.toString(), null, "open with O_DIRECT: Invalid argument"));
        }
        int fd = NativeFiles.open(path, create, false, dsync);
        if (fd < 0) {
            throw new FileSystemException(path.toString(), null, NativeFiles.strerror(-fd));
        }
        return new FileHandle(path, NativeFiles.channel(fd, path, false), fd, false, dsync, block);
    }

    /** The file store's block size, at least {@link #MIN_ALIGNMENT}. */
    static int blockSize(Path path) throws IOException {
        Path probe = Files.exists(path) ? path : path.toAbsolutePath().getParent();
        FileStore store = Files.getFileStore(probe);
        long size = store.getBlockSize();
        int block = (int) Math.max(MIN_ALIGNMENT, Math.min(size, 1 << 16));
        return Integer.highestOneBit(block) == block ? block : MIN_ALIGNMENT;
    }

    /** Makes a created or deleted directory entry durable. Blocking. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static OpenOption directOption() {
        try {
            Class<?> type = Class.forName("com.sun.nio.file.ExtendedOpenOption");
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals("DIRECT")) {
                    return (OpenOption) constant;
                }
            }
        } catch (ClassNotFoundException e) {
            // no such option on this JDK: buffered I/O
        }
        return null;
    }

    private static void noteBuffered(Path path, Exception why) {
        Path dir = path.toAbsolutePath().getParent();
        if (NOTED.add(String.valueOf(dir))) {
            LOG.info("storage: " + dir + " does not take O_DIRECT (" + why + "); using buffered I/O there");
        }
    }
}
