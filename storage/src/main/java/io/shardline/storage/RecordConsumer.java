package io.shardline.storage;

import java.nio.ByteBuffer;

/** Receives records during a {@link SegmentedLog#scan}; called on the log's loop. */
@FunctionalInterface
public interface RecordConsumer {

    /**
     * Takes the record at {@code offset}; {@code payload} is valid only during the call. Returns false
     * to stop the scan.
     */
    boolean accept(long offset, ByteBuffer payload);
}
