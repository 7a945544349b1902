package io.shardline.core;

/**
 * How an idle loop sleeps and is woken: {@link #park} is called only by the loop's thread,
 * {@link #wakeup} by any thread.
 *
 * <p>The default parks the thread; an I/O backend supplies one that blocks in its selector (or ring)
 * so one wait covers both sockets and wake-ups, the way Netty composes an {@code IoHandler} into its
 * event loop. A wake-up that arrives before the park must make that park return at once.
 */
public interface Parker {

    /**
     * Called once by the loop's constructor: where an I/O backend hangs itself on the loop as a
     * typed service ({@link Loop#putService}).
     */
    default void attach(Loop loop) {
    }

    /** Called once on the loop's thread before its first park, with that thread; {@code Loop.current()} is set. */
    default void bind(Thread loopThread) {
    }

    /** Blocks the loop thread for at most {@code timeoutNanos}; {@link Long#MAX_VALUE} means no limit. */
    void park(long timeoutNanos);

    /** Ends the current or the next {@link #park}; costs one system call. */
    void wakeup();

    /**
     * Called once on the loop's thread as the loop ends, after its close hooks and its last park:
     * where a backend releases what it holds (a ring waits here for its cancelled operations). A
     * wakeup may still arrive afterwards from a late producer and must then do no harm.
     */
    default void close() {
    }
}
