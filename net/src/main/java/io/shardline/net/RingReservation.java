package io.shardline.net;

import io.shardline.core.Parker;
import io.shardline.core.ring.Ring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.function.IntSupplier;

/**
 * The transports of one runtime's shards, io_uring for all of them or NIO for all of them. Owned by
 * the thread that builds the runtime; not thread-safe.
 *
 * <p>Each ring and its receive buffers count against the locked-memory limit, and a closed ring gives
 * its share back only later (the kernel frees it in the background), so a probe cannot tell whether the
 * shards' rings will fit. As the first shard's transport is asked for, this sets up a transport for
 * every shard at once and hands them out; where one cannot be set up, it releases the others and every
 * shard gets NIO, rather than a runtime whose later shards fail to start or whose shards cannot take
 * each other's connections (an io_uring listener hands descriptors, which NIO cannot adopt).
 */
final class RingReservation {
    private static final System.Logger LOG = System.getLogger("io.shardline.net");

    private final IntSupplier shards;
    private final ArrayDeque<IoUringTransport> reserved = new ArrayDeque<>();
    /** Shards of the runtime being built that get NIO: its rings did not fit. */
    private int nioLeft;

    RingReservation(IntSupplier shards) {
        this.shards = shards;
    }

    /** The next shard's transport; the first of a runtime reserves all of them. */
    Parker next() {
        if (nioLeft == 0 && reserved.isEmpty()) {
            reserve(Math.max(1, shards.getAsInt()));
        }
        if (nioLeft > 0) {
            nioLeft--;
            return new NioTransport();
        }
        return reserved.poll();
    }

    private void reserve(int n) {
        try {
            for (int i = 0; i < n; i++) {
                reserved.add(new IoUringTransport(Ring.open(Ring.DEFAULT_ENTRIES)));
            }
        } catch (IOException | UncheckedIOException e) {
            for (IoUringTransport t : reserved) {
                t.close();
            }
            reserved.clear();
            nioLeft = n;
            String why = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "network transport: NIO after all, io_uring could not set up a ring for each of "
                    + n + " shards: " + why);
        }
    }
}
