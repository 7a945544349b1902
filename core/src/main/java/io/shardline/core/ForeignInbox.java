package io.shardline.core;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;

/**
 * Tasks handed to a loop by other threads: the loop's only multi-producer path. Any thread may
 * {@link #submit}; only the loop polls.
 *
 * <p>Bounded (JCTools {@code MpscArrayQueue}), so a flood from outside cannot grow memory: a plain
 * thread that finds it full waits (outside the loop, that is backpressure, not a stall), and another
 * loop's thread is refused instead, since it must never block. Polling moves a batch into the loop's
 * task queues, where shares decide when each runs: a resumed virtual thread to the loop's
 * virtual-thread queue, anything else to its default queue.
 */
final class ForeignInbox implements PollSource {
    private static final int BATCH = 1024;
    /** How long a producer waiting for room sleeps between tries: the loop drains 1024 per poll. */
    private static final long FULL_WAIT_NANOS = 10_000;

    private final Loop loop;
    private final int capacity;
    private final MpscArrayQueue<Runnable> queue;
    private final MessagePassingQueue.Consumer<Runnable> sink;

    ForeignInbox(Loop loop, int capacity, TaskScheduler scheduler, TaskQueue tasks, TaskQueue vthreads) {
        this.loop = loop;
        this.capacity = capacity;
        this.queue = new MpscArrayQueue<>(capacity);
        this.sink = r -> {
            if (r instanceof LoopTasks.Resume resume) {
                scheduler.enqueue(vthreads, resume.continuation());
            } else {
                scheduler.enqueue(tasks, r);
            }
        };
    }

    /**
     * Any thread but the loop's own: adds {@code task}, waiting for room if the inbox is full. Waking
     * the loop afterwards is the caller's part.
     *
     * @throws RejectedExecutionException if the inbox is full and the caller is a loop
     * @throws LoopClosedException if the loop starts closing while the caller waits for room
     */
    void submit(Runnable task) {
        if (queue.offer(task)) {
            return;
        }
        LoopCounters.INBOX_FULL_WAITS.getAndAdd(loop.counters, 1L);
        Loop caller = Loop.current();
        if (caller != null) {
            // Two loops waiting on each other's full inboxes would deadlock: a loop never waits here.
            throw new RejectedExecutionException("the inbox of " + loop + " is full (" + capacity
                    + " tasks) and " + caller + " must not block; send in windows, waiting for replies");
        }
        while (!queue.offer(task)) {
            if (loop.isClosing()) {
                throw loop.closedException();
            }
            loop.wakeup();
            LockSupport.parkNanos(FULL_WAIT_NANOS);
        }
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
