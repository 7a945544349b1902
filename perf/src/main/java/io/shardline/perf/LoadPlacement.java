package io.shardline.perf;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the echo suite's load generator process runs: the command {@code prefix} that confines it
 * (taskset), or none, and a description for the report. Immutable, any thread.
 */
record LoadPlacement(List<String> prefix, String description) {
    /**
     * On the CPUs that {@code serverThreads} pinned server threads (on CPUs 0..) leave free of
     * {@code cpus}, with taskset when it is on the PATH; unpinned when the servers are not pinned.
     */
    static LoadPlacement beside(int serverThreads, boolean pin, int cpus) {
        if (!pin) {
            return new LoadPlacement(List.of(), "unpinned");
        }
        String free = serverThreads == cpus - 1 ? Integer.toString(serverThreads) : serverThreads + "-" + (cpus - 1);
        String taskset = onPath("taskset");
        if (taskset == null) {
            return new LoadPlacement(List.of(), "unpinned (no taskset on the PATH)");
        }
        return new LoadPlacement(List.of(taskset, "-c", free),
                "whole process on CPU" + (free.contains("-") ? "s " : " ") + free + " (taskset)");
    }

    private static String onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
