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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;

/**
 * The socket calls the io_uring transport makes on a bare descriptor (one the ring's multishot accept
 * returned, which has no NIO channel): addresses, options, shutdown, close and a non-blocking send.
 * Stateless; any thread. Null {@link #INSTANCE} where native access is refused.
 */
@SuppressWarnings("restricted") // native calls are the point; the launcher enables native access
final class SocketFds {
    static final SocketFds INSTANCE = load();
    static final int EAGAIN = 11;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOL_SOCKET = 1;
    private static final int SO_LINGER = 13;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_NODELAY = 1;
    private static final int SHUT_WR = 1;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MethodHandle getpeername;
    private final MethodHandle getsockname;
    private final MethodHandle setsockopt;
    private final MethodHandle shutdown;
    private final MethodHandle close;
    private final MethodHandle send;
    private final MethodHandle strerror;
    private final VarHandle errno;

    private SocketFds(MethodHandle getpeername, MethodHandle getsockname, MethodHandle setsockopt,
                      MethodHandle shutdown, MethodHandle close, MethodHandle send, MethodHandle strerror,
                      VarHandle errno) {
        this.getpeername = getpeername;
        this.getsockname = getsockname;
        this.setsockopt = setsockopt;
        this.shutdown = shutdown;
        this.close = close;
        this.send = send;
        this.strerror = strerror;
        this.errno = errno;
    }

    private static SocketFds load() {
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            Linker.Option e = Linker.Option.captureCallState("errno");
            ValueLayout i = ValueLayout.JAVA_INT;
            ValueLayout a = ValueLayout.ADDRESS;
            ValueLayout j = ValueLayout.JAVA_LONG;
            return new SocketFds(
                    linker.downcallHandle(libc.find("getpeername").orElseThrow(), FunctionDescriptor.of(i, i, a, a), e),
                    linker.downcallHandle(libc.find("getsockname").orElseThrow(), FunctionDescriptor.of(i, i, a, a), e),
                    linker.downcallHandle(libc.find("setsockopt").orElseThrow(),
                            FunctionDescriptor.of(i, i, i, i, a, i), e),
                    linker.downcallHandle(libc.find("shutdown").orElseThrow(), FunctionDescriptor.of(i, i, i), e),
                    linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(i, i)),
                    linker.downcallHandle(libc.find("send").orElseThrow(), FunctionDescriptor.of(j, i, j, j, i), e),
                    linker.downcallHandle(libc.find("strerror").orElseThrow(), FunctionDescriptor.of(a, i)),
                    Linker.Option.captureStateLayout().varHandle(MemoryLayout.PathElement.groupElement("errno")));
        } catch (RuntimeException | Error e) {
            return null;
        }
    }

    /** The peer's address. */
    InetSocketAddress peer(int fd) throws IOException {
        return address(fd, getpeername, "getpeername");
    }

    /** The socket's own address. */
    InetSocketAddress local(int fd) throws IOException {
        return address(fd, getsockname, "getsockname");
    }

    private InetSocketAddress address(int fd, MethodHandle call, String name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment addr = arena.allocate(128, 8);
            MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, 128);
            int r = (int) call.invokeExact(err, fd, addr, len);
            if (r < 0) {
                throw new IOException(name + " failed: " + message(errno(err)));
            }
            int family = Short.toUnsignedInt(addr.get(ValueLayout.JAVA_SHORT, 0));
            int port = Short.toUnsignedInt(addr.get(NET_SHORT, 2));
            byte[] ip = switch (family) {
                case AF_INET -> addr.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
                case AF_INET6 -> addr.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
                default -> throw new IOException(name + ": address family " + family);
            };
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(name + " failed", t);
        }
    }

    /** TCP_NODELAY on. */
    void noDelay(int fd) throws IOException {
        setInts(fd, IPPROTO_TCP, TCP_NODELAY, 1, -1);
    }

    /** SO_LINGER on with 0 s: the close sends a reset. */
    void lingerZero(int fd) throws IOException {
        setInts(fd, SOL_SOCKET, SO_LINGER, 1, 0);
    }

    /** Sets one int option, or two ({@code second >= 0}: a struct of two ints, as linger is). */
    private void setInts(int fd, int level, int option, int first, int second) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment v = arena.allocate(8, 4);
            v.set(ValueLayout.JAVA_INT, 0, first);
            v.set(ValueLayout.JAVA_INT, 4, Math.max(second, 0));
            int r = (int) setsockopt.invokeExact(err, fd, level, option, v, second >= 0 ? 8 : 4);
            if (r < 0) {
                throw new IOException("setsockopt failed: " + message(errno(err)));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("setsockopt failed", t);
        }
    }

    /** Shuts the socket's output (this side's FIN). */
    void shutdownOutput(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Linker.Option.captureStateLayout());
            int r = (int) shutdown.invokeExact(err, fd, SHUT_WR);
            if (r < 0) {
                throw new IOException("shutdown failed: " + message(errno(err)));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("shutdown failed", t);
        }
    }

    /**
     * A non-blocking send of {@code length} bytes at {@code address}: the bytes the socket took, 0 when
     * it is full.
     */
    long send(int fd, long address, int length, MemorySegment err) throws IOException {
        long r;
        try {
            r = (long) send.invokeExact(err, fd, address, (long) length, MSG_DONTWAIT | MSG_NOSIGNAL);
        } catch (Throwable t) {
            throw new IOException("send failed", t);
        }
        if (r >= 0) {
            return r;
        }
        int e = errno(err);
        if (e == EAGAIN) {
            return 0;
        }
        throw new IOException(message(e));
    }

    void close(int fd) {
        try {
            int ignored = (int) close.invokeExact(fd);
        } catch (Throwable t) {
            // nothing more to release
        }
    }

    private int errno(MemorySegment err) {
        return (int) errno.get(err, 0L);
    }

    private String message(int errnum) {
        try {
            MemorySegment s = (MemorySegment) strerror.invokeExact(errnum);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errnum;
        }
    }
}
