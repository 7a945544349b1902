package io.shardline.core;

import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One pending stage of a chain ({@code map}, {@code flatMap}, {@code handle}): the derived future and
 * the continuation of its source in one small object (three references, 24 bytes with compressed
 * references), so a stage costs one allocation. A stage has no owner field: it has the loop of the
 * future it derives from or follows ({@link Future#owner()}). Owned by one loop, like the futures it
 * links. One subclass per kind keeps the kind out of the object.
 *
 * @param <U> the stage's value type
 */
abstract class Step<U> extends Future<U> implements BiConsumer<Object, Throwable> {
    /** The stage's function; a flatMap clears it once it has run and then follows the returned future. */
    Object fn;

    Step(Object fn) {
        this.fn = fn;
    }

    /**
     * Its source completed with {@code v} or {@code e}, on {@code loop} (null if the caller does not
     * know it): passing the loop on spares each stage looking it up again.
     */
    abstract void complete(Object v, Throwable e, Loop loop);

    @Override
    public final void accept(Object v, Throwable e) {
        complete(v, e, null);
    }

    /** {@code map}: completes with fn(value); a failure passes through. */
    static final class MapStep<U> extends Step<U> {
        MapStep(Object fn) {
            super(fn);
        }

        @Override
        @SuppressWarnings("unchecked")
        void complete(Object v, Throwable e, Loop loop) {
            if (e != null) {
                complete0(null, e, loop);
                return;
            }
            U u;
            try {
                u = ((Function<Object, ? extends U>) fn).apply(v);
            } catch (Throwable t) {
                complete0(null, t, loop);
                return;
            }
            complete0(u, null, loop);
        }

        /** This stage's state for its source's completed state {@code r}: fn(value), or the failure as is. */
        @SuppressWarnings("unchecked")
        Object apply(Object r) {
            if (r instanceof Failed) {
                return r;
            }
            try {
                return encode(((Function<Object, ?>) fn).apply(decode(r)));
            } catch (Throwable t) {
                return new Failed(t);
            }
        }
    }

    /** {@code handle}: completes with fn(value, failure). */
    static final class HandleStep<U> extends Step<U> {
        HandleStep(Object fn) {
            super(fn);
        }

        @Override
        @SuppressWarnings("unchecked")
        void complete(Object v, Throwable e, Loop loop) {
            U u;
            try {
                u = ((BiFunction<Object, Throwable, ? extends U>) fn).apply(v, e);
            } catch (Throwable t) {
                complete0(null, t, loop);
                return;
            }
            complete0(u, null, loop);
        }
    }

    /** {@code flatMap}: runs fn(value), then completes like the future it returned. */
    static final class FlatMapStep<U> extends Step<U> {
        FlatMapStep(Object fn) {
            super(fn);
        }

        @Override
        @SuppressWarnings("unchecked")
        void complete(Object v, Throwable e, Loop loop) {
            Object f = fn;
            if (f == null) {
                complete0((U) v, e, loop); // the followed future completed
                return;
            }
            if (e != null) {
                complete0(null, e, loop);
                return;
            }
            Future<U> next;
            try {
                next = ((Function<Object, ? extends Future<U>>) f).apply(v);
                if (next == null) {
                    throw new NullPointerException("flatMap function returned null instead of a future");
                }
            } catch (Throwable t) {
                complete0(null, t, loop);
                return;
            }
            if (isDone()) {
                return; // cancelled while the function ran
            }
            fn = null;
            follow(next, this);
        }
    }
}
