package io.shardline.storage;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens files with {@code open(2)} through FFM, so that a file's descriptor is known (io_uring needs
 * it and {@link FileChannel} does not publish it), and wraps the descriptor in the JDK's own
 * {@link FileChannel} for the blocking code. Stateless; any thread.
 *
 * <p>The wrapping uses {@code sun.nio.ch} ({@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED},
 * which the launcher and the build pass); without it, or without native access, {@link #unavailable()}
 * says why and files open through {@code FileChannel.open} with no descriptor known.
 */
@SuppressWarnings("restricted") // native calls are the point; the launcher enables native access
final class NativeFiles {
    static final int EINVAL = 22;
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0100;
    private static final int O_DIRECT = 040000;
    private static final int O_DSYNC = 010000;
    private static final int O_CLOEXEC = 02000000;
    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int EPERM = 1;

    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle STRERROR;
    private static final VarHandle ERRNO;
    private static final MethodHandle NEW_FD;
    private static final MethodHandle WRAP;
    private static final String UNAVAILABLE;

    static {
        MethodHandle open = null;
        MethodHandle strerror = null;
        MethodHandle close = null;
        VarHandle errno = null;
        MethodHandle newFd = null;
        MethodHandle wrap = null;
        String why = null;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            open = linker.downcallHandle(libc.find("open").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                    Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
            close = linker.downcallHandle(libc.find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            strerror = linker.downcallHandle(libc.find("strerror").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            errno = Linker.Option.captureStateLayout().varHandle(MemoryLayout.PathElement.groupElement("errno"));
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            newFd = lookup.findStatic(Class.forName("sun.nio.ch.IOUtil"), "newFD",
                    MethodType.methodType(FileDescriptor.class, int.class));
            wrap = lookup.findStatic(Class.forName("sun.nio.ch.FileChannelImpl"), "open", MethodType.methodType(
                    FileChannel.class, FileDescriptor.class, String.class, boolean.class, boolean.class, boolean.class,
                    boolean.class, Closeable.class));
        } catch (ReflectiveOperationException | RuntimeException | Error e) {
            why = "files open without a known descriptor (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); run with --add-exports java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED";
        }
        OPEN = open;
        CLOSE = close;
        STRERROR = strerror;
        ERRNO = errno;
        NEW_FD = newFd;
        WRAP = wrap;
        UNAVAILABLE = why;
    }

    private NativeFiles() {
    }

    /** Why descriptors are not known here, or null when {@link #open} works. */
    static String unavailable() {
        return UNAVAILABLE;
    }

    /**
     * Opens {@code path} read-write (creating it if {@code create}), with O_DIRECT if {@code direct}
     * and O_DSYNC if {@code dsync}. Returns the descriptor, or the negated errno for {@code EINVAL}
     * (O_DIRECT refused); other failures are thrown as NIO words them.
     */
    static int open(Path path, boolean create, boolean direct, boolean dsync) throws IOException {
        int flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0) | (direct ? O_DIRECT : 0) | (dsync ? O_DSYNC : 0);
        int fd;
        int err;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path.toString()), flags, 0666);
            err = fd < 0 ? (int) ERRNO.get(state, 0L) : 0;
        } catch (Throwable t) {
            throw new IOException("open(2) of " + path + " failed", t);
        }
        if (fd >= 0) {
            return fd;
        }
        return switch (err) {
            case EINVAL -> -EINVAL;
            case ENOENT -> throw new NoSuchFileException(path.toString());
            case EACCES, EPERM -> throw new AccessDeniedException(path.toString());
            default -> throw new FileSystemException(path.toString(), null, strerror(err));
        };
    }

    /** A JDK channel that owns {@code fd} (closing the channel closes it). */
    static FileChannel channel(int fd, Path path, boolean direct) throws IOException {
        try {
            FileDescriptor d = (FileDescriptor) NEW_FD.invokeExact(fd);
            return (FileChannel) WRAP.invokeExact(d, path.toString(), true, true, false, direct, (Closeable) null);
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd);
            throw e;
        } catch (Throwable t) {
            closeQuietly(fd);
            throw new IOException("cannot wrap descriptor " + fd + " of " + path, t);
        }
    }

    private static void closeQuietly(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable ignored) {
            // the failure being reported matters more
        }
    }

    /** The C library's message for {@code errnum}, as NIO's exceptions word it. */
    static String strerror(int errnum) {
        if (STRERROR != null) {
            try {
                MemorySegment s = (MemorySegment) STRERROR.invokeExact(errnum);
                return s.reinterpret(256).getString(0);
            } catch (Throwable t) {
                // fall through to the number
            }
        }
        return "errno " + errnum;
    }
}
