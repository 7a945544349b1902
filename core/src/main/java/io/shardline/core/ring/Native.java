package io.shardline.core.ring;

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
 * The C library calls the ring needs, looked up once through the FFM API. Stateless; any thread.
 *
 * <p>Each call that reports {@code errno} captures it into a segment the caller passes, so threads do
 * not share one. {@link #INSTANCE} is null where native access is refused or the platform is not Linux.
 */
@SuppressWarnings("restricted") // native calls are the point; the launcher enables native access
final class Native {
    static final long SYS_IO_URING_SETUP = 425;
    static final long SYS_IO_URING_ENTER = 426;
    static final long SYS_IO_URING_REGISTER = 427;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EBUSY = 16;
    static final int EINVAL = 22;
    static final int ENOSYS = 38;
    static final int ETIME = 62;
    static final int EPERM = 1;

    static final Native INSTANCE = load();

    private final MethodHandle syscall;
    private final MethodHandle mmap;
    private final MethodHandle munmap;
    private final MethodHandle close;
    private final MethodHandle ftruncate;
    private final MethodHandle eventfd;
    private final MethodHandle eventfdWrite;
    private final MethodHandle strerror;
    private final VarHandle errno;

    private Native(MethodHandle syscall, MethodHandle mmap, MethodHandle munmap, MethodHandle close,
                   MethodHandle ftruncate, MethodHandle eventfd, MethodHandle eventfdWrite, MethodHandle strerror, VarHandle errno) {
        this.syscall = syscall;
        this.mmap = mmap;
        this.munmap = munmap;
        this.close = close;
        this.ftruncate = ftruncate;
        this.eventfd = eventfd;
        this.eventfdWrite = eventfdWrite;
        this.strerror = strerror;
        this.errno = errno;
    }

    private static Native load() {
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            Linker.Option errnoOption = Linker.Option.captureCallState("errno");
            ValueLayout j = ValueLayout.JAVA_LONG;
            ValueLayout i = ValueLayout.JAVA_INT;
            // Number and six arguments, as the kernel takes them; a call that needs fewer passes zeros.
            MethodHandle sys = linker.downcallHandle(libc.find("syscall").orElseThrow(),
                    FunctionDescriptor.of(j, j, j, j, j, j, j, j), Linker.Option.firstVariadicArg(1), errnoOption);
            MethodHandle mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, j, i, i, i, j), errnoOption);
            MethodHandle munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                    FunctionDescriptor.of(i, ValueLayout.ADDRESS, j));
            MethodHandle close = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(i, i));
            MethodHandle ftruncate = linker.downcallHandle(libc.find("ftruncate").orElseThrow(),
                    FunctionDescriptor.of(i, i, j), errnoOption);
            MethodHandle eventfd = linker.downcallHandle(libc.find("eventfd").orElseThrow(),
                    FunctionDescriptor.of(i, i, i), errnoOption);
            // eventfd_write takes the value itself, so a waker on any thread needs no buffer of its own.
            MethodHandle eventfdWrite = linker.downcallHandle(libc.find("eventfd_write").orElseThrow(),
                    FunctionDescriptor.of(i, i, j));
            MethodHandle strerror = linker.downcallHandle(libc.find("strerror").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, i));
            VarHandle errno = Linker.Option.captureStateLayout()
                    .varHandle(MemoryLayout.PathElement.groupElement("errno"));
            return new Native(sys, mmap, munmap, close, ftruncate, eventfd, eventfdWrite, strerror, errno);
        } catch (RuntimeException | Error e) {
            return null; // native access refused, or not Linux: io_uring is then unavailable
        }
    }

    /** A segment for {@link #syscall} and friends to capture errno into; one per calling thread. */
    static MemorySegment errnoSegment(Arena arena) {
        return arena.allocate(Linker.Option.captureStateLayout());
    }

    /** A syscall's result, or its negated errno; unused trailing arguments are passed as 0. */
    long syscall(MemorySegment err, long nr, long a, long b, long c, long d, long e, long f) {
        try {
            long r = (long) syscall.invokeExact(err, nr, a, b, c, d, e, f);
            return r == -1 ? -errno(err) : r;
        } catch (Throwable t) {
            throw new IllegalStateException("system call " + nr + " failed", t);
        }
    }

    /** Maps {@code size} bytes of {@code fd} at {@code offset}, shared and populated. */
    MemorySegment mmap(MemorySegment err, long size, int fd, long offset, String what) throws IOException {
        MemorySegment m;
        try {
            m = (MemorySegment) mmap.invokeExact(err, MemorySegment.NULL, size,
                    3 /* PROT_READ | PROT_WRITE */, 0x8001 /* MAP_SHARED | MAP_POPULATE */, fd, offset);
        } catch (Throwable t) {
            throw new IOException("mmap of " + what + " failed", t);
        }
        if (m.address() == -1L) {
            throw new IOException("mmap of " + what + " failed: " + strerror(errno(err)));
        }
        return m.reinterpret(size);
    }

    void munmap(MemorySegment m) {
        try {
            int ignored = (int) munmap.invokeExact(m, m.byteSize());
        } catch (Throwable t) {
            // nothing more to release
        }
    }

    void close(int fd) {
        try {
            int ignored = (int) close.invokeExact(fd);
        } catch (Throwable t) {
            // nothing more to release
        }
    }

    /** {@code ftruncate(fd, length)}: 0, or a negated errno. */
    int ftruncate(int fd, long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = errnoSegment(a);
            int r = (int) ftruncate.invokeExact(err, fd, length);
            return r < 0 ? -errno(err) : r;
        } catch (Throwable t) {
            throw new IllegalStateException("ftruncate failed", t);
        }
    }

    /** A new eventfd (counter 0, close-on-exec), or a negated errno. */
    int eventfd(MemorySegment err) {
        try {
            int fd = (int) eventfd.invokeExact(err, 0, 0x80000 /* EFD_CLOEXEC */);
            return fd < 0 ? -errno(err) : fd;
        } catch (Throwable t) {
            throw new IllegalStateException("eventfd failed", t);
        }
    }

    /** Adds 1 to the eventfd's counter: the one system call of a wake-up. */
    void eventfdWrite(int fd) {
        try {
            int ignored = (int) eventfdWrite.invokeExact(fd, 1L);
        } catch (Throwable t) {
            throw new IllegalStateException("eventfd_write failed", t);
        }
    }

    private int errno(MemorySegment err) {
        return (int) errno.get(err, 0L);
    }

    /** The C library's message for {@code errnum}, as NIO's exceptions word it. */
    static String strerror(int errnum) {
        Native n = INSTANCE;
        if (n != null) {
            try {
                MemorySegment s = (MemorySegment) n.strerror.invokeExact(errnum);
                return s.reinterpret(256).getString(0);
            } catch (Throwable t) {
                // fall through to the number
            }
        }
        return "errno " + errnum;
    }
}
