package io.shardline.storage;

import java.nio.ByteBuffer;

/** Buffers and arithmetic for direct I/O alignment; stateless, any thread. */
public final class AlignedBuffers {
    private AlignedBuffers() {
    }

    /** A direct buffer of {@code capacity} bytes whose address is a multiple of {@code alignment}. */
    public static ByteBuffer allocate(int capacity, int alignment) {
        checkPowerOfTwo(alignment);
        return ByteBuffer.allocateDirect(capacity + alignment).alignedSlice(alignment).slice(0, capacity);
    }

    /** {@code value} rounded down to a multiple of {@code alignment} (a power of two). */
    public static long alignDown(long value, int alignment) {
        return value & -(long) alignment;
    }

    /** {@code value} rounded up to a multiple of {@code alignment} (a power of two). */
    public static long alignUp(long value, int alignment) {
        return (value + alignment - 1) & -(long) alignment;
    }

    static void checkPowerOfTwo(int alignment) {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0) {
            throw new IllegalArgumentException("alignment must be a power of two, got " + alignment);
        }
    }
}
