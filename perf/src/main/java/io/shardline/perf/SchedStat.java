package io.shardline.perf;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A thread's scheduler statistics from Linux's {@code /proc/.../schedstat}: time on a CPU and time
 * spent ready to run but waiting for one (its CPU taken by another thread or process). The second is
 * how a whole-process benchmark tells that something else on the machine got in its way. Immutable;
 * both are -1 where the kernel does not tell.
 */
record SchedStat(long onCpuNanos, long runQueueNanos) {
    static final SchedStat UNKNOWN = new SchedStat(-1, -1);

    /** The calling thread's. */
    static SchedStat self() {
        return read(Path.of("/proc/thread-self/schedstat"));
    }

    /** The first thread of this process named {@code name} (as the kernel shows it: at most 15 characters). */
    static SchedStat ofThread(String name) {
        String comm = name.length() > 15 ? name.substring(0, 15) : name;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                if (Files.readString(task.resolve("comm")).strip().equals(comm)) {
                    return read(task.resolve("schedstat"));
                }
            }
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
        return UNKNOWN;
    }

    private static SchedStat read(Path file) {
        try {
            String[] f = Files.readString(file).strip().split("\\s+");
            return new SchedStat(Long.parseLong(f[0]), Long.parseLong(f[1]));
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    boolean known() {
        return onCpuNanos >= 0 && runQueueNanos >= 0;
    }

    /** What happened between {@code earlier} and this sample; unknown if either is. */
    SchedStat since(SchedStat earlier) {
        return known() && earlier.known()
                ? new SchedStat(onCpuNanos - earlier.onCpuNanos, runQueueNanos - earlier.runQueueNanos)
                : UNKNOWN;
    }
}
