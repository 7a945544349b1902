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
 *
 * <p>This is the one parser of schedstat files in the project ({@link #sample(Path)}): the benchmarks
 * read threads' CPU and run-queue time through it too.
 */
public interface RunQueueTime {
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
        return sample(schedstat).runQueueNanos();
    }

    /**
     * Both times of a schedstat file, read at once, or {@link Sample#UNKNOWN} where the file is gone
     * (the thread has ended) or is not what Linux writes.
     */
    static Sample sample(Path schedstat) {
        try {
            String[] fields = Files.readString(schedstat).trim().split(" ");
            return fields.length >= 2 ? new Sample(Long.parseLong(fields[0]), Long.parseLong(fields[1])) : Sample.UNKNOWN;
        } catch (IOException | RuntimeException e) {
            return Sample.UNKNOWN;
        }
    }

    /**
     * A thread's time on a CPU and time waiting on a run queue, in ns, as one schedstat read gave
     * them; both -1 where unknown. Immutable, any thread.
     */
    record Sample(long onCpuNanos, long runQueueNanos) {
        public static final Sample UNKNOWN = new Sample(-1, -1);

        public boolean known() {
            return onCpuNanos >= 0 && runQueueNanos >= 0;
        }

        /** What happened between {@code earlier} and this sample; unknown if either is. */
        public Sample since(Sample earlier) {
            return known() && earlier.known()
                    ? new Sample(onCpuNanos - earlier.onCpuNanos, runQueueNanos - earlier.runQueueNanos)
                    : UNKNOWN;
        }

        /** The sum of two threads' samples; unknown if either is. */
        public Sample plus(Sample other) {
            return known() && other.known()
                    ? new Sample(onCpuNanos + other.onCpuNanos, runQueueNanos + other.runQueueNanos)
                    : UNKNOWN;
        }
    }
}
