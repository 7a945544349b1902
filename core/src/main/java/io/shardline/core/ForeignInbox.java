package io.shardline.core;

import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;

/**
 * Tasks handed to a loop by other threads: the loop's only multi-producer path. Any thread may
 * offer; only the loop polls.
 *
 * <p>Bounded (JCTools {@code MpscArrayQueue}), so a flood from outside cannot grow memory: a producer
 * that finds it full waits (outside the loop, that is backpressure, not a stall). Polling moves a
 * batch into the loop's task queues, where shares decide when each runs.
 */
final class ForeignInbox implements PollSource {
    private static final int BATCH = 1024;

    private final MpscArrayQueue<Runnable> queue;
    private final MessagePassingQueue.Consumer<Runnable> sink;

    ForeignInbox(int capacity, MessagePassingQueue.Consumer<Runnable> sink) {
        this.queue = new MpscArrayQueue<>(capacity);
        this.sink = sink;
    }

    /** Any thread: adds {@code task} unless the inbox is full. */
    boolean offer(Runnable task) {
        return queue.offer(task);
    }

    @Override
    public int poll() {
        return queue.drain(sink, BATCH);
    }

    /** Removes and returns one task, or null; only the single consumer may call it. */
    Runnable pollOne() {
        return queue.relaxedPoll();
    }

    int size() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
