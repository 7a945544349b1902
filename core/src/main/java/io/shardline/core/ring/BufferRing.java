package io.shardline.core.ring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A provided-buffer ring: {@code count} buffers of {@code size} bytes that the kernel picks from
 * when a receive completes, so a multishot receive needs no buffer per socket. Owned by its
 * {@link Ring}'s loop thread; not thread-safe.
 *
 * <p>A completion that used one carries {@link Ring#F_BUFFER} and the buffer's id
 * ({@link #bufferId}); the owner reads it ({@link #buffer}) and hands it back with {@link #recycle}
 * once it is done, after which the kernel may fill it again. Made by {@link Ring#registerBuffers};
 * released by {@link Ring#close} or {@link #close}.
 */
public final class BufferRing implements AutoCloseable {
    private static final int REGISTER_PBUF_RING = 22;
    private static final int UNREGISTER_PBUF_RING = 23;
    private static final int ENTRY_SIZE = 16;
    private static final long TAIL_OFFSET = 14; // the tail overlays the first entry's reserved field
    private static final long PAGE = 4096;
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();

    private final Ring ring;
    private final int groupId;
    private final int count;
    private final int size;
    private final int mask;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment entries;
    private final MemorySegment data;
    private final ByteBuffer[] views;
    private int tail;
    private boolean closed;

    BufferRing(Ring ring, Uring uring, int groupId, int count, int size) throws IOException {
        if (count < 1 || count > 32768 || Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("a buffer ring holds a power of two up to 32768 buffers, not " + count);
        }
        if (size < 1) {
            throw new IllegalArgumentException("buffer size " + size);
        }
        if (groupId < 0 || groupId > 0xFFFF) {
            throw new IllegalArgumentException("buffer group id " + groupId);
        }
        this.ring = ring;
        this.groupId = groupId;
        this.count = count;
        this.size = size;
        this.mask = count - 1;
        entries = arena.allocate((long) ENTRY_SIZE * count, PAGE); // the kernel wants it page-aligned
        data = arena.allocate((long) size * count, PAGE);
        views = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            views[i] = data.asSlice((long) i * size, size).asByteBuffer();
        }
        long ret = registerWith(uring);
        if (ret < 0) {
            arena.close();
            throw new IOException("registering buffer group " + groupId + " failed: " + Native.strerror((int) -ret)
                    + (ret == -Native.ENOMEM ? " (its entries count against RLIMIT_MEMLOCK: raise ulimit -l)" : ""));
        }
        for (int i = 0; i < count; i++) {
            recycle(i);
        }
    }

    /**
     * Registers the group's entries with {@code uring}: at construction, and again when the ring moves
     * to a new io_uring before its first use (a loop on a virtual thread). Returns 0 or a negated errno.
     */
    long registerWith(Uring uring) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(40, 8);
            reg.set(ValueLayout.JAVA_LONG, 0, entries.address());
            reg.set(ValueLayout.JAVA_INT, 8, count);
            reg.set(ValueLayout.JAVA_SHORT, 12, (short) groupId);
            return uring.register(REGISTER_PBUF_RING, reg.address(), 1);
        }
    }

    /** The id of the buffer a completion used; meaningful when {@link #hasBuffer} says there is one. */
    public static int bufferId(int cqeFlags) {
        return cqeFlags >>> 16;
    }

    /** Whether a completion's flags say it used a provided buffer. */
    public static boolean hasBuffer(int cqeFlags) {
        return (cqeFlags & Ring.F_BUFFER) != 0;
    }

    public int groupId() {
        return groupId;
    }

    public int bufferSize() {
        return size;
    }

    public int count() {
        return count;
    }

    /**
     * Buffer {@code id} as a view of its first {@code length} bytes (position 0); the same object every
     * time, lent until {@link #recycle}.
     */
    public ByteBuffer buffer(int id, int length) {
        ByteBuffer b = views[id];
        b.clear().limit(length);
        return b;
    }

    /** The native address of buffer {@code id}. */
    public long address(int id) {
        return data.address() + (long) id * size;
    }

    /** Gives buffer {@code id} back to the kernel to fill again. */
    public void recycle(int id) {
        if (closed) {
            return;
        }
        long e = (long) (tail & mask) * ENTRY_SIZE;
        entries.set(ValueLayout.JAVA_LONG, e, address(id));
        entries.set(ValueLayout.JAVA_INT, e + 8, size);
        entries.set(ValueLayout.JAVA_SHORT, e + 12, (short) id);
        tail++;
        SHORT.setRelease(entries, TAIL_OFFSET, (short) tail); // release: the entry before the tail
    }

    /** Unregisters the group and frees its memory; no receive may still be using it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ring.unregister(this);
        arena.close();
    }

    /** Called by the ring (still open) to drop the group from the kernel. */
    void unregisterFrom(Uring uring) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(40, 8);
            reg.set(ValueLayout.JAVA_SHORT, 12, (short) groupId);
            uring.register(UNREGISTER_PBUF_RING, reg.address(), 1);
        }
    }

    /** Called by the ring's close, which has already dropped the ring and so the group. */
    void release() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}
