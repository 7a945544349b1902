package io.shardline.perf;

import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import io.shardline.storage.LogConfig;
import io.shardline.storage.LogStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The {@code storage} suite: Shardline's {@link io.shardline.storage.SegmentedLog} against a plain
 * {@code FileChannel} writing the same bytes, in one run, 1 KiB appends ({@link StorageLoad}).
 *
 * <ul>
 *   <li>Durable appends: a log with {@code always} on one loop, {@value StorageLoad#WRITERS} writers
 *       each keeping one append outstanding (group commit), against one thread that writes a record and
 *       forces ({@code fdatasync}) after each write. Appends/s over a fixed time.
 *   <li>Bulk writes: a log with {@code never}, one producer keeping a window of {@value #WINDOW}
 *       appends outstanding, against one thread writing record after record with no force. A fixed
 *       amount of payload; MB/s until the last write returned, and, as a second figure, until it was all
 *       forced and closed. An extra row runs the log with a window of {@value #OVERFLOW_WINDOW}, more
 *       than both staging buffers hold, so appends also queue in the log as copies.
 * </ul>
 *
 * <p>Files go in a fresh directory under {@code java.io.tmpdir}; each trial writes its own file or log
 * directory and deletes it, and the suite deletes the directory at the end (a shutdown hook does if
 * it is interrupted). The log keeps its defaults (O_DIRECT where the file system takes it, 64 MiB
 * segments, two 4 MiB staging buffers); its loop and I/O helper thread are not pinned, nor is the raw
 * writer (the benchmark's own thread). Every contender gets a warm-up, then their trials take turns;
 * the table shows the median trial.
 *
 * <p>Prints a progress log, then the tables, Shardline/raw ratios, the targets, and as the
 * last line {@code result: storage durable_speedup=<x> bandwidth_ratio=<x>}: Shardline {@code always}
 * appends/s over raw force-each-write appends/s, and Shardline {@code never} MB/s over raw sequential
 * MB/s (both until the last write returned).
 */
final class StorageSuite implements BenchMain.Suite {
    /** Targets from the issue. */
    static final double DURABLE_TARGET_SPEEDUP = 10;
    static final double BANDWIDTH_TARGET_RATIO = 0.9;
    /**
     * Appends the bulk producer keeps outstanding: about one staging buffer's worth (4 MiB holds 4,060
     * framed 1 KiB records), so half of them fill one buffer while the other half are written and no
     * append ever finds both buffers full.
     */
    static final int WINDOW = 4096;
    /**
     * The extra bulk row's window: four buffers' worth, so appends also overflow the staging buffers
     * into the log's queue of waiting appends (each one copied to the heap), as a producer faster than
     * the disk makes them. Not part of the result line.
     */
    static final int OVERFLOW_WINDOW = 16384;
    /** The kernel's own I/O work (writeback, the ext4 journal, interrupts) shows as other processes' CPU. */
    static final double BUSY_CPUS = 0.25;
    private static final String LOOP_NAME = "storage-bench";

    private static final String SL_ALWAYS = "shardline  SegmentedLog always, " + StorageLoad.WRITERS
            + " writers x 1 append outstanding";
    private static final String RAW_FORCE = "raw*       FileChannel.write + force(false) per append, 1 writer";
    private static final String SL_NEVER = "shardline  SegmentedLog never, 1 producer, window " + WINDOW;
    private static final String SL_OVERFLOW = "shardline  same, window " + OVERFLOW_WINDOW
            + " (overflows the staging buffers)";
    private static final String RAW_SEQ = "raw*       FileChannel.write per record, 1 writer, no force";

    /**
     * Durable trials: a warm-up of {@code warmupNanos}, then {@code trials} of {@code trialNanos}; bulk
     * trials: a warm-up of {@code warmupRecords}, then {@code trials} of {@code records} appends.
     */
    private record Plan(long warmupNanos, long trialNanos, long warmupRecords, long records, int trials) {
        String describe() {
            return String.format(Locale.ROOT, "median of %d trials; durable: %s each after a %s warm-up; bulk: %s"
                    + " each after a %s warm-up", trials, seconds(trialNanos), seconds(warmupNanos), size(records),
                    size(warmupRecords));
        }
    }

    private interface Trial {
        StorageLoad.Result run(String tag, boolean warmup) throws Exception;
    }

    private record Contender(String label, String name, Trial trial) {
    }

    private final BenchMain.Settings settings;
    private final Plan plan;

    StorageSuite(BenchMain.Settings settings) {
        this.settings = settings;
        this.plan = settings.quick()
                ? new Plan(TimeUnit.MILLISECONDS.toNanos(300), TimeUnit.SECONDS.toNanos(1), 32 << 10, 128 << 10, 2)
                : new Plan(TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(3), 256 << 10, 1 << 20, 5);
    }

    @Override
    public int run(PrintStream out) throws Exception {
        long start = System.nanoTime();
        double loadBefore = Jmh.loadAverage();
        long[] cpuBefore = ShardSuite.CpuUse.sample();
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "shardline-bench-storage-");
        Thread cleanup = Thread.ofPlatform().unstarted(() -> {
            try {
                StorageLoad.deleteTree(dir);
            } catch (IOException ignored) {
                // best effort on the way out
            }
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return run(out, dir, start, loadBefore, cpuBefore);
        } finally {
            StorageLoad.deleteTree(dir);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private int run(PrintStream out, Path dir, long start, double loadBefore, long[] cpuBefore) throws Exception {
        String store = fileStore(dir);
        out.printf(Locale.ROOT, "# storage suite: %s; the contenders' trials taking turns%n", plan.describe());
        out.printf(Locale.ROOT, "# files in %s (%s), each trial's deleted after it%n", dir, store);

        byte[] payload = StorageLoad.payload();
        ByteBuffer record = StorageLoad.framedRecord(payload);
        List<List<StorageLoad.Result>> durable;
        List<List<StorageLoad.Result>> bulk;
        Loop loop = Loop.start(LoopConfig.builder().name(LOOP_NAME).build());
        try {
            durable = interleave(out, "durable appends", List.of(
                    new Contender(SL_ALWAYS, "shardline always", (tag, w) -> StorageLoad.groupCommit(loop,
                            dir.resolve("always-" + tag), w ? plan.warmupNanos() : plan.trialNanos(), payload)),
                    new Contender(RAW_FORCE, "raw force-each", (tag, w) -> StorageLoad.forceEachWrite(
                            dir.resolve("raw-force-" + tag), w ? plan.warmupNanos() : plan.trialNanos(), record))),
                    StorageSuite::describeDurable);
            bulk = interleave(out, "bulk writes", List.of(
                    new Contender(SL_NEVER, "shardline never", (tag, w) -> StorageLoad.pipeline(loop,
                            dir.resolve("never-" + tag), w ? plan.warmupRecords() : plan.records(), WINDOW, payload)),
                    new Contender(RAW_SEQ, "raw sequential", (tag, w) -> StorageLoad.sequential(
                            dir.resolve("raw-seq-" + tag), w ? plan.warmupRecords() : plan.records(), record)),
                    new Contender(SL_OVERFLOW, "shardline never/o", (tag, w) -> StorageLoad.pipeline(loop,
                            dir.resolve("never-overflow-" + tag), w ? plan.warmupRecords() : plan.records(),
                            OVERFLOW_WINDOW, payload))),
                    StorageSuite::describeBulk);
        } finally {
            loop.close();
        }

        double loadAfter = Jmh.loadAverage();
        out.println();
        out.printf(Locale.ROOT, "storage suite%s, %.0f s; %s%n", settings.quick() ? " (--quick: rough numbers)" : "",
                (System.nanoTime() - start) / 1e9, Jmh.machineLine(loadBefore, loadAfter));
        String others = othersLine(cpuBefore, ShardSuite.CpuUse.sample());
        if (others != null) {
            out.println(others);
        }
        report(out, dir, store, durable, bulk);
        return 0;
    }

    // ---------------------------------------------------------------- measuring

    /**
     * Warms up each contender in turn, then runs the trials round-robin (trial 1 of each, trial 2 of
     * each, ...), so a change in the machine's state during the run reaches every contender alike.
     */
    private List<List<StorageLoad.Result>> interleave(PrintStream out, String title, List<Contender> contenders,
            Function<StorageLoad.Result, String> describe) throws Exception {
        out.println("# " + title);
        for (Contender c : contenders) {
            StorageLoad.Result w = c.trial().run("warmup", true);
            out.printf(Locale.ROOT, "  warm-up    %-17s %s%n", c.name(), describe.apply(w));
        }
        List<List<StorageLoad.Result>> results = new ArrayList<>();
        for (int k = 0; k < contenders.size(); k++) {
            results.add(new ArrayList<>());
        }
        for (int i = 1; i <= plan.trials(); i++) {
            for (int k = 0; k < contenders.size(); k++) {
                Contender c = contenders.get(k);
                StorageLoad.Result r = c.trial().run(Integer.toString(i), false);
                results.get(k).add(r);
                out.printf(Locale.ROOT, "  trial %d/%d  %-17s %s%n", i, plan.trials(), c.name(), describe.apply(r));
            }
        }
        return results;
    }

    private static String describeDurable(StorageLoad.Result r) {
        String s = String.format(Locale.ROOT, "%,10.0f appends/s  %7.1f MB/s  p50 %7.1f us  p99 %7.1f us"
                + "  (%,d appends in %.3f s)", r.appendsPerSecond(), r.megabytesPerSecond(), r.micros(50),
                r.micros(99), r.appends(), r.nanos() / 1e9);
        return r.stats() == null ? s : s + "; " + describeLog(r);
    }

    private static String describeBulk(StorageLoad.Result r) {
        String s = String.format(Locale.ROOT, "%7.1f MB/s to the last write (%.3f s), then %.3f s to force and"
                + " close: %7.1f MB/s durable", r.megabytesPerSecond(), r.nanos() / 1e9, r.finishNanos() / 1e9,
                r.durableMegabytesPerSecond());
        return r.stats() == null ? s : s + "; " + describeLog(r);
    }

    private static String describeLog(StorageLoad.Result r) {
        LogStats st = r.stats();
        return String.format(Locale.ROOT, "%,d writes, %,d forces, %.1f appends/write (max %d), %d segment%s,"
                + " loop CPU %.0f%%, io thread CPU %.0f%%%s", st.writes(), st.forces(), r.meanBatch(), st.maxBatch(),
                st.segments(), st.segments() == 1 ? "" : "s", r.cpuPercent(r.loopCpuNanos()),
                r.cpuPercent(r.ioCpuNanos()), r.direct() ? "" : ", BUFFERED (no O_DIRECT)");
    }

    // ---------------------------------------------------------------- report

    private void report(PrintStream out, Path dir, String store, List<List<StorageLoad.Result>> durable,
                        List<List<StorageLoad.Result>> bulk) {
        List<StorageLoad.Result> always = durable.get(0);
        List<StorageLoad.Result> forceEach = durable.get(1);
        List<StorageLoad.Result> never = bulk.get(0);
        List<StorageLoad.Result> sequential = bulk.get(1);
        List<StorageLoad.Result> overflow = bulk.get(2);
        boolean direct = always.stream().allMatch(StorageLoad.Result::direct)
                && never.stream().allMatch(StorageLoad.Result::direct);
        LogConfig defaults = LogConfig.builder(dir).build();

        out.printf(Locale.ROOT, "files: %s (%s); shardline: one loop and its I/O helper thread, log defaults: %s,"
                + " %d MiB segments, 2 x %d MiB staging buffers; raw: buffered FileChannel on the suite's thread;"
                + " nothing pinned%n", dir, store, direct ? "O_DIRECT" : "BUFFERED (O_DIRECT refused here)",
                defaults.segmentBytes() >> 20, defaults.writeBufferBytes() >> 20);
        out.printf(Locale.ROOT, "every append carries %d B of payload; raw writes the same %d-byte records the log"
                + " writes (length, CRC32C, payload); MB/s = 10^6 B of payload per second%n", StorageLoad.PAYLOAD,
                StorageLoad.FRAMED);
        out.println("each row is the " + plan.describe() + "; * = the raw reference used in the result line");

        out.println();
        out.println("durable appends (an append counts once written and forced with fdatasync), per second;"
                + " latency = append to completion");
        String header = String.format(Locale.ROOT, "%-66s %10s %21s %7s %8s %8s %7s %6s %6s", "implementation",
                "appends/s", "min..max", "MB/s", "p50 us", "p99 us", "batch", "loop", "io");
        out.println(header);
        out.println("-".repeat(header.length()));
        for (List<StorageLoad.Result> rs : durable) {
            String label = rs == always ? SL_ALWAYS : RAW_FORCE;
            out.printf(Locale.ROOT, "%-66s %10s %21s %7.1f %8.1f %8.1f %7s %6s %6s%n", label,
                    count(median(rs, StorageLoad.Result::appendsPerSecond)), range(rs, StorageLoad.Result::appendsPerSecond, StorageSuite::count),
                    median(rs, StorageLoad.Result::megabytesPerSecond), median(rs, r -> r.micros(50)),
                    median(rs, r -> r.micros(99)), num(median(rs, StorageLoad.Result::meanBatch), 1),
                    percent(median(rs, r -> r.cpuPercent(r.loopCpuNanos()))),
                    percent(median(rs, r -> r.cpuPercent(r.ioCpuNanos()))));
        }
        out.println("batch = appends per write (and per fdatasync) the log issued; loop, io = CPU time of the loop"
                + " thread and of its I/O helper thread, in % of the trial");

        out.println();
        out.printf(Locale.ROOT, "bulk writes (no force per append): %s of payload per trial (%,d appends); to last"
                + " write = until the last write returned (shardline: the last append's future completed);"
                + "%n+ force/close = what fdatasync and closing took after that; durable = payload / the sum%n",
                size(plan.records()), plan.records());
        header = String.format(Locale.ROOT, "%-66s %9s %17s %10s %9s %9s %9s %7s %6s %6s", "implementation", "MB/s",
                "min..max", "appends/s", "to last", "+ force", "durable", "batch", "loop", "io");
        out.println(header);
        out.printf(Locale.ROOT, "%-66s %9s %17s %10s %9s %9s %9s%n", "", "", "", "", "write, s", "/close, s",
                "MB/s");
        out.println("-".repeat(header.length()));
        for (List<StorageLoad.Result> rs : bulk) {
            String label = rs == never ? SL_NEVER : rs == sequential ? RAW_SEQ : SL_OVERFLOW;
            out.printf(Locale.ROOT, "%-66s %9.1f %17s %10s %9.3f %9.3f %9.1f %7s %6s %6s%n", label,
                    median(rs, StorageLoad.Result::megabytesPerSecond), range(rs, StorageLoad.Result::megabytesPerSecond, v -> num(v, 1)),
                    count(median(rs, StorageLoad.Result::appendsPerSecond)), median(rs, r -> r.nanos() / 1e9),
                    median(rs, r -> r.finishNanos() / 1e9), median(rs, StorageLoad.Result::durableMegabytesPerSecond),
                    num(median(rs, StorageLoad.Result::meanBatch), 0),
                    percent(median(rs, r -> r.cpuPercent(r.loopCpuNanos()))),
                    percent(median(rs, r -> r.cpuPercent(r.ioCpuNanos()))));
        }

        double durableSpeedup = median(always, StorageLoad.Result::appendsPerSecond)
                / median(forceEach, StorageLoad.Result::appendsPerSecond);
        double bandwidthRatio = median(never, StorageLoad.Result::megabytesPerSecond)
                / median(sequential, StorageLoad.Result::megabytesPerSecond);
        double durableBandwidthRatio = median(never, StorageLoad.Result::durableMegabytesPerSecond)
                / median(sequential, StorageLoad.Result::durableMegabytesPerSecond);
        out.println();
        out.println("Shardline / raw (higher is better)");
        out.printf(Locale.ROOT, "  durable appends/s (always vs force each write)   %8.2fx  (per trial %s)%n",
                durableSpeedup, perTrial(always, forceEach, StorageLoad.Result::appendsPerSecond));
        out.printf(Locale.ROOT, "  bulk MB/s to the last write (never vs no force)  %8.2fx  (per trial %s)%n",
                bandwidthRatio, perTrial(never, sequential, StorageLoad.Result::megabytesPerSecond));
        out.printf(Locale.ROOT, "  bulk MB/s until forced and closed                %8.2fx  (per trial %s)%n",
                durableBandwidthRatio, perTrial(never, sequential, StorageLoad.Result::durableMegabytesPerSecond));
        out.printf(Locale.ROOT, "  bulk MB/s to the last write, window %-5d        %8.2fx  (per trial %s)%n",
                OVERFLOW_WINDOW, median(overflow, StorageLoad.Result::megabytesPerSecond)
                        / median(sequential, StorageLoad.Result::megabytesPerSecond),
                perTrial(overflow, sequential, StorageLoad.Result::megabytesPerSecond));

        List<String> notes = new ArrayList<>();
        StorageLoad.Result a = medianTrial(always, StorageLoad.Result::appendsPerSecond);
        notes.add(String.format(Locale.ROOT, "always (median trial): %,d appends in %,d writes and %,d fdatasyncs,"
                + " %.1f appends per fdatasync (max %d; %d writers): group commit", a.stats().appends(),
                a.stats().writes(), a.stats().forces(), a.meanBatch(), a.stats().maxBatch(), StorageLoad.WRITERS));
        StorageLoad.Result n = medianTrial(never, StorageLoad.Result::megabytesPerSecond);
        notes.add(String.format(Locale.ROOT, "never (median trial): %,d writes of %.0f appends on average (%.1f MiB),"
                + " %,d forces (one per segment roll, one at close), %d segments", n.stats().writes(), n.meanBatch(),
                n.meanBatch() * StorageLoad.FRAMED / (1 << 20), n.stats().forces(), n.stats().segments()));
        StorageLoad.Result o = medianTrial(overflow, StorageLoad.Result::megabytesPerSecond);
        notes.add(String.format(Locale.ROOT, "never, window %d (median trial): %,d writes of %.0f appends on average"
                + " (%.1f MiB): full buffers, and the appends beyond them wait in the log's queue as heap copies",
                OVERFLOW_WINDOW, o.stats().writes(), o.meanBatch(), o.meanBatch() * StorageLoad.FRAMED / (1 << 20)));
        if (!direct) {
            notes.add("the log ran BUFFERED: the file system refused O_DIRECT, so its writes went to the page cache"
                    + " like the raw side's");
        } else {
            notes.add("the log wrote with O_DIRECT (straight to the device); the raw side's buffered writes returned"
                    + " once copied into the page cache, the device got them at the final force");
        }
        out.println();
        out.println("notes");
        for (String note : notes) {
            out.println("  " + note);
        }

        out.println();
        out.println("targets");
        out.printf(Locale.ROOT, "  durable_speedup >= %.0f    %s (%.2f)%n", DURABLE_TARGET_SPEEDUP,
                verdict(durableSpeedup >= DURABLE_TARGET_SPEEDUP), durableSpeedup);
        out.printf(Locale.ROOT, "  bandwidth_ratio >= %.1f   %s (%.2f)%n", BANDWIDTH_TARGET_RATIO,
                verdict(bandwidthRatio >= BANDWIDTH_TARGET_RATIO), bandwidthRatio);
        out.printf(Locale.ROOT, "result: storage durable_speedup=%.2f bandwidth_ratio=%.2f%n", durableSpeedup,
                bandwidthRatio);
    }

    // ---------------------------------------------------------------- helpers

    private static String fileStore(Path dir) {
        try {
            return Files.getFileStore(dir).type();
        } catch (IOException e) {
            return "file system unknown";
        }
    }

    /**
     * How many CPUs' worth of other work ran during the suite ({@link ShardSuite.CpuUse}'s count), or
     * null if unknown. This suite's own I/O makes the kernel work in threads of its own, so the warning
     * needs more than the shard suite's.
     */
    private static String othersLine(long[] before, long[] after) {
        if (before == null || after == null || after[0] <= before[0]) {
            return null;
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        double others = Math.max(0, (after[1] - before[1]) - (after[2] - before[2])) * (double) cpus
                / (after[0] - before[0]);
        String line = String.format(Locale.ROOT, "other processes used %.2f CPUs on average during the run (the"
                + " kernel's writeback and journal threads, interrupts and the hypervisor's steal included)", others);
        if (others > BUSY_CPUS) {
            line += String.format(Locale.ROOT, "%nwarning: other work shared the CPUs with the run; rerun on a quiet"
                    + " machine");
        }
        return line;
    }

    static double median(List<StorageLoad.Result> rs, ToDoubleFunction<StorageLoad.Result> value) {
        return ShardSuite.median(rs.stream().mapToDouble(value).toArray());
    }

    /** The trial at the median of {@code value} (the upper one of an even count). */
    private static StorageLoad.Result medianTrial(List<StorageLoad.Result> rs,
                                                  ToDoubleFunction<StorageLoad.Result> value) {
        List<StorageLoad.Result> sorted = new ArrayList<>(rs);
        sorted.sort((x, y) -> Double.compare(value.applyAsDouble(x), value.applyAsDouble(y)));
        return sorted.get(sorted.size() / 2);
    }

    private static String range(List<StorageLoad.Result> rs, ToDoubleFunction<StorageLoad.Result> value,
                                DoubleFunction<String> format) {
        double[] v = rs.stream().mapToDouble(value).toArray();
        return format.apply(Arrays.stream(v).min().orElse(Double.NaN)) + ".."
                + format.apply(Arrays.stream(v).max().orElse(Double.NaN));
    }

    /** Each trial's Shardline/raw ratio of {@code value}. */
    private static String perTrial(List<StorageLoad.Result> shardline, List<StorageLoad.Result> raw,
                                   ToDoubleFunction<StorageLoad.Result> value) {
        List<String> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(shardline.size(), raw.size()); i++) {
            ratios.add(String.format(Locale.ROOT, "%.2f", value.applyAsDouble(shardline.get(i))
                    / value.applyAsDouble(raw.get(i))));
        }
        return String.join(" ", ratios);
    }

    private static String verdict(boolean met) {
        return met ? "met   " : "MISSED";
    }

    private static String count(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v >= 1e6 ? String.format(Locale.ROOT, "%.2fM", v / 1e6)
                : v >= 1e4 ? String.format(Locale.ROOT, "%.1fk", v / 1e3)
                : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f%%", v);
    }

    private static String size(long records) {
        long bytes = records * StorageLoad.PAYLOAD;
        return bytes >= 1L << 30 && bytes % (1L << 30) == 0 ? (bytes >> 30) + " GiB" : (bytes >> 20) + " MiB";
    }

    private static String seconds(long nanos) {
        return nanos >= 1_000_000_000L && nanos % 1_000_000_000L == 0
                ? (nanos / 1_000_000_000L) + " s"
                : (nanos / 1_000_000L) + " ms";
    }
}
