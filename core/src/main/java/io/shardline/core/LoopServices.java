package io.shardline.core;

import java.util.Arrays;

/**
 * The typed services hung on one loop (its transport, its file backend, its shard). Written before
 * the loop starts or on the loop's thread; read from any thread.
 *
 * <p>A loop has a handful of services, so a copy-on-write array searched by identity beats a map: a
 * lookup is one volatile read and a short scan, and readers never lock.
 */
final class LoopServices {
    private volatile Object[] entries = new Object[0]; // type, instance, type, instance, ...

    <T> T get(Class<T> type) {
        Object[] e = entries;
        for (int i = 0; i < e.length; i += 2) {
            if (e[i] == type) {
                return type.cast(e[i + 1]);
            }
        }
        return null;
    }

    /** Adds {@code instance} as the {@code type} service; fails if the loop already has one. */
    <T> void put(Class<T> type, T instance, Loop loop) {
        if (!type.isInstance(instance)) {
            throw new IllegalArgumentException(instance + " is not a " + type.getName());
        }
        if (get(type) != null) {
            throw new IllegalStateException(loop + " already has a " + type.getSimpleName() + " service");
        }
        Object[] e = Arrays.copyOf(entries, entries.length + 2);
        e[e.length - 2] = type;
        e[e.length - 1] = instance;
        entries = e; // volatile: a reader on another thread sees the instance fully built
    }
}
