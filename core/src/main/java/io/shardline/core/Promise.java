package io.shardline.core;

/**
 * The write side of a {@link Future}. Owned by one loop; not thread-safe: complete it on that loop.
 * From another thread, hand the completion to the loop with {@link Loop#execute}.
 *
 * @param <T> the value's type
 */
public final class Promise<T> extends Future<T> {
    /** The owning loop, or null; the futures derived from this one find it here. */
    final Loop owner;

    /** A pending promise owned by {@code owner}. */
    public Promise(Loop owner) {
        this.owner = owner;
    }

    /** A pending promise owned by the loop this thread runs on, or unowned off a loop. */
    public Promise() {
        this(Loop.current());
    }

    /** Completes with {@code value}; throws if already complete. */
    public void succeed(T value) {
        if (!trySucceed(value)) {
            throw new IllegalStateException("promise already completed: " + this);
        }
    }

    /** Fails with {@code cause}; throws if already complete. */
    public void fail(Throwable cause) {
        if (!tryFail(cause)) {
            throw new IllegalStateException("promise already completed: " + this);
        }
    }

    /** Completes with {@code value} unless already complete; returns whether it did. */
    public boolean trySucceed(T value) {
        return complete0(value, null);
    }

    /** Fails with {@code cause} unless already complete; returns whether it did. */
    public boolean tryFail(Throwable cause) {
        if (cause == null) {
            throw new IllegalArgumentException("failure cause must not be null");
        }
        return complete0(null, cause);
    }

    /** Completes with {@code failure} if it is non-null, else with {@code value}. */
    public boolean tryComplete(T value, Throwable failure) {
        return complete0(value, failure);
    }

    /** Runs {@code hook} if this promise is cancelled while pending: release what produces it. */
    public Promise<T> onCancel(Runnable hook) {
        setOnCancel(hook);
        return this;
    }
}
