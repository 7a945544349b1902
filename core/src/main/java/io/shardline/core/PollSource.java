package io.shardline.core;

/**
 * A source of work a loop polls once per iteration: I/O readiness, channel inboxes, file
 * completions. Called only on the loop's thread.
 *
 * <p>The contract of Agrona's {@code Agent.doWork()} and Seastar's {@code pollfn}: do what is ready
 * without blocking and return how much that was; 0 means idle. The loop parks only when every
 * source returned 0. A source fed by other threads must call {@link Loop#wakeup()} after it
 * publishes, so a parked loop notices.
 */
@FunctionalInterface
public interface PollSource {

    /** Does the ready work and returns how much it did; 0 when there was nothing to do. */
    int poll();
}
