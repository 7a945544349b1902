package io.shardline.core;

/**
 * A unit of work for a loop that can be told it will never run. Used on the thread that owns it.
 *
 * <p>When a loop closes with tasks still queued or timers still armed, it calls {@link #abandon}
 * instead of {@link #run}, so the future a task would have completed fails with a clear error
 * rather than hanging.
 */
public interface Task extends Runnable {

    /** Called instead of {@link #run()} when the loop closes first. */
    default void abandon(LoopClosedException cause) {
    }
}
