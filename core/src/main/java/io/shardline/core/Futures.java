package io.shardline.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Combinators over several loop futures: {@link #all} and {@link #any}. Stateless; call them on the
 * loop that owns the futures, like every {@link Future} method, and the result is owned by that loop.
 */
public final class Futures {
    private Futures() {
    }

    /** A future of all values in order; it fails as soon as one input fails. */
    public static <T> Future<List<T>> all(List<? extends Future<? extends T>> futures) {
        int n = futures.size();
        if (n == 0) {
            return Future.succeeded(Collections.emptyList());
        }
        Object[] results = new Object[n];
        Promise<List<T>> p = new Promise<>(ownerOf(futures));
        int[] remaining = {n};
        for (int i = 0; i < n; i++) {
            int index = i;
            futures.get(i).whenComplete((v, e) -> {
                if (e != null) {
                    p.tryFail(e);
                    return;
                }
                results[index] = v;
                if (--remaining[0] == 0) {
                    @SuppressWarnings("unchecked")
                    List<T> list = (List<T>) Collections.unmodifiableList(Arrays.asList(results));
                    p.trySucceed(list);
                }
            });
        }
        return p;
    }

    /** A future completed like the first of {@code futures} to complete, success or failure. */
    public static <T> Future<T> any(List<? extends Future<? extends T>> futures) {
        if (futures.isEmpty()) {
            throw new IllegalArgumentException("any() needs at least one future");
        }
        Promise<T> p = new Promise<>(ownerOf(futures));
        for (Future<? extends T> f : futures) {
            f.whenComplete(p::tryComplete);
        }
        return p;
    }

    /** The first known owner among {@code futures}, else the loop this thread runs. */
    private static Loop ownerOf(List<? extends Future<?>> futures) {
        for (Future<?> f : futures) {
            Loop owner = f.knownOwner(); // not owner()'s fallback to this thread's loop: a later input may know
            if (owner != null) {
                return owner;
            }
        }
        return Loop.current();
    }
}
