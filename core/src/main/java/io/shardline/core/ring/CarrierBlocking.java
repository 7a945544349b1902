package io.shardline.core.ring;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Tells the virtual-thread scheduler that the calling virtual thread is about to block its carrier in
 * a native call (the JDK's own {@code jdk.internal.misc.Blocker}, which its selector and file I/O use),
 * so the scheduler compensates with another carrier. Stateless; any thread. Where the JVM does not
 * export the class ({@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}), it does nothing and
 * a parked virtual-thread loop pins its carrier, as any native call does.
 */
final class CarrierBlocking {
    private static final MethodHandle BEGIN;
    private static final MethodHandle END;

    static {
        MethodHandle begin = null;
        MethodHandle end = null;
        try {
            Class<?> blocker = Class.forName("jdk.internal.misc.Blocker");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            begin = lookup.findStatic(blocker, "begin", MethodType.methodType(boolean.class));
            end = lookup.findStatic(blocker, "end", MethodType.methodType(void.class, boolean.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not exported: virtual-thread loops pin their carrier while parked
        }
        BEGIN = begin;
        END = end;
    }

    private CarrierBlocking() {
    }

    /** Before a blocking native call: whether the scheduler compensated (only ever on a virtual thread). */
    static boolean begin() {
        if (BEGIN == null || !Thread.currentThread().isVirtual()) {
            return false;
        }
        try {
            return (boolean) BEGIN.invokeExact();
        } catch (Throwable t) {
            return false;
        }
    }

    /** After the call: ends what {@link #begin} started. */
    static void end(boolean compensated) {
        if (compensated) {
            try {
                END.invokeExact(compensated);
            } catch (Throwable t) {
                throw new IllegalStateException("ending a blocking section failed", t);
            }
        }
    }
}
