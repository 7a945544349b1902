package io.shardline.storage;

import io.shardline.core.Loop;
import io.shardline.core.ring.Ring;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/** Entry points for storage on a loop; stateless (each loop keeps its backend as a service), any thread. */
public final class Storage {
    /** The system property that picks the file backend: {@code auto} (the default), {@code ring} or {@code helper}. */
    public static final String FILEIO_PROPERTY = "shardline.storage.fileio";
    private static final Logger LOG = Logger.getLogger(Storage.class.getName());
    private static final AtomicBoolean NOTED = new AtomicBoolean();

    private Storage() {
    }

    /**
     * The file I/O backend of {@code loop}, made on first use and stopped when the loop closes. Call on
     * that loop. With {@value #FILEIO_PROPERTY} {@code auto} (the default) or {@code ring}, a loop that
     * has a {@link Ring} (its parker, or its io_uring transport's) gets a {@link RingFileIo} on it;
     * otherwise, or with {@code helper}, a {@link HelperThreadFileIo}. Asking for {@code ring} where it
     * cannot be had falls back to the helper thread with one log line.
     */
    public static FileIo fileIo(Loop loop) {
        if (!loop.inLoop()) {
            throw new IllegalStateException("Storage.fileIo(" + loop + ") called from thread " + Thread.currentThread().getName());
        }
        FileIo io = loop.service(FileIo.class);
        if (io == null) {
            io = create(loop, System.getProperty(FILEIO_PROPERTY, "auto"));
            loop.putService(FileIo.class, io);
        }
        return io;
    }

    /** A new backend for {@code loop} as {@code choice} asks; on the loop. */
    static FileIo create(Loop loop, String choice) {
        String c = choice.trim().toLowerCase(Locale.ROOT);
        if (!c.equals("auto") && !c.equals("ring") && !c.equals("helper")) {
            note("-D" + FILEIO_PROPERTY + "=" + choice + " is not auto, ring or helper; using auto");
            c = "auto";
        }
        if (c.equals("helper")) {
            return new HelperThreadFileIo(loop);
        }
        Ring ring = Ring.of(loop);
        String missing = ring == null ? "loop " + loop.name() + " has no io_uring ring" : NativeFiles.unavailable();
        if (missing == null) {
            return new RingFileIo(loop, ring);
        }
        if (c.equals("ring")) {
            note("-D" + FILEIO_PROPERTY + "=ring, but " + missing + "; files use a helper thread");
        }
        return new HelperThreadFileIo(loop);
    }

    private static void note(String line) {
        if (NOTED.compareAndSet(false, true)) {
            LOG.warning("storage: " + line);
        }
    }
}
