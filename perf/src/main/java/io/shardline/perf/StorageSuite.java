package io.shardline.perf;

import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import io.shardline.core.ring.Ring;
import io.shardline.storage.LogConfig;
import io.shardline.storage.LogStats;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The {@code storage} suite: Shardline's {@link io.shardline.storage.SegmentedLog} against a plain
 * {@code FileChannel} writing the same bytes, in one run, 1 KiB appends ({@link StorageLoad}).
 *
 * <ul>
 *   <li>Durable appends: a log with {@code always} on one loop, {@value StorageLoad#WRITERS} writers
 *       each keeping one append outstanding (group commit; the log's files are O_DSYNC, so each batch is
 *       one durable write), against one thread that writes a record and forces ({@code fdatasync}) after
 *       each write. Appends/s over a fixed time.
 *   <li>Bulk writes: a log with {@code never}, one producer keeping a window of {@value #WINDOW}
 *       appends outstanding, against one thread writing record after record with no force. A fixed
 *       amount of payload; MB/s until the last write returned, and, as a second figure, until it was all
 *       forced and closed. An extra row runs the log with a window of {@value #OVERFLOW_WINDOW}, more
 *       than both staging buffers hold, so appends also queue in the log as copies.
 * </ul>
 *
 * <p>Each Shardline row runs twice, once per file I/O backend: on a plain loop, whose files go through
 * the loop's I/O helper thread, and on a loop whose parker is the io_uring {@link Ring}, whose files
 * go on that ring (storage picks the ring backend on such a loop unless
 * {@code -D}{@value io.shardline.storage.Storage#FILEIO_PROPERTY}{@code =helper} says otherwise). A machine where the ring cannot be set
 * up runs those rows on the helper thread too, says so in one line, and the report names the backend
 * each row ran on.
 *
 * <p>Files go in a fresh directory under {@code java.io.tmpdir}; each trial writes its own file or log
 * directory and deletes it, and the suite deletes the directory at the end (a shutdown hook does if
 * it is interrupted). The log keeps its defaults (O_DIRECT where the file system takes it, 64 MiB
 * segments, two 4 MiB staging buffers); its loops and I/O helper thread are not pinned, nor is the raw
 * writer (the benchmark's own thread). Every contender gets a warm-up, then their trials take turns;
 * the table shows the median trial.
 *
 * <p>Prints a progress log, then the tables, Shardline/raw ratios, the targets, and as the
 * last line {@code result: storage durable_speedup=<x> bandwidth_ratio=<x> ring_vs_helper=<x>}:
 * Shardline {@code always} appends/s (helper thread) over raw force-each-write appends/s, Shardline
 * {@code never} MB/s (helper thread) over raw sequential MB/s (both until the last write returned),
 * and Shardline {@code always} appends/s on the ring over those on the helper thread. Each ratio is the
 * median of the per-trial ratios (trial i of one row over trial i of the other, run back to back), so
 * a disk that slows down for a while slows both sides of the ratios it touches.
 */
final class StorageSuite implements BenchMain.Suite {
    /** Targets from the issue. */
    static final double DURABLE_TARGET_SPEEDUP = 10;
    static final double BANDWIDTH_TARGET_RATIO = 0.9;
    static final double RING_TARGET_RATIO = 1.0;
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
    private static final String RING_LOOP_NAME = "storage-ring";

    private static final String SL_ALWAYS = "shardline  SegmentedLog always, " + StorageLoad.WRITERS
            + " writers x 1 append outstanding";
    private static final String SL_ALWAYS_RING = "shardline  same, files on the loop's io_uring";
    private static final String RAW_FORCE = "raw*       FileChannel.write + force(false) per append, 1 writer";
    private static final String SL_NEVER = "shardline  SegmentedLog never, 1 producer, window " + WINDOW;
    private static final String SL_NEVER_RING = "shardline  same, files on the loop's io_uring";
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
                    + " each after a %s warm-up", trials, Report.seconds(trialNanos), Report.seconds(warmupNanos),
                    size(records), size(warmupRecords));
        }

        long nanos(Trials.Turn turn) {
            return turn.warmup() ? warmupNanos : trialNanos;
        }

        long records(Trials.Turn turn) {
            return turn.warmup() ? warmupRecords : records;
        }
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
        CpuUse use = CpuUse.start();
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
            return run(out, dir, use);
        } finally {
            StorageLoad.deleteTree(dir);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private int run(PrintStream out, Path dir, CpuUse use) throws Exception {
        String store = fileStore(dir);
        out.printf(Locale.ROOT, "# storage suite: %s; the contenders' trials taking turns%n", plan.describe());
        out.printf(Locale.ROOT, "# files in %s (%s), each trial's deleted after it%n", dir, store);

        byte[] payload = StorageLoad.payload();
        ByteBuffer record = StorageLoad.framedRecord(payload);
        Trials.Plan rounds = new Trials.Plan(true, plan.trials(), 0);
        Trials.Results<StorageLoad.Result> durable;
        Trials.Results<StorageLoad.Result> bulk;
        Loop loop = Loop.start(LoopConfig.builder().name(LOOP_NAME).build());
        Loop ringLoop = null;
        try {
            ringLoop = startRingLoop(out);
            Loop ring = ringLoop;
            durable = Trials.run(out, "durable appends", rounds, List.of(
                    new Trials.Contender<>(SL_ALWAYS, "shardline always", t -> StorageLoad.groupCommit(loop,
                            dir.resolve("always-" + t.tag()), plan.nanos(t), payload)),
                    new Trials.Contender<>(SL_ALWAYS_RING, "shardline always/ring", t -> StorageLoad.groupCommit(ring,
                            dir.resolve("always-ring-" + t.tag()), plan.nanos(t), payload)),
                    new Trials.Contender<>(RAW_FORCE, "raw force-each", t -> RawFileLoad.forceEachWrite(
                            dir.resolve("raw-force-" + t.tag()), plan.nanos(t), record))),
                    StorageSuite::describeDurable, null);
            bulk = Trials.run(out, "bulk writes", rounds, List.of(
                    new Trials.Contender<>(SL_NEVER, "shardline never", t -> StorageLoad.pipeline(loop,
                            dir.resolve("never-" + t.tag()), plan.records(t), WINDOW, payload)),
                    new Trials.Contender<>(SL_NEVER_RING, "shardline never/ring", t -> StorageLoad.pipeline(ring,
                            dir.resolve("never-ring-" + t.tag()), plan.records(t), WINDOW, payload)),
                    new Trials.Contender<>(RAW_SEQ, "raw sequential", t -> RawFileLoad.sequential(
                            dir.resolve("raw-seq-" + t.tag()), plan.records(t), record)),
                    new Trials.Contender<>(SL_OVERFLOW, "shardline never/o", t -> StorageLoad.pipeline(loop,
                            dir.resolve("never-overflow-" + t.tag()), plan.records(t), OVERFLOW_WINDOW, payload))),
                    StorageSuite::describeBulk, null);
        } finally {
            try {
                loop.close();
            } finally {
                if (ringLoop != null) {
                    ringLoop.close();
                }
            }
        }

        Report report = new Report("storage", out);
        report.summary(settings.quick(), use, use.machineLine(null), use.othersLine("(the kernel's writeback and"
                + " journal threads, interrupts and the hypervisor's steal included)", BUSY_CPUS,
                "rerun on a quiet machine"));
        report(out, report, dir, store, durable, bulk);
        return 0;
    }

    /**
     * The loop whose files go on its own ring: {@link Ring} as its parker. Where no ring can be set up
     * here, a plain loop (its files then go through the helper thread), with one line saying why.
     */
    private static Loop startRingLoop(PrintStream out) {
        LoopConfig.Builder b = LoopConfig.builder().name(RING_LOOP_NAME);
        String why = Ring.unavailableReason();
        if (why == null) {
            try {
                return Loop.start(b.parker(Ring::new).build());
            } catch (UncheckedIOException e) { // the probe passed, this ring did not (RLIMIT_MEMLOCK used up, say)
                why = e.getCause().getMessage();
            }
        }
        out.println("# io_uring file backend unavailable (" + why + "): the ring rows run on the helper thread");
        return Loop.start(LoopConfig.builder().name(RING_LOOP_NAME).build());
    }

    // ---------------------------------------------------------------- the log

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
                + " %s, loop CPU %.0f%%, io thread CPU %s%s", st.writes(), st.forces(), r.meanBatch(), st.maxBatch(),
                st.segments(), st.segments() == 1 ? "" : "s", r.backend(), r.cpuPercent(r.loopCpuNanos()),
                Report.percent(r.cpuPercent(r.ioCpuNanos())), r.direct() ? "" : ", BUFFERED (no O_DIRECT)");
    }

    // ---------------------------------------------------------------- report

    private void report(PrintStream out, Report report, Path dir, String store,
                        Trials.Results<StorageLoad.Result> durable, Trials.Results<StorageLoad.Result> bulk) {
        List<StorageLoad.Result> always = durable.of(SL_ALWAYS);
        List<StorageLoad.Result> alwaysRing = durable.of(SL_ALWAYS_RING);
        List<StorageLoad.Result> forceEach = durable.of(RAW_FORCE);
        List<StorageLoad.Result> never = bulk.of(SL_NEVER);
        List<StorageLoad.Result> sequential = bulk.of(RAW_SEQ);
        List<StorageLoad.Result> overflow = bulk.of(SL_OVERFLOW);
        boolean direct = always.stream().allMatch(StorageLoad.Result::direct)
                && never.stream().allMatch(StorageLoad.Result::direct);
        LogConfig defaults = LogConfig.builder(dir).build();

        out.printf(Locale.ROOT, "files: %s (%s); shardline: one loop whose files go through its I/O helper thread, and"
                + " one whose files go on its io_uring; log defaults: %s, %d MiB segments, 2 x %d MiB staging buffers;"
                + "%nraw: buffered FileChannel on the suite's thread; nothing pinned%n", dir, store,
                direct ? "O_DIRECT" : "BUFFERED (O_DIRECT refused here)", defaults.segmentBytes() >> 20,
                defaults.writeBufferBytes() >> 20);
        out.printf(Locale.ROOT, "every append carries %d B of payload; raw writes the same %d-byte records the log"
                + " writes (length, CRC32C, payload); MB/s = 10^6 B of payload per second%n", StorageLoad.PAYLOAD,
                StorageLoad.FRAMED);
        out.println("each row is the " + plan.describe() + "; * = the raw reference used in the result line;"
                + " files = the file I/O backend the row ran on");

        out.println();
        boolean synced = always.stream().allMatch(r -> r.stats().syncedWrites() == r.stats().writes());
        out.println("durable appends (an append counts once its bytes are on the device: the log " + (synced
                ? "writes to O_DSYNC files" : "forces each write with fdatasync (-D" + LogConfig.DSYNC_PROPERTY
                + "=false)") + ", raw forces with fdatasync), per second; latency = append to completion");
        Report.Table table = report.table("%-66s %-7s %10s %21s %7s %8s %8s %7s %6s %6s",
                "%-66s %-7s %10s %21s %7.1f %8.1f %8.1f %7s %6s %6s")
                .header("implementation", "files", "appends/s", "min..max", "MB/s", "p50 us", "p99 us", "batch", "loop",
                        "io");
        durable.byLabel().forEach((label, rs) -> table.row(label, files(rs),
                Report.count(median(rs, StorageLoad.Result::appendsPerSecond)),
                range(rs, StorageLoad.Result::appendsPerSecond, Report::count),
                median(rs, StorageLoad.Result::megabytesPerSecond), median(rs, r -> r.micros(50)),
                median(rs, r -> r.micros(99)), Report.num(median(rs, StorageLoad.Result::meanBatch), 1),
                Report.percent(median(rs, r -> r.cpuPercent(r.loopCpuNanos()))),
                Report.percent(median(rs, r -> r.cpuPercent(r.ioCpuNanos())))));
        out.println("batch = appends per durable write the log issued; loop, io = CPU time of the loop"
                + " thread and of its I/O helper thread, in % of the trial (the ring's kernel workers not counted)");

        out.println();
        out.printf(Locale.ROOT, "bulk writes (no force per append): %s of payload per trial (%,d appends); to last"
                + " write = until the last write returned (shardline: the last append's future completed);"
                + "%n+ force/close = what fdatasync and closing took after that; durable = payload / the sum%n",
                size(plan.records()), plan.records());
        Report.Table bulkTable = report.table("%-66s %-7s %9s %17s %10s %9s %9s %9s %7s %6s %6s",
                "%-66s %-7s %9.1f %17s %10s %9.3f %9.3f %9.1f %7s %6s %6s")
                .header("implementation", "files", "MB/s", "min..max", "appends/s", "to last", "+ force", "durable",
                        "batch", "loop", "io")
                .header("", "", "", "", "", "write, s", "/close, s", "MB/s", "", "", "");
        bulk.byLabel().forEach((label, rs) -> bulkTable.row(label, files(rs),
                median(rs, StorageLoad.Result::megabytesPerSecond),
                range(rs, StorageLoad.Result::megabytesPerSecond, v -> Report.num(v, 1)),
                Report.count(median(rs, StorageLoad.Result::appendsPerSecond)), median(rs, r -> r.nanos() / 1e9),
                median(rs, r -> r.finishNanos() / 1e9), median(rs, StorageLoad.Result::durableMegabytesPerSecond),
                Report.num(median(rs, StorageLoad.Result::meanBatch), 0),
                Report.percent(median(rs, r -> r.cpuPercent(r.loopCpuNanos()))),
                Report.percent(median(rs, r -> r.cpuPercent(r.ioCpuNanos())))));

        // Paired: the median of each round's ratio, whose two trials ran one after the other on the same disk.
        double durableSpeedup = paired(always, forceEach, StorageLoad.Result::appendsPerSecond);
        double bandwidthRatio = paired(never, sequential, StorageLoad.Result::megabytesPerSecond);
        double durableBandwidthRatio = paired(never, sequential, StorageLoad.Result::durableMegabytesPerSecond);
        double ringVsHelper = paired(alwaysRing, always, StorageLoad.Result::appendsPerSecond);
        List<StorageLoad.Result> neverRing = bulk.of(SL_NEVER_RING);
        out.println();
        out.println("each ratio is the median of the per-trial ratios (trial i of one row against trial i of the other)");
        out.println("Shardline / raw (higher is better)");
        out.printf(Locale.ROOT, "  durable appends/s (always vs force each write)   %8.2fx  (per trial %s)%n",
                durableSpeedup, Trials.perRound(always, forceEach, StorageLoad.Result::appendsPerSecond));
        out.printf(Locale.ROOT, "  bulk MB/s to the last write (never vs no force)  %8.2fx  (per trial %s)%n",
                bandwidthRatio, Trials.perRound(never, sequential, StorageLoad.Result::megabytesPerSecond));
        out.printf(Locale.ROOT, "  bulk MB/s until forced and closed                %8.2fx  (per trial %s)%n",
                durableBandwidthRatio, Trials.perRound(never, sequential, StorageLoad.Result::durableMegabytesPerSecond));
        out.printf(Locale.ROOT, "  bulk MB/s to the last write, window %-5d        %8.2fx  (per trial %s)%n",
                OVERFLOW_WINDOW, paired(overflow, sequential, StorageLoad.Result::megabytesPerSecond),
                Trials.perRound(overflow, sequential, StorageLoad.Result::megabytesPerSecond));
        out.println("ring / helper thread (higher is better)");
        out.printf(Locale.ROOT, "  durable appends/s (always)                       %8.2fx  (per trial %s)%n",
                ringVsHelper, Trials.perRound(alwaysRing, always, StorageLoad.Result::appendsPerSecond));
        out.printf(Locale.ROOT, "  bulk MB/s to the last write (never)              %8.2fx  (per trial %s)%n",
                paired(neverRing, never, StorageLoad.Result::megabytesPerSecond),
                Trials.perRound(neverRing, never, StorageLoad.Result::megabytesPerSecond));

        StorageLoad.Result a = Trials.medianTrial(always, StorageLoad.Result::appendsPerSecond);
        report.note(String.format(Locale.ROOT, "always (median trial): %,d appends in %,d writes (%,d of them O_DSYNC,"
                + " durable alone) and %,d fdatasyncs, %.1f appends per write (max %d; %d writers): group commit",
                a.stats().appends(), a.stats().writes(), a.stats().syncedWrites(), a.stats().forces(), a.meanBatch(),
                a.stats().maxBatch(), StorageLoad.WRITERS));
        StorageLoad.Result n = Trials.medianTrial(never, StorageLoad.Result::megabytesPerSecond);
        report.note(String.format(Locale.ROOT, "never (median trial): %,d writes of %.0f appends on average (%.1f MiB),"
                + " %,d forces (one per segment roll, one at close), %d segments", n.stats().writes(), n.meanBatch(),
                n.meanBatch() * StorageLoad.FRAMED / (1 << 20), n.stats().forces(), n.stats().segments()));
        StorageLoad.Result o = Trials.medianTrial(overflow, StorageLoad.Result::megabytesPerSecond);
        report.note(String.format(Locale.ROOT, "never, window %d (median trial): %,d writes of %.0f appends on average"
                + " (%.1f MiB): full buffers, and the appends beyond them wait in the log's queue as heap copies",
                OVERFLOW_WINDOW, o.stats().writes(), o.meanBatch(), o.meanBatch() * StorageLoad.FRAMED / (1 << 20)));
        if (!direct) {
            report.note("the log ran BUFFERED: the file system refused O_DIRECT, so its writes went to the page cache"
                    + " like the raw side's");
        } else {
            report.note("the log wrote with O_DIRECT (straight to the device); the raw side's buffered writes returned"
                    + " once copied into the page cache, the device got them at the final force");
        }
        String ringFiles = files(alwaysRing);
        if (!ringFiles.equals("ring")) {
            report.note("the ring rows' files went through " + (ringFiles.equals("helper") ? "the helper thread"
                    : ringFiles) + ", not the loop's io_uring: ring_vs_helper compares the helper thread with itself");
        }

        report.atLeast("durable_speedup", DURABLE_TARGET_SPEEDUP, 0, durableSpeedup);
        report.atLeast("bandwidth_ratio", BANDWIDTH_TARGET_RATIO, 1, bandwidthRatio);
        report.atLeast("ring_vs_helper", RING_TARGET_RATIO, 1, ringVsHelper);
        report.field("durable_speedup", durableSpeedup);
        report.field("bandwidth_ratio", bandwidthRatio);
        report.field("ring_vs_helper", ringVsHelper);
        report.finish();
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
     * The file I/O backend a row's trials ran on: "ring", "helper" (thread), "-" for raw, or the
     * backends' class names; several joined by "+" if the trials differed.
     */
    private static String files(List<StorageLoad.Result> rs) {
        return rs.stream().map(r -> r.backend() == null ? "-"
                        : r.backend().contains("Ring") ? "ring"
                        : r.backend().contains("Helper") ? "helper" : r.backend())
                .distinct().reduce((x, y) -> x + "+" + y).orElse("-");
    }

    private static double median(List<StorageLoad.Result> rs, ToDoubleFunction<StorageLoad.Result> value) {
        return Trials.median(rs, value);
    }

    private static double paired(List<StorageLoad.Result> a, List<StorageLoad.Result> b,
                                 ToDoubleFunction<StorageLoad.Result> value) {
        return Trials.pairedMedian(a, b, value, r -> true);
    }

    private static String range(List<StorageLoad.Result> rs, ToDoubleFunction<StorageLoad.Result> value,
                                DoubleFunction<String> format) {
        return format.apply(Trials.min(rs, value)) + ".." + format.apply(Trials.max(rs, value));
    }

    private static String size(long records) {
        long bytes = records * StorageLoad.PAYLOAD;
        return bytes >= 1L << 30 && bytes % (1L << 30) == 0 ? (bytes >> 30) + " GiB" : (bytes >> 20) + " MiB";
    }
}
