package io.shardline.net;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of one size, reused by one loop's connections. Owned by one loop; not thread-safe.
 *
 * <p>Bounded: it keeps at most {@code maxPooled} free buffers and lets the rest go to the GC, so a
 * burst of slow readers cannot pin memory forever.
 */
final class BufferPool {
    private final int bufferSize;
    private final int maxPooled;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    BufferPool(int bufferSize, int maxPooled) {
        this.bufferSize = bufferSize;
        this.maxPooled = maxPooled;
    }

    ByteBuffer acquire() {
        ByteBuffer b = free.pollFirst();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(bufferSize);
    }

    void release(ByteBuffer b) {
        if (free.size() < maxPooled && b.capacity() == bufferSize) {
            free.addFirst(b);
        }
    }

    int bufferSize() {
        return bufferSize;
    }
}
