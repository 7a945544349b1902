package io.shardline.perf;

import io.shardline.core.RunQueueTime;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The suites' one reader of CPU use. An instance is taken when a suite starts and tells, at its end,
 * how long it ran, the load average before and after, and how many CPUs' worth of other processes ran
 * meanwhile (Linux's {@code /proc/stat}, all CPUs, minus {@code /proc/self/stat}, this JVM and the
 * child JVMs it waited for; steal time included). The static methods read threads' scheduler
 * statistics through core's schedstat parser ({@link RunQueueTime#sample}). Used by a suite's main
 * thread; {@link #self()} by any thread, for itself.
 */
final class CpuUse {
    private final long startNanos = System.nanoTime();
    private final double loadBefore = loadAverage();
    /** {all CPUs' total ticks, their busy ticks, this process's ticks}, or null off Linux. */
    private final long[] ticksBefore = ticks();

    private CpuUse() {
    }

    /** Starts counting now. */
    static CpuUse start() {
        return new CpuUse();
    }

    /** Seconds since {@link #start()}. */
    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * A line about the machine: CPUs and load average before and after the run. Other work on the
     * machine makes every number slow and noisy, so a busy machine before the run is called out;
     * {@code loadRemark}, when not null, is appended instead (the suite's own threads count in the
     * load, as spinning loops do) and no such warning is given.
     */
    String machineLine(String loadRemark) {
        int cpus = Runtime.getRuntime().availableProcessors();
        String line = String.format(Locale.ROOT, "%d CPUs, load average (1 min) %.2f before, %.2f after", cpus,
                loadBefore, loadAverage());
        if (loadRemark != null) {
            return line + " (" + loadRemark + ")";
        }
        if (loadBefore >= Math.max(1.0, cpus / 2.0)) {
            line += String.format(Locale.ROOT, "%nwarning: the machine was busy before the run (load %.2f on %d CPUs);"
                    + " the numbers are likely low and noisy", loadBefore, cpus);
        }
        return line;
    }

    /**
     * How many CPUs' worth of other processes ran since {@link #start()}: "other processes {@code
     * includes} used N CPUs on average during the run", with a warning line (ending in {@code advice})
     * above {@code busyCpus}; null where /proc does not tell.
     */
    String othersLine(String includes, double busyCpus, String advice) {
        return othersLine(ticksBefore, ticks(), Runtime.getRuntime().availableProcessors(), includes, busyCpus, advice);
    }

    /** {@link #othersLine(String, double, String)} from two samples of {@link #ticks()} on {@code cpus} CPUs. */
    static String othersLine(long[] before, long[] after, int cpus, String includes, double busyCpus, String advice) {
        if (before == null || after == null || after[0] <= before[0]) {
            return null;
        }
        double others = Math.max(0, (after[1] - before[1]) - (after[2] - before[2])) * (double) cpus
                / (after[0] - before[0]);
        String line = String.format(Locale.ROOT, "other processes %s used %.2f CPUs on average during the run",
                includes, others);
        if (others > busyCpus) {
            line += "\nwarning: other work shared the CPUs with the run; " + advice;
        }
        return line;
    }

    /** The system's 1-minute load average, or NaN where the OS does not tell. */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long[] ticks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            long busy = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
                long v = Long.parseLong(cpu[i]);
                total += v;
                if (i != 4 && i != 5) {
                    busy += v;
                }
            }
            String self = Files.readString(Path.of("/proc/self/stat"));
            String[] f = self.substring(self.lastIndexOf(')') + 2).trim().split("\\s+");
            // utime, stime, and cutime, cstime: the child JVMs, each waited for (fields 14-17)
            long mine = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return new long[] {total, busy, mine};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Process {@code pid}'s CPU time so far (user + system, /proc/pid/stat, at the kernel's usual 100
     * ticks a second), in ns; -1 where it cannot be read.
     */
    static long processCpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------- threads

    /** The calling thread's scheduler statistics. */
    static RunQueueTime.Sample self() {
        return RunQueueTime.sample(Path.of("/proc/thread-self/schedstat"));
    }

    /** The first thread of this process named {@code name} (as the kernel shows it: at most 15 characters). */
    static RunQueueTime.Sample thread(String name) {
        String comm = name.length() > 15 ? name.substring(0, 15) : name;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                if (Files.readString(task.resolve("comm")).strip().equals(comm)) {
                    return RunQueueTime.sample(task.resolve("schedstat"));
                }
            }
        } catch (IOException | RuntimeException e) {
            return RunQueueTime.Sample.UNKNOWN;
        }
        return RunQueueTime.Sample.UNKNOWN;
    }

    /** The threads named {@code names}, summed; unknown if any is. */
    static RunQueueTime.Sample threads(List<String> names) {
        RunQueueTime.Sample sum = new RunQueueTime.Sample(0, 0);
        for (String name : names) {
            sum = sum.plus(thread(name));
        }
        return sum;
    }

    /** A thread's time on a CPU in ns, or -1 if unknown. */
    static long onCpuNanos(String thread) {
        RunQueueTime.Sample s = thread(thread);
        return s.known() ? s.onCpuNanos() : -1;
    }
}
