package io.shardline.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Owned by the platform thread that opened it (the ring is created single-issuer), and not
 * thread-safe: one Linux io_uring instance, reached through the FFM API, that runs a batch of socket
 * sends or receives in one system call.
 *
 * <p>It is used synchronously: {@link #prepare} fills submission entries, {@link #run} submits them
 * all with one {@code io_uring_enter} and returns once every one of them has completed. Every
 * operation is non-blocking ({@code MSG_DONTWAIT}), so the kernel completes it during the submission
 * (a full or empty socket completes at once with {@code -EAGAIN}); if one ever did go asynchronous,
 * {@code run} cancels it and waits for its cancellation, so no operation outlives the call and no
 * buffer is touched after it returns.
 */
@SuppressWarnings("restricted") // native calls are the point; the launcher enables native access
final class IoUring implements AutoCloseable {
    static final byte OP_SEND = 26;
    static final byte OP_RECV = 27;
    private static final byte OP_ASYNC_CANCEL = 14;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int EAGAIN = 11;
    static final int ECANCELED = 125;
    /** SQE flag: always go asynchronous (to the kernel's workers); only tests set it. */
    static final int IOSQE_ASYNC = 1 << 4;

    private static final long SYS_IO_URING_SETUP = 425;
    private static final long SYS_IO_URING_ENTER = 426;
    private static final int SETUP_SUBMIT_ALL = 1 << 7;
    private static final int SETUP_COOP_TASKRUN = 1 << 8;
    private static final int SETUP_SINGLE_ISSUER = 1 << 12;
    private static final int SETUP_DEFER_TASKRUN = 1 << 13;
    private static final int ENTER_GETEVENTS = 1;
    private static final int ASYNC_CANCEL_ANY = 1 << 2;
    private static final int FEAT_SINGLE_MMAP = 1;
    private static final long OFF_SQ_RING = 0;
    private static final long OFF_CQ_RING = 0x8000000L;
    private static final long OFF_SQES = 0x10000000L;
    private static final int SQE_SIZE = 64;
    private static final int CQE_SIZE = 16;
    private static final int PARAMS_SIZE = 120;
    private static final long CANCEL_TAG = -1;
    private static final int EINTR = 4;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final Native NATIVE = Native.load();

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final int sqMask;
    private final int sqEntries;
    private final long sqTailOffset;
    private final int cqMask;
    private final long cqHeadOffset;
    private final long cqTailOffset;
    private final long cqesOffset;
    private int sqTail;
    private int prepared;
    /** SQE flags for every entry: 0, or IOSQE_ASYNC in a test of the path that cancels stragglers. */
    int entryFlags;
    private boolean closed;
    /** Set by {@link #reap} when the completion of a straggler cancel arrives. */
    private boolean cancelReaped;

    private IoUring(int entries) throws IOException {
        if (NATIVE == null) {
            throw new IOException("io_uring needs the FFM API's native access (--enable-native-access=ALL-UNNAMED)");
        }
        errno = arena.allocate(Linker.Option.captureStateLayout());
        MemorySegment params = arena.allocate(PARAMS_SIZE, 8);
        params.set(ValueLayout.JAVA_INT, 8,
                SETUP_SUBMIT_ALL | SETUP_COOP_TASKRUN | SETUP_SINGLE_ISSUER | SETUP_DEFER_TASKRUN);
        long ret = syscall(SYS_IO_URING_SETUP, entries, params.address(), 0, 0, 0, 0);
        if (ret < 0) {
            arena.close();
            throw new IOException("io_uring_setup failed: " + strerror((int) -ret));
        }
        fd = (int) ret;
        int features = params.get(ValueLayout.JAVA_INT, 20);
        sqEntries = params.get(ValueLayout.JAVA_INT, 0);
        int cqEntries = params.get(ValueLayout.JAVA_INT, 4);
        int sqArray = params.get(ValueLayout.JAVA_INT, 64);
        long sqRingSize = sqArray + 4L * sqEntries;
        long cqRingSize = params.get(ValueLayout.JAVA_INT, 100) + (long) CQE_SIZE * cqEntries;
        MemorySegment sq = null;
        MemorySegment cq = null;
        try {
            if ((features & FEAT_SINGLE_MMAP) != 0) {
                sq = map(Math.max(sqRingSize, cqRingSize), OFF_SQ_RING);
                cq = sq;
            } else {
                sq = map(sqRingSize, OFF_SQ_RING);
                cq = map(cqRingSize, OFF_CQ_RING);
            }
            sqes = map((long) SQE_SIZE * sqEntries, OFF_SQES);
        } catch (IOException e) {
            if (cq != null && cq != sq) {
                NATIVE.unmap(cq);
            }
            if (sq != null) {
                NATIVE.unmap(sq);
            }
            NATIVE.closeFd(fd);
            arena.close();
            throw e;
        }
        sqRing = sq;
        cqRing = cq;
        sqMask = sqRing.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, 48));
        sqTailOffset = params.get(ValueLayout.JAVA_INT, 44);
        sqTail = sqRing.get(ValueLayout.JAVA_INT, sqTailOffset);
        cqMask = cqRing.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, 88));
        cqHeadOffset = params.get(ValueLayout.JAVA_INT, 80);
        cqTailOffset = params.get(ValueLayout.JAVA_INT, 84);
        cqesOffset = params.get(ValueLayout.JAVA_INT, 100);
        // Entry i of the submission queue is always SQE i: the indirection array is filled once.
        for (int i = 0; i < sqEntries; i++) {
            sqRing.set(ValueLayout.JAVA_INT, sqArray + 4L * i, i);
        }
    }

    /**
     * A ring of at least {@code entries} submission entries on this thread, which must be the only one
     * that uses it; fails with an {@link IOException} that says why where io_uring is missing or
     * refused (an old kernel, a seccomp filter, no native access).
     */
    static IoUring open(int entries) throws IOException {
        if (entries < 1) {
            throw new IllegalArgumentException("io_uring needs at least 1 entry, got " + entries);
        }
        return new IoUring(entries);
    }

    /** How many operations one {@link #run} can take. */
    int capacity() {
        return sqEntries;
    }

    /**
     * Prepares a {@code send} ({@link #OP_SEND}) or {@code recv} ({@link #OP_RECV}) of {@code length}
     * bytes at native {@code address} on socket {@code socketFd}, non-blocking; {@code tag} (0 up to
     * {@link #capacity()}) says where {@link #run} puts its result.
     */
    void prepare(byte opcode, int socketFd, long address, int length, int tag) {
        if (closed) {
            throw new IllegalStateException("io_uring is closed");
        }
        if (prepared == sqEntries) {
            throw new IllegalStateException("io_uring batch is full (" + sqEntries + " entries): run it first");
        }
        append(opcode, entryFlags, socketFd, address, length, MSG_DONTWAIT | MSG_NOSIGNAL, tag);
        prepared++;
    }

    /** Writes the next submission entry; {@code opFlags} are the send/receive or cancel flags. */
    private void append(byte opcode, int flags, int targetFd, long address, int length, int opFlags, long tag) {
        long sqe = (long) (sqTail & sqMask) * SQE_SIZE;
        for (long k = 0; k < SQE_SIZE; k += 8) {
            sqes.set(ValueLayout.JAVA_LONG, sqe + k, 0L);
        }
        sqes.set(ValueLayout.JAVA_BYTE, sqe, opcode);
        sqes.set(ValueLayout.JAVA_BYTE, sqe + 1, (byte) flags);
        sqes.set(ValueLayout.JAVA_INT, sqe + 4, targetFd);
        sqes.set(ValueLayout.JAVA_LONG, sqe + 16, address);
        sqes.set(ValueLayout.JAVA_INT, sqe + 24, length);
        sqes.set(ValueLayout.JAVA_INT, sqe + 28, opFlags);
        sqes.set(ValueLayout.JAVA_LONG, sqe + 32, tag);
        sqTail++;
    }

    /**
     * Submits every prepared operation in one system call and returns when all have completed: the
     * result of the operation tagged {@code t} is in {@code results[t]}, a byte count or a negated
     * errno ({@code -EAGAIN} when the socket had no data or no room).
     */
    void run(int[] results) throws IOException {
        int n = prepared;
        if (n == 0) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("io_uring is closed");
        }
        prepared = 0;
        // Release: the kernel must see the entries written above before it sees the new tail.
        INT.setRelease(sqRing, sqTailOffset, sqTail);
        int submitted;
        try {
            submitted = enter(n, 0);
        } catch (IOException e) {
            sqTail -= n; // the kernel took none of them: the next batch overwrites them
            INT.setRelease(sqRing, sqTailOffset, sqTail);
            throw new NotSubmittedException(e.getMessage());
        }
        while (submitted < n) {
            // The kernel took fewer (short of memory): the rest are still in the queue, in order.
            int more = enter(n - submitted, 0);
            if (more == 0) {
                throw new IOException("io_uring took " + submitted + " of " + n + " entries and no more");
            }
            submitted += more;
        }
        int done = reap(results);
        if (done < n) {
            cancelStragglers(results, n - done);
        }
    }

    /** {@link #run} failed before the kernel took any entry: none of the operations happened. */
    static final class NotSubmittedException extends IOException {
        private static final long serialVersionUID = 1L;

        NotSubmittedException(String message) {
            super(message);
        }
    }

    /** Cancels operations that went asynchronous after all and waits for each to end. */
    private void cancelStragglers(int[] results, int missing) throws IOException {
        append(OP_ASYNC_CANCEL, 0, -1, 0, 0, ASYNC_CANCEL_ANY, CANCEL_TAG);
        INT.setRelease(sqRing, sqTailOffset, sqTail); // release: the entry before the tail, as in run()
        cancelReaped = false;
        int done = 0;
        int toSubmit = 1;
        while (done < missing || !cancelReaped) {
            toSubmit -= enter(toSubmit, 1);
            done += reap(results);
        }
    }

    /** Moves completed results into {@code results}; returns how many, not counting a cancel's own. */
    private int reap(int[] results) {
        int head = (int) INT.get(cqRing, cqHeadOffset);
        int tail = (int) INT.getAcquire(cqRing, cqTailOffset); // acquire: entries up to the tail are written
        int done = 0;
        for (; head != tail; head++) {
            long cqe = cqesOffset + (long) (head & cqMask) * CQE_SIZE;
            long tag = cqRing.get(ValueLayout.JAVA_LONG, cqe);
            if (tag == CANCEL_TAG) {
                cancelReaped = true;
            } else {
                results[(int) tag] = cqRing.get(ValueLayout.JAVA_INT, cqe + 8);
                done++;
            }
        }
        INT.setRelease(cqRing, cqHeadOffset, head); // release: the kernel may reuse the entries read above
        return done;
    }

    /** One io_uring_enter; returns how many entries the kernel took. */
    private int enter(int toSubmit, int minComplete) throws IOException {
        while (true) {
            long ret = syscall(SYS_IO_URING_ENTER, fd, toSubmit, minComplete, ENTER_GETEVENTS, 0, 0);
            if (ret >= 0) {
                return (int) ret;
            }
            if (ret != -EINTR) {
                throw new IOException("io_uring_enter failed: " + strerror((int) -ret));
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        NATIVE.unmap(sqes);
        if (cqRing != sqRing) {
            NATIVE.unmap(cqRing);
        }
        NATIVE.unmap(sqRing);
        NATIVE.closeFd(fd);
        arena.close();
    }

    private MemorySegment map(long size, long offset) throws IOException {
        try {
            MemorySegment m = (MemorySegment) NATIVE.mmap.invokeExact(errno, MemorySegment.NULL, size,
                    3 /* PROT_READ | PROT_WRITE */, 0x8001 /* MAP_SHARED | MAP_POPULATE */, fd, offset);
            if (m.address() == -1L) {
                throw new IOException("mmap of the io_uring rings failed: " + strerror(errno()));
            }
            return m.reinterpret(size);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("mmap of the io_uring rings failed", t);
        }
    }

    /** A syscall's result, or its negated errno; unused trailing arguments are passed as 0. */
    private long syscall(long nr, long a, long b, long c, long d, long e, long f) {
        try {
            long r = (long) NATIVE.syscall.invokeExact(errno, nr, a, b, c, d, e, f);
            return r == -1 ? -errno() : r;
        } catch (Throwable t) {
            throw new IllegalStateException("io_uring system call failed", t);
        }
    }

    private int errno() {
        return (int) NATIVE.errno.get(errno, 0L);
    }

    /** The C library's message for {@code errnum}, as NIO's exceptions word it. */
    static String strerror(int errnum) {
        if (NATIVE == null) {
            return "errno " + errnum;
        }
        try {
            MemorySegment s = (MemorySegment) NATIVE.strerror.invokeExact(errnum);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errnum;
        }
    }

    /** The C library functions the ring needs, looked up once; null where native access is refused. */
    private record Native(MethodHandle syscall, MethodHandle mmap, MethodHandle munmap,
                          MethodHandle close, MethodHandle strerror, VarHandle errno) {
        static Native load() {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option errnoOption = Linker.Option.captureCallState("errno");
                MemorySegment syscall = libc.find("syscall").orElseThrow();
                ValueLayout j = ValueLayout.JAVA_LONG;
                // Number and six arguments, as the kernel takes them; a call that needs fewer passes zeros.
                MethodHandle sys = linker.downcallHandle(syscall, FunctionDescriptor.of(j, j, j, j, j, j, j, j),
                        Linker.Option.firstVariadicArg(1), errnoOption);
                MethodHandle mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, j, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, j), errnoOption);
                MethodHandle munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, j));
                MethodHandle close = linker.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                MethodHandle strerror = linker.downcallHandle(libc.find("strerror").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
                VarHandle errno = Linker.Option.captureStateLayout()
                        .varHandle(MemoryLayout.PathElement.groupElement("errno"));
                return new Native(sys, mmap, munmap, close, strerror, errno);
            } catch (RuntimeException | Error e) {
                return null; // native access refused, or not Linux: io_uring is then unavailable
            }
        }

        void unmap(MemorySegment m) {
            try {
                int ignored = (int) munmap.invokeExact(m, m.byteSize());
            } catch (Throwable t) {
                // nothing more to release
            }
        }

        void closeFd(int fd) {
            try {
                int ignored = (int) close.invokeExact(fd);
            } catch (Throwable t) {
                // nothing more to release
            }
        }
    }
}
