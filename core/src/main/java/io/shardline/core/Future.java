// Over 400 lines on purpose: the single-loop future's state machine (one state field, stages without
// an owner field, listeners, cancellation upstream, settling a chain without recursion) reads as one
// piece. Combinators over several futures, the CompletableFuture bridges and await live elsewhere.
package io.shardline.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The result of work on one loop, available later. Owned by one loop; not thread-safe: no atomics,
 * no volatile fields, and every method except the static factories must be called on the owning
 * loop (its thread or one of its confined virtual threads), which {@code -ea} asserts.
 *
 * <p>Continuations run on the owning loop, synchronously when the future completes, or at once if it
 * already has. A deep chain of synchronous completions is cut by moving the rest onto the loop's task
 * queue, so a long recursion never overflows the stack. Already-completed futures never store a
 * continuation: {@code map} computes and returns a completed future, {@code flatMap} returns the
 * function's own future. A completed future is immutable and may be shared.
 *
 * <p>Cancellation completes a pending future with a {@link CancellationException}, runs the
 * producer's cancel hook (a {@code sleep} disarms its timer) and travels upstream through
 * {@code map}/{@code flatMap}/{@code handle}. {@link #cancelOn(AbortSource)} ties it to an abort
 * signal shared by many operations.
 *
 * <p>Combinators over several futures are in {@link Futures}, the bridges to {@link
 * java.util.concurrent.CompletableFuture} in {@link Bridges}, and blocking-style waiting in {@link Await}.
 *
 * @param <T> the value's type
 */
public class Future<T> {
    /** The state of a pending future that has no continuation yet; never visible outside. */
    private static final Object PENDING = new Object();
    /** Continuations run inline up to this depth, then continue from the task queue. */
    private static final int MAX_INLINE_DEPTH = 64;
    /** How far up a pending chain the ownership assertion looks for the owning loop. */
    private static final int CHECK_OWNER_HOPS = 16;
    /**
     * How far up a pending chain {@link #owner()} looks before it settles for the current loop: keeps
     * cancelling a long chain linear, and ends a circular link (a flatMap that follows its own stage).
     */
    private static final int OWNER_HOPS = 64;
    private static final Future<?> NULL_VALUE = new Future<>(null);

    /**
     * While pending: {@link #PENDING}, its one continuation (a BiConsumer) or a {@link Listeners} once a
     * second arrives. Once complete: the value (a {@link Boxed} if the value is itself a BiConsumer) or
     * a {@link Failed}. One field for both, and no owner field in a stage (below), keeps a chain
     * stage at three references: 24 bytes with compressed references.
     */
    private Object state;
    /**
     * While pending: the future this one derives from (cancelled with it, and whose loop this one has)
     * or a cancel hook (Runnable). Null once complete. A {@link Promise} keeps its loop in a field of
     * its own; a pending stage finds it through here ({@link #owner()}).
     */
    private Object canceller;

    /** A pending future. */
    Future() {
        this.state = PENDING;
    }

    private Future(Object state) {
        this.state = state;
    }

    /**
     * The loop that owns this future: a promise's own, else that of the future it derives from. Where
     * that is unknown (a completed stage, which is immutable and may be shared; a future made complete
     * by {@link #succeeded}; a chain from an unowned promise; a link too long or circular to follow)
     * it is the loop this thread runs, or null off every loop. A pending future is touched only on its
     * loop, so for one that is the same loop.
     */
    final Loop owner() {
        Loop loop = knownOwner();
        return loop != null ? loop : Loop.current();
    }

    /** The owner as far as this future knows it: {@link #owner()} without the fallback to this thread's loop. */
    final Loop knownOwner() {
        return owner(OWNER_HOPS);
    }

    /** {@link #owner()}, or null if finding it takes more than {@code maxHops} upstream steps. */
    private Loop owner(int maxHops) {
        Future<?> f = this;
        for (int hops = 0; hops <= maxHops; hops++) {
            if (f instanceof Promise<?> p) {
                return p.owner;
            }
            if (!(f.canceller instanceof Future<?> up)) {
                return null; // a completed stage, or the head of a chain that is not a promise
            }
            f = up;
        }
        return null;
    }

    /** How a failure is stored in {@link #state}, so a Throwable can also be a plain value. */
    record Failed(Throwable cause) {
    }

    /** How a value that is a BiConsumer is stored, so it is not taken for a continuation. */
    record Boxed(Object value) {
    }

    /** Whether {@code s}, a future's state, is pending: no value or failure yet. */
    private static boolean pending(Object s) {
        return s == PENDING || s instanceof BiConsumer || s instanceof Listeners;
    }

    /** {@code value} as a completed state. */
    static Object encode(Object value) {
        return value instanceof BiConsumer ? new Boxed(value) : value;
    }

    /** The value a succeeded state holds. */
    static Object decode(Object s) {
        return s instanceof Boxed b ? b.value() : s;
    }

    /** A completed future; {@code succeeded(null)} is a shared constant and allocates nothing. */
    @SuppressWarnings("unchecked")
    public static <T> Future<T> succeeded(T value) {
        return value == null ? (Future<T>) NULL_VALUE : new Future<>(encode(value));
    }

    /** A future failed with {@code cause}. */
    public static <T> Future<T> failed(Throwable cause) {
        if (cause == null) {
            throw new IllegalArgumentException("failure cause must not be null");
        }
        return new Future<>(new Failed(cause));
    }

    public final boolean isDone() {
        return !pending(state);
    }

    public final boolean isSucceeded() {
        Object s = state;
        return !pending(s) && !(s instanceof Failed);
    }

    public final boolean isFailed() {
        return state instanceof Failed;
    }

    public final boolean isCancelled() {
        return state instanceof Failed f && f.cause() instanceof CancellationException;
    }

    /** The value of a succeeded future; a failed one throws its cause wrapped in a {@link CompletionException}. */
    @SuppressWarnings("unchecked")
    public final T getNow() {
        assert checkOwner();
        Object s = state;
        if (pending(s)) {
            throw new IllegalStateException("future is still pending");
        }
        if (s instanceof Failed f) {
            throw wrap(f.cause());
        }
        return (T) decode(s);
    }

    /** The failure of a failed future, or null. */
    public final Throwable cause() {
        return failure();
    }

    @SuppressWarnings("unchecked")
    private T value() {
        Object s = state;
        return pending(s) || s instanceof Failed ? null : (T) decode(s);
    }

    private Throwable failure() {
        return state instanceof Failed f ? f.cause() : null;
    }

    /** A future of {@code fn(value)}; a failure (or an exception from fn) passes through. */
    public final <U> Future<U> map(Function<? super T, ? extends U> fn) {
        assert checkOwner();
        if (pending(state)) {
            return derive(new Step.MapStep<>(fn)); // the common case first: one compare when nothing listens yet
        }
        if (isSucceeded()) {
            try {
                return succeeded(fn.apply(value()));
            } catch (Throwable t) {
                return failed(t);
            }
        }
        return failed(failure());
    }

    /** The future {@code fn(value)} returns; a failure passes through. */
    public final <U> Future<U> flatMap(Function<? super T, ? extends Future<U>> fn) {
        assert checkOwner();
        if (isSucceeded()) {
            try {
                return nonNull(fn.apply(value()));
            } catch (Throwable t) {
                return failed(t);
            }
        }
        if (isFailed()) {
            return failed(failure());
        }
        return derive(new Step.FlatMapStep<>(fn));
    }

    /** A future of {@code fn(value, failure)}, called on success and on failure alike. */
    public final <U> Future<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
        assert checkOwner();
        if (!pending(state)) {
            try {
                return succeeded(fn.apply(value(), failure()));
            } catch (Throwable t) {
                return failed(t);
            }
        }
        return derive(new Step.HandleStep<>(fn));
    }

    /** A future that turns a failure into {@code fn(failure)}; a success passes through. */
    public final Future<T> recover(Function<Throwable, ? extends T> fn) {
        return handle((v, e) -> e == null ? v : fn.apply(e));
    }

    /**
     * Runs {@code action} on completion (or now, if already complete) and returns this future. An
     * exception from the action goes to the loop's uncaught-exception handler.
     */
    public final Future<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        assert checkOwner();
        if (action == null) {
            throw new NullPointerException("action");
        }
        if (!pending(state)) {
            invoke(action, null);
        } else {
            addListener(action);
        }
        return this;
    }

    /**
     * A future that fails with a {@link java.util.concurrent.TimeoutException} if this one has not
     * completed within {@code timeout} (on the loop's clock); this one is then cancelled.
     */
    public final Future<T> withTimeout(Duration timeout) {
        assert checkOwner();
        if (!pending(state)) {
            return this;
        }
        Loop loop = loopForDerivation();
        Promise<T> p = new Promise<>(loop);
        p.setUpstream(this);
        Timer timer = loop.schedule(timeout, new TimeoutTask<>(p, this, timeout));
        addListener((v, e) -> {
            timer.cancel();
            p.tryComplete(v, e);
        });
        return p;
    }

    /**
     * Cancels a pending future: completes it with a {@link CancellationException}, runs its cancel
     * hook and cancels the future it was derived from. Returns false if it had already completed.
     */
    public final boolean cancel() {
        assert checkOwner();
        if (!pending(state)) {
            return false;
        }
        Object c = canceller;
        complete0(null, new CancellationException("cancelled"));
        if (c instanceof Future<?> up) {
            up.cancel();
        } else if (c instanceof Runnable hook) {
            hook.run();
        }
        return true;
    }

    /** Cancels this future when {@code source} aborts (at once if it already has); returns this. */
    public final Future<T> cancelOn(AbortSource source) {
        assert checkOwner();
        if (!pending(state)) {
            return this;
        }
        AbortSource.Subscription s = source.subscribe(this::cancel);
        if (s != null) {
            addListener((v, e) -> s.close());
        }
        return this;
    }

    @Override
    public String toString() {
        Object s = state;
        if (pending(s)) {
            return "Future[pending]";
        }
        return s instanceof Failed f ? "Future[failed: " + f.cause() + "]" : "Future[succeeded: " + decode(s) + "]";
    }

    // ---- completion, used by Promise ----

    final boolean complete0(T v, Throwable e) {
        return complete0(v, e, null);
    }

    /**
     * Completes a pending future; {@code loop} is its loop when the caller knows it (a stage completed
     * by its source passes the source's on), else null and it is looked up once here.
     */
    final boolean complete0(T v, Throwable e, Loop loop) {
        assert checkOwner();
        if (!pending(state)) {
            return false;
        }
        settle(this, e != null ? new Failed(e) : encode(v), loop != null ? loop : owner());
        return true;
    }

    /**
     * Stores {@code r} (a value or a {@link Failed}) in {@code f} and runs its continuations. A run of
     * single {@code map} stages settles in this loop rather than by recursion: no stack growth, no
     * depth bookkeeping, and a failure travels down the chain as the same object.
     */
    private static void settle(Future<?> f, Object r, Loop loop) {
        while (true) {
            Object l = f.state;
            if (l instanceof Step.MapStep<?> next) {
                // The common case first: one type check per stage of a chain of maps.
                f.state = r;
                f.canceller = null; // drops the upstream link: not needed once complete
                r = next.apply(r);
                f = next;
                continue;
            }
            if (l instanceof Failed) {
                // A stage cancelled before or while its function ran: the only way a pending map stage
                // that is its source's sole continuation completes early. The first future is pending.
                return;
            }
            f.state = r;
            f.canceller = null; // drops the upstream link or cancel hook: neither is needed once complete
            if (l != PENDING) {
                f.notifyListeners(l, loop);
            }
            return;
        }
    }

    final void setUpstream(Future<?> up) {
        canceller = up;
    }

    final void setOnCancel(Runnable hook) {
        if (pending(state)) {
            canceller = hook;
        }
    }

    /** Completes this future like {@code source} once it completes; {@code whenDone} is this future's step. */
    final void follow(Future<T> source, BiConsumer<Object, Throwable> whenDone) {
        assert checkSameLoop(source);
        if (source.isDone()) {
            complete0(source.value(), source.failure());
        } else {
            canceller = source;
            source.addListener(whenDone);
        }
    }

    private void notifyListeners(Object l, Loop loop) {
        if (loop == null) {
            deliver(l, null);
            return;
        }
        // The depth lives in the loop's padded counters, away from fields other threads read.
        LoopCounters c = loop.counters;
        if (c.continuationDepth >= MAX_INLINE_DEPTH) {
            // Cut deep recursion: the rest of the chain continues from the loop's queue.
            loop.execute(() -> deliver(l, loop));
            return;
        }
        c.continuationDepth++;
        try {
            deliver(l, loop);
        } finally {
            c.continuationDepth--;
        }
    }

    @SuppressWarnings("unchecked")
    private void deliver(Object l, Loop loop) {
        if (l instanceof Listeners list) {
            for (int i = 0; i < list.count; i++) {
                invoke((BiConsumer<? super T, ? super Throwable>) list.items[i], loop);
            }
        } else {
            invoke((BiConsumer<? super T, ? super Throwable>) l, loop);
        }
    }

    /** Runs one continuation; a stage gets {@code loop} (this future's, or null if unknown) passed on. */
    @SuppressWarnings("unchecked")
    private void invoke(BiConsumer<? super T, ? super Throwable> c, Loop loop) {
        Object s = state;
        Object v = s instanceof Failed ? null : decode(s);
        Throwable e = s instanceof Failed f ? f.cause() : null;
        try {
            if (c instanceof Step<?> step) {
                step.complete(v, e, loop);
            } else {
                c.accept((T) v, e);
            }
        } catch (Throwable t) {
            Loop owner = loop != null ? loop : owner();
            if (owner != null) {
                owner.reportUncaught(t);
            } else {
                Loop.logUncaught(null, t);
            }
        }
    }

    final void addListener(BiConsumer<? super T, ? super Throwable> c) {
        Object s = state;
        if (s == PENDING) {
            state = c;
        } else if (s instanceof Listeners list) {
            list.add(c);
        } else if (s instanceof BiConsumer) {
            Listeners list = new Listeners();
            list.add(s);
            list.add(c);
            state = list;
        } else {
            invoke(c, null);
        }
    }

    /** {@code step}, pending, completing from this future through its function. */
    private <U> Future<U> derive(Step<U> step) {
        if (step.fn == null) {
            throw new NullPointerException("function");
        }
        step.setUpstream(this);
        addListener(step);
        return step;
    }

    /** Two or more continuations of one future; owned like it. */
    private static final class Listeners {
        Object[] items = new Object[4];
        int count;

        void add(Object c) {
            if (count == items.length) {
                items = Arrays.copyOf(items, count * 2);
            }
            items[count++] = c;
        }
    }

    private Loop loopForDerivation() {
        Loop loop = owner();
        if (loop == null) {
            throw new IllegalStateException("withTimeout needs a loop: call it on a loop thread");
        }
        return loop;
    }

    private static <U> Future<U> nonNull(Future<U> f) {
        if (f == null) {
            throw new NullPointerException("flatMap function returned null instead of a future");
        }
        return f;
    }

    private static CompletionException wrap(Throwable t) {
        if (t instanceof CancellationException ce) {
            throw ce;
        }
        return t instanceof CompletionException c ? c : new CompletionException(t);
    }

    /** For {@code assert}: a flatMap follows only a future of its own loop (or of none). */
    private boolean checkSameLoop(Future<?> source) {
        Loop theirs = source.owner(CHECK_OWNER_HOPS);
        if (theirs != null && theirs != owner()) {
            throw new AssertionError("flatMap on " + owner() + " returned a future of " + theirs);
        }
        return true;
    }

    private boolean checkOwner() {
        // Bounded: building a long pending chain would otherwise walk all of it on every call.
        Loop owner = owner(CHECK_OWNER_HOPS);
        if (owner != null && !owner.inLoop()) {
            throw new AssertionError("a future owned by " + owner + " was touched from thread "
                    + Thread.currentThread().getName() + "; futures are confined to their loop");
        }
        return true;
    }

    /** Fails a pending future after a timeout, or with the loop's closing error. */
    private record TimeoutTask<T>(Promise<T> promise, Future<T> source, Duration timeout) implements Task {
        @Override
        public void run() {
            if (promise.tryFail(new java.util.concurrent.TimeoutException("timed out after " + timeout))) {
                source.cancel();
            }
        }

        @Override
        public void abandon(LoopClosedException cause) {
            promise.tryFail(cause);
        }
    }
}
