package io.shardline.core;

import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One pending stage of a chain ({@code map}, {@code flatMap}, {@code handle}): the derived future and
 * the continuation of its source in one object, so a stage costs one allocation. Owned by one loop,
 * like the futures it links.
 *
 * @param <U> the stage's value type
 */
final class Step<U> extends Future<U> implements BiConsumer<Object, Throwable> {
    static final byte MAP = 0;
    static final byte FLAT_MAP = 1;
    static final byte HANDLE = 2;
    /** A flatMap whose function has run: now completes like the future it returned. */
    private static final byte FOLLOW = 3;

    private byte kind;
    private Object fn;

    Step(Loop owner, byte kind, Object fn) {
        super(owner);
        this.kind = kind;
        this.fn = fn;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void accept(Object v, Throwable e) {
        Object f = fn;
        fn = null;
        switch (kind) {
            case MAP -> {
                if (e != null) {
                    complete0(null, e);
                    return;
                }
                U u;
                try {
                    u = ((Function<Object, ? extends U>) f).apply(v);
                } catch (Throwable t) {
                    complete0(null, t);
                    return;
                }
                complete0(u, null);
            }
            case HANDLE -> {
                U u;
                try {
                    u = ((BiFunction<Object, Throwable, ? extends U>) f).apply(v, e);
                } catch (Throwable t) {
                    complete0(null, t);
                    return;
                }
                complete0(u, null);
            }
            case FLAT_MAP -> {
                if (e != null) {
                    complete0(null, e);
                    return;
                }
                Future<U> next;
                try {
                    next = ((Function<Object, ? extends Future<U>>) f).apply(v);
                    if (next == null) {
                        throw new NullPointerException("flatMap function returned null instead of a future");
                    }
                } catch (Throwable t) {
                    complete0(null, t);
                    return;
                }
                if (isDone()) {
                    return; // cancelled while the function ran
                }
                kind = FOLLOW;
                follow(next, this);
            }
            default -> complete0((U) v, e);
        }
    }
}
