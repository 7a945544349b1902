package io.shardline.core;

import java.util.ArrayDeque;

/**
 * One of a loop's task queues, with a share of its CPU time (Seastar's scheduling groups). Owned by
 * one loop; not thread-safe: add tasks on that loop; from elsewhere use {@link Loop#execute}.
 *
 * <p>When several queues have tasks, the loop runs the one that has used the least CPU time per
 * share, so over time each busy queue gets time in proportion to its shares and an idle queue
 * cannot bank time to burst with later.
 */
public final class TaskQueue {
    final Loop loop;
    final String name;
    final int shares;
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>(256);
    /** CPU time used, in nanoseconds scaled by 1024 / shares. */
    long vruntime;
    long tasksRun;
    long runtimeNanos;

    TaskQueue(Loop loop, String name, int shares) {
        if (shares < 1 || shares > 1_000_000) {
            throw new IllegalArgumentException("task queue '" + name + "': shares must be 1..1000000, was " + shares);
        }
        this.loop = loop;
        this.name = name;
        this.shares = shares;
    }

    /** Queues {@code task} to run on the loop after the tasks already here. Call on the owning loop. */
    public void execute(Runnable task) {
        assert loop.checkOwner("TaskQueue.execute");
        loop.scheduler().enqueue(this, task);
    }

    public String name() {
        return name;
    }

    public int shares() {
        return shares;
    }

    /** Tasks waiting; call on the owning loop. */
    public int size() {
        return tasks.size();
    }

    /** Tasks this queue has run. Call on the owning loop (the loop's stats carry totals for others). */
    public long tasksRun() {
        return tasksRun;
    }

    @Override
    public String toString() {
        return "TaskQueue[" + name + ", shares=" + shares + ", size=" + tasks.size() + "]";
    }
}
