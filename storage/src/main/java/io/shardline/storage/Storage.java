package io.shardline.storage;

import io.shardline.core.Loop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Entry points for storage on a loop; stateless apart from the per-loop backends, any thread. */
public final class Storage {
    private static final Map<Loop, FileIo> BACKENDS = new ConcurrentHashMap<>();

    private Storage() {
    }

    /**
     * The file I/O backend of {@code loop}: one helper thread per loop, started on first use and
     * stopped when the loop closes. Call on that loop.
     */
    public static FileIo fileIo(Loop loop) {
        if (!loop.inLoop()) {
            throw new IllegalStateException("Storage.fileIo(" + loop + ") called from thread " + Thread.currentThread().getName());
        }
        return BACKENDS.computeIfAbsent(loop, l -> {
            HelperThreadFileIo io = new HelperThreadFileIo(l);
            l.onClose(() -> BACKENDS.remove(l));
            return io;
        });
    }
}
