package io.shardline.core;

import java.util.Arrays;

/**
 * Picks which of a loop's task queues runs next and runs it within the task quota. Owned by one
 * loop; not thread-safe.
 *
 * <p>A run phase ends when the quota (clock time) or the task budget is spent, whichever comes
 * first; the budget keeps a loop whose clock does not move (a manual clock) from starving its
 * pollers. The clock is read once per 16 tasks and once per queue switch, not per task.
 */
final class TaskScheduler {
    private static final int CLOCK_CHECK_MASK = 15;

    private final Loop loop;
    private final Clock clock;
    private final long quotaNanos;
    private final int taskBudget;
    private TaskQueue[] queues = new TaskQueue[0];
    /** Least vruntime among busy queues (never decreasing): a queue waking from idle starts here. */
    private long minVruntime;
    private TaskQueue running;
    private long deadline;

    TaskScheduler(Loop loop, Clock clock, long quotaNanos, int taskBudget) {
        this.loop = loop;
        this.clock = clock;
        this.quotaNanos = quotaNanos;
        this.taskBudget = taskBudget;
    }

    TaskQueue add(TaskQueue q) {
        for (TaskQueue existing : queues) {
            if (existing.name.equals(q.name)) {
                throw new IllegalArgumentException("a task queue named '" + q.name + "' already exists on " + loop);
            }
        }
        queues = Arrays.copyOf(queues, queues.length + 1);
        queues[queues.length - 1] = q;
        q.vruntime = minVruntime;
        return q;
    }

    void enqueue(TaskQueue q, Runnable task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        // A queue that was idle cannot bank the time it did not use; the running queue is not idle.
        if (q != running && q.tasks.isEmpty() && q.vruntime < minVruntime) {
            q.vruntime = minVruntime;
        }
        q.tasks.addLast(task);
    }

    boolean hasTasks() {
        for (TaskQueue q : queues) {
            if (!q.tasks.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    int pendingTasks() {
        int n = 0;
        for (TaskQueue q : queues) {
            n += q.tasks.size();
        }
        return n;
    }

    /** Runs tasks until the quota or the budget is spent or no queue has any; returns how many ran. */
    int runPhase(long startNanos) {
        deadline = startNanos + quotaNanos;
        long now = startNanos;
        int budget = taskBudget;
        int ran = 0;
        TaskQueue q;
        while (budget > 0 && (q = pick()) != null) {
            long queueStart = now;
            int n = 0;
            Runnable task;
            running = q;
            while (n < budget && (task = q.tasks.pollFirst()) != null) {
                loop.runTask(task);
                n++;
                // A close requested during a task takes effect before the next one (a plain load on x86).
                if (((n & CLOCK_CHECK_MASK) == 0 && clock.nanoTime() >= deadline) || loop.isClosing()) {
                    break;
                }
            }
            running = null;
            now = clock.nanoTime();
            long used = now - queueStart;
            q.runtimeNanos += used;
            q.tasksRun += n;
            // One nanosecond per task as a floor keeps shares meaningful when the clock stands still.
            q.vruntime += ((used + n) << 10) / q.shares;
            advanceMinVruntime(q);
            ran += n;
            budget -= n;
            if (now >= deadline || loop.isClosing()) {
                break;
            }
        }
        return ran;
    }

    private void advanceMinVruntime(TaskQueue charged) {
        long min = charged.vruntime;
        for (TaskQueue other : queues) {
            if (!other.tasks.isEmpty() && other.vruntime < min) {
                min = other.vruntime;
            }
        }
        if (min > minVruntime) {
            minVruntime = min;
        }
    }

    /** The non-empty queue with the least CPU time per share, or null. */
    private TaskQueue pick() {
        TaskQueue best = null;
        for (TaskQueue q : queues) {
            if (!q.tasks.isEmpty() && (best == null || q.vruntime < best.vruntime)) {
                best = q;
            }
        }
        return best;
    }

    /** True once the current run phase has used its quota; long tasks should yield then. */
    boolean needsPreempt() {
        return clock.nanoTime() >= deadline;
    }

    /** Runs the tasks of one queue only (used while closing); returns how many ran. */
    int runOnly(TaskQueue q, int max) {
        int n = 0;
        Runnable task;
        while (n < max && (task = q.tasks.pollFirst()) != null) {
            loop.runTask(task);
            n++;
        }
        q.tasksRun += n;
        return n;
    }

    /** Empties every queue but {@code keep}, telling each {@link Task} it will not run. */
    int abandonAllExcept(TaskQueue keep, LoopClosedException cause) {
        int n = 0;
        for (TaskQueue q : queues) {
            if (q == keep) {
                continue;
            }
            Runnable task;
            while ((task = q.tasks.pollFirst()) != null) {
                n++;
                loop.abandon(task, cause);
            }
        }
        return n;
    }
}
