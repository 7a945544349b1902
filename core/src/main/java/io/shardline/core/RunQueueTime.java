package io.shardline.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long one thread has waited on a run queue (runnable, but another thread had its CPU), from
 * Linux's {@code /proc/self/task/<tid>/schedstat}. Created on the thread it measures; read from any
 * thread (the stall watchdog). Elsewhere, or where /proc cannot be read, it knows nothing.
 *
 * <p>It lets the watchdog tell a loop stuck in a task from a loop preempted by other threads: a task
 * that computes or blocks stalls the loop; time the loop thread spent waiting for a CPU is the
 * machine's doing, not the task's.
 */
interface RunQueueTime {
    /** Knows nothing: {@link #nanos()} is always -1. */
    RunQueueTime UNKNOWN = () -> -1;

    /** The thread's total time waiting on a run queue, in ns; -1 if unknown. */
    long nanos();

    /** The reader for the calling thread, or {@link #UNKNOWN}. */
    static RunQueueTime ofCurrentThread() {
        Path schedstat;
        try {
            // /proc/thread-self links to /proc/<pid>/task/<tid> of the calling thread.
            Path task = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            schedstat = Path.of("/proc").resolve(task).resolve("schedstat");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return UNKNOWN;
        }
        RunQueueTime reader = () -> read(schedstat);
        return reader.nanos() >= 0 ? reader : UNKNOWN;
    }

    /** The second field of a schedstat file ("on-CPU ns, run-queue ns, timeslices"), or -1. */
    static long read(Path schedstat) {
        try {
            String[] fields = Files.readString(schedstat).trim().split(" ");
            return fields.length >= 2 ? Long.parseLong(fields[1]) : -1;
        } catch (IOException | RuntimeException e) {
            return -1; // the thread has ended, or the format is not what Linux writes
        }
    }
}
