package io.shardline.examples.router;

import java.lang.reflect.Proxy;

/**
 * Runs an action on SIGHUP, on the JVM's signal thread (never on a shard). Stateless; any thread.
 *
 * <p>Through {@code sun.misc.Signal} (module jdk.unsupported, exported to everyone), looked up
 * reflectively so the build's {@code -Werror} does not meet javac's internal-API warning, which no
 * annotation suppresses.
 */
final class Reload {
    private Reload() {
    }

    /** Calls {@code action} on each SIGHUP; false where the platform or the JVM offers no SIGHUP handler. */
    static boolean onHangup(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object h = Proxy.newProxyInstance(Reload.class.getClassLoader(), new Class<?>[] {handler}, (proxy, m, args) -> {
                if (m.getDeclaringClass() == Object.class) {
                    return switch (m.getName()) {
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "SIGHUP handler";
                    };
                }
                action.run();
                return null;
            });
            signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance("HUP"), h);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
