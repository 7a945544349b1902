package io.shardline.examples.kv;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * INFO's cpu section: the process' system and user CPU seconds (and its children's) from
 * /proc/self/stat, and the calling shard thread's as the "main thread". Stateless; reads /proc, so
 * call it off the hot path (INFO), on any thread.
 */
final class CpuInfo {
    /** The kernel's USER_HZ, the unit of /proc's times on Linux. */
    private static final double TICKS = 100.0;

    private CpuInfo() {
    }

    static void append(StringBuilder b) {
        double[] t = processTimes();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double threadTotal = Math.max(0, threads.getCurrentThreadCpuTime()) / 1e9;
        double threadUser = Math.max(0, threads.getCurrentThreadUserTime()) / 1e9;
        b.append("# CPU\r\n");
        seconds(b, "used_cpu_sys", t[1]);
        seconds(b, "used_cpu_user", t[0]);
        seconds(b, "used_cpu_sys_children", t[3]);
        seconds(b, "used_cpu_user_children", t[2]);
        seconds(b, "used_cpu_sys_main_thread", Math.max(0, threadTotal - threadUser));
        seconds(b, "used_cpu_user_main_thread", threadUser);
        b.append("\r\n");
    }

    /** utime, stime, cutime, cstime in seconds; zeros where /proc is not there. */
    static double[] processTimes() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+"); // after "pid (comm) "
            // f[0] is field 3 (state): utime is field 14, so f[11]
            return new double[] {Long.parseLong(f[11]) / TICKS, Long.parseLong(f[12]) / TICKS,
                Long.parseLong(f[13]) / TICKS, Long.parseLong(f[14]) / TICKS};
        } catch (IOException | RuntimeException e) {
            return new double[4];
        }
    }

    private static void seconds(StringBuilder b, String name, double value) {
        b.append(name).append(':').append(String.format(Locale.ROOT, "%.6f", value)).append("\r\n");
    }
}
