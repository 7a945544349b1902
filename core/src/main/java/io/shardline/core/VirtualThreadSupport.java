package io.shardline.core;

import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Access to the JDK's virtual-thread builder that takes a scheduler; stateless after class init, any
 * thread.
 *
 * <p>JDK 25 keeps {@code java.lang.ThreadBuilders.VirtualThreadBuilder(Executor)} package-private;
 * opening {@code java.base/java.lang} lets a loop be the scheduler (carrier) of its own virtual
 * threads. Without the flag this says why, and the rest of the runtime works as before.
 */
final class VirtualThreadSupport {
    static final String FLAG = "--add-opens java.base/java.lang=ALL-UNNAMED";

    private static final System.Logger LOG = System.getLogger("io.shardline.core");
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final Constructor<?> CONSTRUCTOR;
    private static final String UNAVAILABLE;

    static {
        Constructor<?> ctor = null;
        String reason = null;
        try {
            Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            ctor = c.getDeclaredConstructor(Executor.class);
            ctor.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            ctor = null;
            reason = "shard-confined virtual threads are unavailable (" + e.getClass().getSimpleName()
                    + "): start the JVM with " + FLAG + "; everything else works without them";
        }
        CONSTRUCTOR = ctor;
        UNAVAILABLE = reason;
    }

    private VirtualThreadSupport() {
    }

    /** Says once per JVM, as a loop starts, that confined virtual threads are unavailable and why. */
    static void warnOnceIfUnavailable() {
        if (CONSTRUCTOR == null && WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, UNAVAILABLE);
        }
    }

    /** A builder of virtual threads whose continuations run on {@code scheduler}. */
    static Thread.Builder.OfVirtual builder(Executor scheduler) {
        if (CONSTRUCTOR == null) {
            throw new UnsupportedOperationException(UNAVAILABLE);
        }
        try {
            return (Thread.Builder.OfVirtual) CONSTRUCTOR.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("cannot create a confined virtual thread builder: " + e, e);
        }
    }
}
