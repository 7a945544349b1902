package io.shardline.core.ring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Owned by the thread that enabled it (the ring is made single-issuer where the kernel allows), not
 * thread-safe: one Linux io_uring instance through the FFM API, its submission and completion queues
 * mapped into this process. {@link Ring} builds the reactor on it; this class knows only the layout.
 *
 * <p>Generalised from the synchronous socket-batch binding that lived in net: entries are written with
 * any opcode, submitted by {@link #enter}, and completions read one by one by the owner.
 */
final class Uring {
    static final int SETUP_CQSIZE = 1 << 3;
    static final int SETUP_R_DISABLED = 1 << 6;
    static final int SETUP_SUBMIT_ALL = 1 << 7;
    static final int SETUP_COOP_TASKRUN = 1 << 8;
    static final int SETUP_TASKRUN_FLAG = 1 << 9;
    static final int SETUP_SINGLE_ISSUER = 1 << 12;
    static final int SETUP_DEFER_TASKRUN = 1 << 13;
    static final int FEAT_SINGLE_MMAP = 1;
    static final int FEAT_NODROP = 1 << 1;
    static final int FEAT_EXT_ARG = 1 << 8;
    static final int ENTER_GETEVENTS = 1;
    static final int ENTER_EXT_ARG = 1 << 3;
    static final int SQ_CQ_OVERFLOW = 1 << 1;
    static final int SQ_TASKRUN = 1 << 2;
    static final int REGISTER_PROBE = 8;
    static final int REGISTER_ENABLE_RINGS = 12;
    private static final long OFF_SQ_RING = 0;
    private static final long OFF_CQ_RING = 0x8000000L;
    private static final long OFF_SQES = 0x10000000L;
    static final int SQE_SIZE = 64;
    private static final int CQE_SIZE = 16;
    private static final int PARAMS_SIZE = 120;
    private static final int PROBE_OPS = 256;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final Native NATIVE = Native.INSTANCE;

    final int fd;
    final int setupFlags;
    final int features;
    private final Arena arena;
    private final MemorySegment errno;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    final MemorySegment sqes;
    private final int sqMask;
    final int sqEntries;
    private final long sqHeadOffset;
    private final long sqTailOffset;
    private final long sqFlagsOffset;
    private final int cqMask;
    private final long cqHeadOffset;
    private final long cqTailOffset;
    private final long cqesOffset;
    /** The event-wait argument of {@code io_uring_enter} and its timespec, reused by every park. */
    private final MemorySegment waitArg;
    private final MemorySegment timespec;
    private int sqTail;
    /** Entries written since the last {@link #enter}: what the next one submits. */
    private int unsubmitted;
    private int cqHead;
    private boolean closed;
    /** For tests: how many of the next {@link #enter} calls fail with {@link #refusal}, without a system call. */
    private int refusals;
    private int refusal;

    private Uring(int fd, int setupFlags, MemorySegment params, Arena arena) throws IOException {
        this.fd = fd;
        this.setupFlags = setupFlags;
        this.arena = arena;
        this.errno = Native.errnoSegment(arena);
        features = params.get(ValueLayout.JAVA_INT, 20);
        sqEntries = params.get(ValueLayout.JAVA_INT, 0);
        int cqEntries = params.get(ValueLayout.JAVA_INT, 4);
        int sqArray = params.get(ValueLayout.JAVA_INT, 64);
        long sqRingSize = sqArray + 4L * sqEntries;
        long cqRingSize = params.get(ValueLayout.JAVA_INT, 100) + (long) CQE_SIZE * cqEntries;
        MemorySegment sq = null;
        MemorySegment cq = null;
        try {
            if ((features & FEAT_SINGLE_MMAP) != 0) {
                sq = NATIVE.mmap(errno, Math.max(sqRingSize, cqRingSize), fd, OFF_SQ_RING, "the io_uring rings");
                cq = sq;
            } else {
                sq = NATIVE.mmap(errno, sqRingSize, fd, OFF_SQ_RING, "the io_uring submission ring");
                cq = NATIVE.mmap(errno, cqRingSize, fd, OFF_CQ_RING, "the io_uring completion ring");
            }
            sqes = NATIVE.mmap(errno, (long) SQE_SIZE * sqEntries, fd, OFF_SQES, "the io_uring entries");
        } catch (IOException e) {
            if (cq != null && cq != sq) {
                NATIVE.munmap(cq);
            }
            if (sq != null) {
                NATIVE.munmap(sq);
            }
            throw e;
        }
        sqRing = sq;
        cqRing = cq;
        sqHeadOffset = params.get(ValueLayout.JAVA_INT, 40);
        sqTailOffset = params.get(ValueLayout.JAVA_INT, 44);
        sqMask = sqRing.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, 48));
        sqFlagsOffset = params.get(ValueLayout.JAVA_INT, 56);
        sqTail = sqRing.get(ValueLayout.JAVA_INT, sqTailOffset);
        cqHeadOffset = params.get(ValueLayout.JAVA_INT, 80);
        cqTailOffset = params.get(ValueLayout.JAVA_INT, 84);
        cqMask = cqRing.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, 88));
        cqesOffset = params.get(ValueLayout.JAVA_INT, 100);
        cqHead = cqRing.get(ValueLayout.JAVA_INT, cqHeadOffset);
        // Entry i of the submission queue is always SQE i: the indirection array is filled once.
        for (int i = 0; i < sqEntries; i++) {
            sqRing.set(ValueLayout.JAVA_INT, sqArray + 4L * i, i);
        }
        waitArg = arena.allocate(24, 8);
        timespec = arena.allocate(16, 8);
        waitArg.set(ValueLayout.JAVA_INT, 8, 8); // sigmask_sz: _NSIG / 8, though no mask is passed
        waitArg.set(ValueLayout.JAVA_LONG, 16, timespec.address());
    }

    /**
     * A ring of {@code entries} submission and {@code cqEntries} completion entries set up with
     * {@code flags}; the result of {@code io_uring_setup} is returned negated in the exception's
     * {@link SetupException#errno} so the caller can retry with fewer flags.
     */
    static Uring setup(int entries, int cqEntries, int flags) throws IOException {
        if (NATIVE == null) {
            throw new IOException("io_uring needs the FFM API's native access (--enable-native-access=ALL-UNNAMED)");
        }
        // Shared: the ring is set up on the thread that builds the loop and used on the loop's thread.
        Arena arena = Arena.ofShared();
        try {
            MemorySegment errno = Native.errnoSegment(arena);
            MemorySegment params = arena.allocate(PARAMS_SIZE, 8);
            params.set(ValueLayout.JAVA_INT, 4, cqEntries);
            params.set(ValueLayout.JAVA_INT, 8, flags | SETUP_CQSIZE);
            long ret = NATIVE.syscall(errno, Native.SYS_IO_URING_SETUP, entries, params.address(), 0, 0, 0, 0);
            if (ret < 0) {
                throw new SetupException((int) -ret);
            }
            int fd = (int) ret;
            try {
                return new Uring(fd, flags, params, arena);
            } catch (IOException e) {
                NATIVE.close(fd);
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** {@code io_uring_setup} refused: {@link #errno} says why. */
    static final class SetupException extends IOException {
        private static final long serialVersionUID = 1L;
        final int errno;

        SetupException(int errno) {
            super("io_uring_setup failed: " + Native.strerror(errno));
            this.errno = errno;
        }
    }

    /** Makes the calling thread the ring's only submitter (a ring set up with R_DISABLED). */
    void enable() throws IOException {
        long ret = register(REGISTER_ENABLE_RINGS, 0, 0);
        if (ret < 0) {
            throw new IOException("io_uring could not be enabled: " + Native.strerror((int) -ret));
        }
    }

    /** {@code io_uring_register}; returns its result or a negated errno. */
    long register(int opcode, long arg, int count) {
        return NATIVE.syscall(errno, Native.SYS_IO_URING_REGISTER, fd, opcode, arg, count, 0, 0);
    }

    /** Which opcodes the kernel supports: index by opcode; all false if the probe is refused. */
    boolean[] probe() {
        boolean[] supported = new boolean[PROBE_OPS];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(16 + 8L * PROBE_OPS, 8);
            if (register(REGISTER_PROBE, p.address(), PROBE_OPS) < 0) {
                return supported;
            }
            int n = Byte.toUnsignedInt(p.get(ValueLayout.JAVA_BYTE, 1)); // ops_len
            for (int i = 0; i < n; i++) {
                long op = 16 + 8L * i;
                int code = Byte.toUnsignedInt(p.get(ValueLayout.JAVA_BYTE, op));
                boolean ok = (p.get(ValueLayout.JAVA_SHORT, op + 2) & 1) != 0; // IO_URING_OP_SUPPORTED
                supported[code] = ok;
            }
        }
        return supported;
    }

    /** Free submission entries: those the kernel has not yet taken count as used. */
    int freeEntries() {
        int head = (int) INT.getAcquire(sqRing, sqHeadOffset); // acquire: the kernel is done reading those
        return sqEntries - (sqTail - head);
    }

    /**
     * Offset in {@link #sqes} of the next entry, zeroed and holding {@code opcode}; the caller fills the
     * rest. There must be a free entry ({@link #freeEntries}).
     */
    long next(byte opcode, int fd, long userData) {
        long sqe = (long) (sqTail & sqMask) * SQE_SIZE;
        for (long o = 0; o < SQE_SIZE; o += 8) {
            sqes.set(ValueLayout.JAVA_LONG, sqe + o, 0L); // not asSlice().fill(): a slice is an object per entry
        }
        sqes.set(ValueLayout.JAVA_BYTE, sqe, opcode);
        sqes.set(ValueLayout.JAVA_INT, sqe + 4, fd);
        sqes.set(ValueLayout.JAVA_LONG, sqe + 32, userData);
        sqTail++;
        unsubmitted++;
        return sqe;
    }

    int unsubmitted() {
        return unsubmitted;
    }

    /** The submission queue's flags (the kernel's hints: task work pending, completions overflowed). */
    int sqFlags() {
        return (int) INT.getAcquire(sqRing, sqFlagsOffset); // acquire: the kernel sets them concurrently
    }

    /** What the last {@link #enter} asked to wait for: for tests of the callers. */
    int lastMinComplete;
    long lastTimeoutNanos;

    /**
     * One {@code io_uring_enter}: submits what was written, then waits for {@code minComplete}
     * completions, at most {@code timeoutNanos} ({@code < 0}: no limit). Returns how many entries the
     * kernel took, or a negated errno ({@code -ETIME} when the wait timed out, {@code -EINTR}).
     */
    int enter(int minComplete, long timeoutNanos, boolean getEvents) {
        if (closed) {
            throw new IllegalStateException("io_uring is closed");
        }
        if (refusals > 0) {
            refusals--;
            return -refusal; // as the kernel does then: nothing submitted, nothing waited for
        }
        int n = unsubmitted;
        if (n > 0) {
            // Release: the kernel must see the entries written before it sees the new tail.
            INT.setRelease(sqRing, sqTailOffset, sqTail);
        }
        int flags = getEvents || minComplete > 0 ? ENTER_GETEVENTS : 0;
        long arg = 0;
        long argSize = 0;
        if (minComplete > 0 && timeoutNanos >= 0) {
            timespec.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            timespec.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            flags |= ENTER_EXT_ARG;
            arg = waitArg.address();
            argSize = waitArg.byteSize();
        }
        lastMinComplete = minComplete;
        lastTimeoutNanos = timeoutNanos;
        long ret = NATIVE.syscall(errno, Native.SYS_IO_URING_ENTER, fd, n, minComplete, flags, arg, argSize);
        if (ret > 0) {
            unsubmitted -= (int) Math.min(ret, n);
        }
        return (int) ret;
    }

    /** For tests: the next {@code times} {@link #enter} calls fail with {@code -errno}, as a busy kernel's would. */
    void refuseNextEnters(int times, int errno) {
        refusals = times;
        refusal = errno;
    }

    /** The kernel's completion tail: entries from {@link #cqHead()} up to it are ready. */
    int cqTail() {
        return (int) INT.getAcquire(cqRing, cqTailOffset); // acquire: entries up to the tail are written
    }

    int cqHead() {
        return cqHead;
    }

    long cqeUserData(int index) {
        return cqRing.get(ValueLayout.JAVA_LONG, cqesOffset + (long) (index & cqMask) * CQE_SIZE);
    }

    int cqeResult(int index) {
        return cqRing.get(ValueLayout.JAVA_INT, cqesOffset + (long) (index & cqMask) * CQE_SIZE + 8);
    }

    int cqeFlags(int index) {
        return cqRing.get(ValueLayout.JAVA_INT, cqesOffset + (long) (index & cqMask) * CQE_SIZE + 12);
    }

    /** Hands the completion entries before {@code head} back to the kernel. */
    void cqAdvance(int head) {
        cqHead = head;
        INT.setRelease(cqRing, cqHeadOffset, head); // release: the kernel may reuse the entries read above
    }

    /** Copies the entries written but not submitted to {@code to}, in order (a ring rebuilt before use). */
    void movePendingTo(Uring to) {
        for (int i = unsubmitted; i > 0; i--) {
            long from = (long) ((sqTail - i) & sqMask) * SQE_SIZE;
            long sqe = (long) (to.sqTail & to.sqMask) * SQE_SIZE;
            MemorySegment.copy(sqes, from, to.sqes, sqe, SQE_SIZE);
            to.sqTail++;
            to.unsubmitted++;
        }
        sqTail -= unsubmitted;
        unsubmitted = 0;
    }

    /** Unmaps the queues and closes the ring's descriptor; in-flight operations are the caller's concern. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        NATIVE.munmap(sqes);
        if (cqRing != sqRing) {
            NATIVE.munmap(cqRing);
        }
        NATIVE.munmap(sqRing);
        NATIVE.close(fd);
        arena.close();
    }
}
