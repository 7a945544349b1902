package io.shardline.net;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;

/**
 * The two facts about NIO objects that io_uring needs and NIO does not publish: a channel's file
 * descriptor and a direct buffer's native address. Stateless; usable from any thread.
 *
 * <p>Both live in {@code sun.nio.ch}, which the JVM must export to this code with
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (the launcher and the build pass it).
 * Without it {@link #unavailable()} says so, and io_uring cannot be given NIO's sockets or buffers.
 */
final class NioInternals {
    static final String FLAG = "--add-exports java.base/sun.nio.ch=ALL-UNNAMED";
    private static final MethodHandle FD;
    private static final MethodHandle ADDRESS;
    private static final String UNAVAILABLE;

    static {
        MethodHandle fd = null;
        MethodHandle address = null;
        String why = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            fd = lookup.findVirtual(Class.forName("sun.nio.ch.SelChImpl"), "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, SelectableChannel.class));
            address = lookup.findVirtual(Class.forName("sun.nio.ch.DirectBuffer"), "address",
                    MethodType.methodType(long.class)).asType(MethodType.methodType(long.class, ByteBuffer.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            why = "sun.nio.ch is not exported to this code (" + e.getClass().getSimpleName() + "); run with " + FLAG;
        }
        FD = fd;
        ADDRESS = address;
        UNAVAILABLE = why;
    }

    private NioInternals() {
    }

    /** Why these are not available, or null if they are. */
    static String unavailable() {
        return UNAVAILABLE;
    }

    /** The file descriptor of an open channel of the default provider. */
    static int fd(SelectableChannel channel) {
        try {
            return (int) FD.invokeExact(channel);
        } catch (Throwable t) {
            throw new IllegalStateException("no file descriptor for " + channel, t);
        }
    }

    /** The native address of byte 0 of a direct buffer. */
    static long address(ByteBuffer directBuffer) {
        try {
            return (long) ADDRESS.invokeExact(directBuffer);
        } catch (Throwable t) {
            throw new IllegalStateException("not a direct buffer: " + directBuffer, t);
        }
    }
}
