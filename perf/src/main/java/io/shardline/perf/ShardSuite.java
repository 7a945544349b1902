// About 420 lines: the shard suite's three workloads, each against its JDK peer and the round-trip floor,
// share one set of contenders and child-JVM plumbing; split further, each part would repeat it.
package io.shardline.perf;

import io.shardline.shard.ShardRuntime;
import io.shardline.shard.ShardStats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * The {@code shard} suite: cross-shard round-trip latency (ping-pong, {@link ShardRoundTrip}) and
 * one-way throughput, unbatched (one request in flight) and batched (a window of {@value #WINDOW} in
 * flight, drained in batches) ({@link ShardThroughput}),
 * each next to the JDK doing the same hand-off: {@code CompletableFuture.supplyAsync} to a
 * single-thread executor B and back to executor A.
 *
 * <p>Shardline runs a 2-shard runtime, shard 0 on CPU 0 and shard 1 on CPU 1, with loops that
 * busy-poll for {@value #SPIN_MS} ms before parking, so they spin through a trial; the JDK's two
 * executor threads are pinned to the same two CPUs. Extra rows repeat the round trip and the batched
 * throughput with spin 0 (loops park as soon as they are idle, as the JDK's threads do), and a floor
 * row measures the machine's own cross-CPU round trip. This is a plain timed harness, not JMH: the
 * work runs on the runtime's and executors' own threads, each trial is timed there, and round trips go
 * into an HdrHistogram. Every implementation of a workload gets a warm-up, then their trials take
 * turns (so a change in the machine's state mid-run reaches all of them alike; the spinning loops are
 * left to park before another implementation's trial); the table shows the median trial.
 *
 * <p>Isolation. Each workload (batched throughput, round trip, unbatched throughput) runs in a JVM
 * of its own ({@link ForkedWorkload}), as JMH forks each benchmark: C2 compiles each side's hot path
 * (the mesh and futures; {@code CompletableFuture}) with the profiles of the code that ran before it
 * and keeps that code. In one JVM, batched Shardline measured after the two one-message-at-a-time
 * workloads fell from 31-37M to 20-25M req/s. Within a workload the implementations share the JVM.
 *
 * <p>Prints a progress log, then the tables, Shardline/JDK ratios, the targets, and as the
 * last line {@code result: shard roundtrip_ns=<p50> throughput_speedup=<x>}: the median round-trip
 * p50 of spinning Shardline in ns, and spinning Shardline's batched throughput divided by the JDK's.
 */
final class ShardSuite implements BenchMain.Suite {
    /** Round-trip target from the issue: median at most this many ns while the loops spin. */
    static final double ROUNDTRIP_TARGET_NS = 1_000;
    /** Throughput target from the issue: at least this many times the JDK's. */
    static final double THROUGHPUT_TARGET_SPEEDUP = 10;
    /** How long an idle shard loop busy-polls before it parks, in the spinning runs. */
    static final int SPIN_MS = 50;
    /** The windowed (batched) runs keep this many requests in flight: the mesh's default per-pair cap. */
    static final int WINDOW = 128;
    /**
     * Above this many CPUs' worth of other processes the run is called unreliable; the load average
     * cannot tell, as this suite's own spinning loops raise it.
     */
    static final double BUSY_CPUS = 0.1;
    private static final int FROM = 0;
    private static final int TO = 1;

    private static final String SHARDLINE_SPIN = "shardline  Shard.submitTo + whenComplete, spin " + SPIN_MS + " ms";
    private static final String JDK = "jdk*       supplyAsync(B) + whenCompleteAsync(A), 1-thread executors";
    private static final String SHARDLINE_PARK = "shardline  same, spin 0 (loops park as soon as idle)";
    private static final String FLOOR = "floor      2 spinning threads bounce a counter (no queue, no future)";
    private static final String UNBATCHED = "unbatched";
    private static final String BATCHED = "batched";
    private static final String ROUND_TRIP = "round-trip";
    /** The workloads, in the order they run, each in a JVM of its own. */
    private static final List<String> WORKLOADS = List.of(BATCHED, ROUND_TRIP, UNBATCHED);

    /** Warm-up, then {@code trials} trials, each {@code trialNanos} long. */
    private record Plan(long warmupNanos, int trials, long trialNanos) {
        String describe() {
            return String.format(Locale.ROOT, "median of %d trials of %s, after a %s warm-up", trials,
                    Report.seconds(trialNanos), Report.seconds(warmupNanos));
        }

        Trials.Plan rounds() {
            return new Trials.Plan(true, trials, 0);
        }

        long nanos(Trials.Turn turn) {
            return turn.warmup() ? warmupNanos : trialNanos;
        }
    }

    /** A trial of the given length. */
    private interface Timed<R> {
        R run(long nanos) throws Exception;
    }

    /** A round-trip row: each trial's histogram, summed up by the median trial's percentiles. */
    private record Latency(String label, List<Histogram> trials) {
        double p(double percentile) {
            return Trials.median(trials, h -> h.getValueAtPercentile(percentile));
        }

        double minP50() {
            return Trials.min(trials, h -> h.getValueAtPercentile(50));
        }

        double maxP50() {
            return Trials.max(trials, h -> h.getValueAtPercentile(50));
        }

        long samples() {
            return trials.stream().mapToLong(Histogram::getTotalCount).sum();
        }
    }

    /** A throughput row: each trial's rate, summed up by the median. */
    private record Throughput(String workload, String label, List<ShardThroughput.Rate> trials) {
        double median() {
            return Trials.median(trials, ShardThroughput.Rate::perSecond);
        }

        double min() {
            return Trials.min(trials, ShardThroughput.Rate::perSecond);
        }

        double max() {
            return Trials.max(trials, ShardThroughput.Rate::perSecond);
        }
    }

    private final BenchMain.Settings settings;
    private final Plan plan;

    ShardSuite(BenchMain.Settings settings) {
        this.settings = settings;
        this.plan = settings.quick()
                ? new Plan(TimeUnit.MILLISECONDS.toNanos(300), 3, TimeUnit.MILLISECONDS.toNanos(200))
                : new Plan(TimeUnit.SECONDS.toNanos(2), 7, TimeUnit.SECONDS.toNanos(1));
    }

    @Override
    public int run(PrintStream out) throws Exception {
        String workload = ForkedWorkload.current();
        return workload == null ? runAll(out) : runWorkload(workload, out);
    }

    /** The parent: each workload in a JVM of its own, in {@link #WORKLOADS} order, then the report. */
    private int runAll(PrintStream out) throws Exception {
        CpuUse use = CpuUse.start();
        boolean pin = pin();
        Report report = new Report("shard", out);
        if (!pin) {
            report.note("fewer than 2 CPUs: shards and executors run unpinned and share the CPU; numbers mean little");
        }
        out.printf(Locale.ROOT, "# shard suite: %s, the implementations' trials taking turns; %s; each workload in"
                + " a JVM of its own%n", plan.describe(), pin ? "shards and executors pinned to CPUs 0 and 1" : "unpinned");
        Map<String, List<String>> results = new HashMap<>();
        for (String w : WORKLOADS) {
            List<String> lines = ForkedWorkload.run("shard", w, settings.quick(), out);
            for (String line : lines) {
                if (line.startsWith("note ")) {
                    report.note(w + ": " + line.substring("note ".length()));
                }
            }
            results.put(w, lines);
        }
        Map<String, List<ShardThroughput.Rate>> batched = rates(results.get(BATCHED));
        Map<String, List<Histogram>> rt = histograms(results.get(ROUND_TRIP));
        Map<String, List<ShardThroughput.Rate>> unbatched = rates(results.get(UNBATCHED));
        List<Latency> latencies = List.of(new Latency(SHARDLINE_SPIN, of(rt, SHARDLINE_SPIN)),
                new Latency(JDK, of(rt, JDK)), new Latency(SHARDLINE_PARK, of(rt, SHARDLINE_PARK)),
                new Latency(FLOOR, of(rt, FLOOR)));
        List<Throughput> throughputs = List.of(new Throughput(UNBATCHED, SHARDLINE_SPIN, of(unbatched, SHARDLINE_SPIN)),
                new Throughput(UNBATCHED, JDK, of(unbatched, JDK)),
                new Throughput(BATCHED, SHARDLINE_SPIN, of(batched, SHARDLINE_SPIN)),
                new Throughput(BATCHED, JDK, of(batched, JDK)),
                new Throughput(BATCHED, SHARDLINE_PARK, of(batched, SHARDLINE_PARK)));

        report.summary(settings.quick(), use, use.machineLine("the spinning loops count in it"),
                use.othersLine("(and the hypervisor's steal)", BUSY_CPUS, "every row is affected, the spinning ones"
                        + " and the ratios most: rerun on a quiet machine"));
        report(out, report, latencies, throughputs);
        return 0;
    }

    /**
     * A child: measures one workload and prints each contender's trials (its row label last) and
     * its notes as result lines for {@link #runAll}.
     */
    private int runWorkload(String workload, PrintStream out) throws Exception {
        boolean pin = pin();
        List<String> notes = new ArrayList<>();
        AtomicReference<String> pinFailure = new AtomicReference<>();
        try (ShardRuntime spinning = runtime(pin, Duration.ofMillis(SPIN_MS));
             ShardRuntime parking = runtime(pin, Duration.ZERO)) {
            checkPinned(spinning, pin, notes);
            ExecutorService a = Executors.newSingleThreadExecutor(pin
                    ? BenchSupport.pinnedDaemonThreads("bench-jdk-A", FROM, pinFailure)
                    : BenchSupport.daemonThreads("bench-jdk-A"));
            ExecutorService b = Executors.newSingleThreadExecutor(pin
                    ? BenchSupport.pinnedDaemonThreads("bench-jdk-B", TO, pinFailure)
                    : BenchSupport.daemonThreads("bench-jdk-B"));
            try {
                SpinGuard guard = new SpinGuard(spinning);
                List<ShardStats> spinningBefore = spinning.stats();
                List<ShardStats> parkingBefore = parking.stats();
                switch (workload) {
                    case BATCHED -> {
                        ShardThroughput.Shardline tpWSpin = new ShardThroughput.Shardline(spinning, FROM, TO, WINDOW);
                        emitRates(out, interleave(out, "throughput, " + BATCHED, List.of(
                                spinning(guard, SHARDLINE_SPIN, "shardline", tpWSpin::run, tpWSpin::parksDuringLastTrial),
                                other(guard, JDK, "jdk", new ShardThroughput.Jdk(a, b, WINDOW)::run),
                                other(guard, SHARDLINE_PARK, "shardline spin 0",
                                        new ShardThroughput.Shardline(parking, FROM, TO, WINDOW)::run)),
                                ShardSuite::describe));
                        notes.add(meshWaits(spinningBefore, spinning.stats(), parkingBefore, parking.stats()));
                    }
                    case ROUND_TRIP -> {
                        ShardRoundTrip.Shardline rtSpin = new ShardRoundTrip.Shardline(spinning, FROM, TO);
                        // The floor goes first, so each of its trials runs right before Shardline's and sees
                        // the same placement of the virtual CPUs.
                        emitHistograms(out, interleave(out, "round trip", List.of(
                                other(guard, FLOOR, "floor", new ShardRoundTrip.Floor(FROM, TO, pin, pinFailure)::run),
                                spinning(guard, SHARDLINE_SPIN, "shardline", rtSpin::run, rtSpin::parksDuringLastTrial),
                                other(guard, JDK, "jdk", new ShardRoundTrip.Jdk(a, b)::run),
                                other(guard, SHARDLINE_PARK, "shardline spin 0",
                                        new ShardRoundTrip.Shardline(parking, FROM, TO)::run)),
                                ShardSuite::describe));
                    }
                    case UNBATCHED -> {
                        ShardThroughput.Shardline tp1Spin = new ShardThroughput.Shardline(spinning, FROM, TO, 1);
                        emitRates(out, interleave(out, "throughput, " + UNBATCHED, List.of(
                                spinning(guard, SHARDLINE_SPIN, "shardline", tp1Spin::run, tp1Spin::parksDuringLastTrial),
                                other(guard, JDK, "jdk", new ShardThroughput.Jdk(a, b, 1)::run)),
                                ShardSuite::describe));
                    }
                    default -> throw new IllegalArgumentException("unknown shard workload '" + workload + "'");
                }
                notes.add(String.format(Locale.ROOT, "spin %d ms: the shard loops parked %d times from a trial's first"
                        + " send to its last reply, warm-ups included (0 = they busy-polled all through); between"
                        + " trials the suite waits for them to park before another implementation runs", SPIN_MS,
                        guard.parksDuringTrials()));
                if (guard.timeouts() > 0) {
                    notes.add(guard.timeouts() + " times the spinning loops did not park within 2 s of a trial's end:"
                            + " the next implementation's trial shared the CPUs with them");
                }
                if (!workload.equals(UNBATCHED)) {
                    notes.add(parks("spin 0", parkingBefore, parking.stats()));
                }
            } finally {
                BenchSupport.shutdown(a);
                BenchSupport.shutdown(b);
            }
        }
        if (pinFailure.get() != null) {
            notes.add(pinFailure.get());
        }
        for (String note : notes) {
            out.println(ForkedWorkload.PREFIX + "note " + note);
        }
        return 0;
    }

    private static boolean pin() {
        return Runtime.getRuntime().availableProcessors() >= 2;
    }

    // ---------------------------------------------------------------- results from the child JVMs

    /** Prints each contender's trial rates as {@code trial <requests> <nanos> <row label>}. */
    private static void emitRates(PrintStream out, Map<String, List<ShardThroughput.Rate>> contenders) {
        ForkedWorkload.emit(out, contenders, r -> r.requests() + " " + r.nanos());
    }

    /** Prints each contender's trial histograms as {@code trial <base64 of the compressed histogram> <row label>}. */
    private static void emitHistograms(PrintStream out, Map<String, List<Histogram>> contenders) {
        ForkedWorkload.emit(out, contenders, BenchSupport::encodeHistogram);
    }

    private static Map<String, List<ShardThroughput.Rate>> rates(List<String> lines) {
        return ForkedWorkload.trials(lines, 2, f -> new ShardThroughput.Rate(Long.parseLong(f[0]), Long.parseLong(f[1])));
    }

    private static Map<String, List<Histogram>> histograms(List<String> lines) {
        return ForkedWorkload.trials(lines, 1, f -> BenchSupport.decodeHistogram(f[0], "a shard bench child JVM"));
    }

    /** The trials of the row {@code label}; fails if the workload's JVM reported none. */
    private static <R> List<R> of(Map<String, List<R>> trials, String label) {
        List<R> t = trials.get(label);
        if (t == null) {
            throw new IllegalStateException("no trials of '" + label + "' from the workload's JVM");
        }
        return t;
    }

    private static ShardRuntime runtime(boolean pin, Duration spin) {
        ShardRuntime.Builder b = ShardRuntime.builder().shards(2).loop(c -> c.spin(spin));
        return (pin ? b.cpus(FROM, TO) : b.pin(false)).start();
    }

    private static void checkPinned(ShardRuntime rt, boolean pin, List<String> notes) {
        if (pin && (rt.shard(FROM).cpu() != FROM || rt.shard(TO).cpu() != TO)) {
            notes.add("shards not pinned (shard 0 on CPU " + rt.shard(FROM).cpu() + ", shard 1 on CPU "
                    + rt.shard(TO).cpu() + "; -1 = unpinned)");
        }
    }

    // ---------------------------------------------------------------- measuring

    /** The contenders' trials, taking turns after a warm-up each; by row label, in the contenders' order. */
    private <R> Map<String, List<R>> interleave(PrintStream out, String title, List<Trials.Contender<R>> contenders,
                                                Function<R, String> describe) throws Exception {
        return Trials.run(out, title, plan.rounds(), contenders, describe, null).byLabel();
    }

    /** The spinning runtime's contender: the others wait for its loops to park after each of its trials. */
    private <R> Trials.Contender<R> spinning(SpinGuard guard, String label, String name, Timed<R> trial,
                                             LongSupplier parks) {
        return new Trials.Contender<>(label, name, guard.spinning(turn -> trial.run(plan.nanos(turn)), parks));
    }

    private <R> Trials.Contender<R> other(SpinGuard guard, String label, String name, Timed<R> trial) {
        return new Trials.Contender<>(label, name, guard.other(turn -> trial.run(plan.nanos(turn))));
    }

    private static String describe(Histogram h) {
        return String.format(Locale.ROOT, "p50 %,d ns  p99 %,d ns  p99.9 %,d ns  max %,d ns  (%,d round trips)",
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                h.getMaxValue(), h.getTotalCount());
    }

    private static String describe(ShardThroughput.Rate r) {
        return String.format(Locale.ROOT, "%,.0f req/s  (%,d requests in %.3f s)", r.perSecond(), r.requests(),
                r.nanos() / 1e9);
    }

    /** How often the shard loops parked, and were woken by a system call, between two snapshots. */
    private static String parks(String what, List<ShardStats> before, List<ShardStats> after) {
        long parks = 0;
        long wakeups = 0;
        for (int i = 0; i < after.size(); i++) {
            parks += after.get(i).loop().parks() - before.get(i).loop().parks();
            wakeups += after.get(i).loop().wakeups() - before.get(i).loop().wakeups();
        }
        return String.format(Locale.ROOT, "%s: the shard loops parked %,d times and were woken by %,d system calls"
                + " over warm-ups and trials", what, parks, wakeups);
    }

    /** Requests that found the per-pair cap full: 0 when the window stays within it. */
    private static String meshWaits(List<ShardStats> spinBefore, List<ShardStats> spinAfter,
            List<ShardStats> parkBefore, List<ShardStats> parkAfter) {
        long waits = spinAfter.get(FROM).waits() - spinBefore.get(FROM).waits()
                + parkAfter.get(FROM).waits() - parkBefore.get(FROM).waits();
        return String.format(Locale.ROOT, "%d requests waited for a mesh slot (batched window %d = the per-pair"
                + " in-flight cap, so 0 expected)", waits, WINDOW);
    }

    // ---------------------------------------------------------------- report

    private void report(PrintStream out, Report report, List<Latency> latencies, List<Throughput> throughputs) {
        Latency shardline = latencies.get(0);
        Latency jdk = latencies.get(1);
        Latency parked = latencies.get(2);
        Latency floor = latencies.get(3);
        Throughput tp1 = throughputs.get(0);
        Throughput tp1Jdk = throughputs.get(1);
        Throughput tpW = throughputs.get(2);
        Throughput tpWJdk = throughputs.get(3);
        Throughput tpWParked = throughputs.get(4);

        out.println("shardline: 2-shard runtime, shard 0 -> shard 1 over the SPSC mesh; jdk: CompletableFuture between"
                + " two single-thread executors, A -> B -> A; shard 0 and A on CPU 0, shard 1 and B on CPU 1");
        out.println("each row is the " + plan.describe() + "; * = the JDK reference used in the result line");
        out.println();
        out.println("round trip (ping-pong: one request in flight, the next sent from the reply's continuation), ns");
        Report.Table rtTable = report.table("%-68s %9s %9s %9s %17s %12s", "%-68s %9.0f %9.0f %9.0f %17s %12s")
                .header("implementation", "p50", "p99", "p99.9", "p50 min..max", "round trips");
        for (Latency l : latencies) {
            rtTable.row(l.label(), l.p(50), l.p(99), l.p(99.9),
                    String.format(Locale.ROOT, "%.0f..%.0f", l.minP50(), l.maxP50()), Report.count(l.samples()));
        }
        out.println("floor = the machine's own cross-CPU round trip, the least any hand-off can cost here; where the"
                + " host puts the virtual CPUs moves it, and every row, from run to run");

        out.println();
        out.printf(Locale.ROOT, "one-way throughput (shard 0 asks, shard 1 runs a trivial function and replies),"
                + " requests/s;%nunbatched = 1 request in flight, the next sent when its reply is in;"
                + " batched = %d in flight (a window, kept full from the replies)%n", WINDOW);
        Report.Table tpTable = report.table("%-10s %-68s %12s %23s %8s", "%-10s %-68s %12s %23s %8.1f")
                .header("workload", "implementation", "req/s", "min..max", "ns/req");
        for (Throughput t : throughputs) {
            tpTable.row(t.workload(), t.label(), Report.rate(t.median()),
                    Report.rate(t.min()) + ".." + Report.rate(t.max()), 1e9 / t.median());
        }

        double rtSpeedup = jdk.p(50) / shardline.p(50);
        double tp1Speedup = tp1.median() / tp1Jdk.median();
        double tpSpeedup = tpW.median() / tpWJdk.median();
        out.println();
        out.println("Shardline / JDK (round trip: JDK p50 / Shardline p50; throughput: Shardline req/s / JDK req/s)");
        out.printf(Locale.ROOT, "  round trip p50               spin %d ms %8.2fx   spin 0 %8.2fx%n", SPIN_MS,
                rtSpeedup, jdk.p(50) / parked.p(50));
        out.printf(Locale.ROOT, "  (Shardline's round trip p50 is %.2fx the floor's: the rest is the runtime's own"
                + " work)%n", shardline.p(50) / floor.p(50));
        out.printf(Locale.ROOT, "  throughput, unbatched        spin %d ms %8.2fx%n", SPIN_MS, tp1Speedup);
        out.printf(Locale.ROOT, "  throughput, batched          spin %d ms %8.2fx   spin 0 %8.2fx%n", SPIN_MS,
                tpSpeedup, tpWParked.median() / tpWJdk.median());
        out.printf(Locale.ROOT, "  (batched against the JDK's best trial: %.2fx; the JDK's batched rate swings between"
                + " a fast and a slow mode for seconds at a time, so it moves the most from run to run)%n",
                tpW.median() / tpWJdk.max());

        double roundtrip = shardline.p(50);
        report.target(String.format(Locale.ROOT, "round trip median <= %.0f ns while spinning", ROUNDTRIP_TARGET_NS),
                roundtrip <= ROUNDTRIP_TARGET_NS, String.format(Locale.ROOT, "%.0f ns; floor %.0f ns", roundtrip,
                        floor.p(50)));
        report.target(String.format(Locale.ROOT, "throughput >= %.0fx the JDK (batched)", THROUGHPUT_TARGET_SPEEDUP),
                tpSpeedup >= THROUGHPUT_TARGET_SPEEDUP, String.format(Locale.ROOT, "%.2fx", tpSpeedup));
        report.field("roundtrip_ns", Long.toString(Math.round(roundtrip)));
        report.field("throughput_speedup", tpSpeedup);
        report.finish();
    }

}
