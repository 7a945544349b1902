package io.shardline.storage;

import io.shardline.core.Loop;

/** Entry points for storage on a loop; stateless (each loop keeps its backend as a service), any thread. */
public final class Storage {
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
        FileIo io = loop.service(FileIo.class);
        if (io == null) {
            io = new HelperThreadFileIo(loop);
            loop.putService(FileIo.class, io);
        }
        return io;
    }
}
