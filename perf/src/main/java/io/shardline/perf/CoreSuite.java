package io.shardline.perf;

import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;

/**
 * The {@code core} suite: the loop's spawn-and-run, a chain of 10 continuations, and timer
 * schedule-and-cancel, each in the same JMH run as the JDK doing the same work
 * ({@link CoreSpawnBench}, {@link CoreChainBench}, {@link CoreTimerBench}).
 *
 * <p>Prints JMH's log, then a table (throughput in ops/µs as the median of the measured iterations,
 * their range, ns/op and {@code gc.alloc.rate.norm}), the Shardline/JDK throughput ratios, the
 * issue's targets, and as the last line
 * {@code result: core spawn_speedup=<x> chain_speedup=<x> timer_speedup=<x>}, each the median
 * Shardline throughput divided by the reference JDK variant's.
 */
final class CoreSuite implements BenchMain.Suite {
    private static final String INCLUDE = "^io\\.shardline\\.perf\\.Core(Spawn|Chain|Timer)Bench\\.";

    /** Spawn-and-run target from the issue: at most this many ns per task. */
    static final double SPAWN_TARGET_NS = 50;
    /** Below this, B/op is zero: the smallest object is 16 B, so this is under one object per 300 ops. */
    static final double ZERO_ALLOC_BYTES = 0.05;
    /** Chain target from the issue: at least this many times the JDK's throughput. */
    static final double CHAIN_TARGET_SPEEDUP = 5;

    private enum Role { SHARDLINE, REFERENCE, EXTRA }

    private record Row(String workload, Role role, String label, Class<?> bench, String method) {
        String benchmark() {
            return bench.getName() + "." + method;
        }
    }

    private static final List<Row> ROWS = List.of(
            new Row("spawn", Role.SHARDLINE, "shardline  Loop.execute + runOnce, hand-driven loop",
                    CoreSpawnBench.class, "shardline"),
            new Row("spawn", Role.REFERENCE, "jdk*       CompletableFuture.runAsync, 1-thread executor",
                    CoreSpawnBench.class, "jdk"),
            new Row("chain", Role.SHARDLINE, "shardline  Promise + 10 map, on the loop thread",
                    CoreChainBench.class, "shardline"),
            new Row("chain", Role.REFERENCE, "jdk*       CF + 10 thenApply, completeAsync on 1-thread executor, batched",
                    CoreChainBench.class, "jdkExecutor"),
            new Row("chain", Role.EXTRA, "jdk        same, join each chain (hand-off + wake-up per op)",
                    CoreChainBench.class, "jdkExecutorJoinEach"),
            new Row("chain", Role.EXTRA, "jdk        CF + 10 thenApply, built and completed on one thread",
                    CoreChainBench.class, "jdkSameThread"),
            new Row("timer", Role.SHARDLINE, "shardline  Timer.scheduleNanos + cancel, on the loop thread",
                    CoreTimerBench.class, "shardline"),
            new Row("timer", Role.REFERENCE, "jdk*       ScheduledThreadPoolExecutor(1) schedule + cancel, from caller",
                    CoreTimerBench.class, "jdk"),
            new Row("timer", Role.EXTRA, "jdk        same calls from a task on the executor's own thread",
                    CoreTimerBench.class, "jdkInExecutor"));

    private final BenchMain.Settings settings;

    CoreSuite(BenchMain.Settings settings) {
        this.settings = settings;
    }

    @Override
    public int run(PrintStream out) throws Exception {
        CpuUse use = CpuUse.start();
        Collection<RunResult> results = new Runner(Jmh.options(INCLUDE, settings).build()).run();
        Map<String, Jmh.Score> scores = Jmh.scores(results);
        for (Row row : ROWS) {
            if (!scores.containsKey(row.benchmark())) {
                throw new IllegalStateException("JMH returned no result for " + row.benchmark());
            }
        }
        Report report = new Report("core", out);
        report.summary(settings.quick(), use, use.machineLine(null), null);
        report(out, report, scores);
        return 0;
    }

    private void report(PrintStream out, Report report, Map<String, Jmh.Score> scores) {
        out.println("throughput in ops/us (higher is better): the median of the measured iterations, and the slowest and");
        out.println("fastest of them; ns/op = 1000 / median, B/op = gc.alloc.rate.norm, * = the JDK reference used in the result line");
        Report.Table table = report.table("%-8s %-72s %10s %17s %10s %9s", "%-8s %-72s %10.3f %17s %10.2f %9s")
                .header("workload", "implementation", "ops/us", "min..max", "ns/op", "B/op");
        for (Row row : ROWS) {
            Jmh.Score s = scores.get(row.benchmark());
            table.row(row.workload(), row.label(), s.score(), Report.num(s.min(), 3) + ".." + Report.num(s.max(), 3),
                    s.nanosPerOp(), Report.num(s.allocNorm(), 3));
        }

        out.println();
        out.println("Shardline / JDK (throughput ratio)");
        for (Row row : ROWS) {
            if (row.role() == Role.SHARDLINE) {
                continue;
            }
            out.printf(Locale.ROOT, "  %-8s vs %-72s %8.2fx%n", row.workload(), row.label(),
                    ratio(scores, row.workload(), row));
        }

        Jmh.Score spawn = scores.get(shardline("spawn").benchmark());
        double spawnSpeedup = ratio(scores, "spawn", reference("spawn"));
        double chainSpeedup = ratio(scores, "chain", reference("chain"));
        double timerSpeedup = ratio(scores, "timer", reference("timer"));
        report.target(String.format(Locale.ROOT, "spawn-and-run <= %.0f ns/op", SPAWN_TARGET_NS),
                spawn.nanosPerOp() <= SPAWN_TARGET_NS, String.format(Locale.ROOT, "%.2f ns/op", spawn.nanosPerOp()));
        report.target("spawn-and-run 0 B/op (steady path)", spawn.allocNorm() < ZERO_ALLOC_BYTES,
                Report.num(spawn.allocNorm(), 3) + " B/op");
        report.target(String.format(Locale.ROOT, "chain >= %.0fx the JDK", CHAIN_TARGET_SPEEDUP),
                chainSpeedup >= CHAIN_TARGET_SPEEDUP, String.format(Locale.ROOT, "%.2fx", chainSpeedup));
        report.field("spawn_speedup", spawnSpeedup);
        report.field("chain_speedup", chainSpeedup);
        report.field("timer_speedup", timerSpeedup);
        report.finish();
    }

    private static double ratio(Map<String, Jmh.Score> scores, String workload, Row jdk) {
        return scores.get(shardline(workload).benchmark()).score() / scores.get(jdk.benchmark()).score();
    }

    private static Row shardline(String workload) {
        return find(workload, Role.SHARDLINE);
    }

    private static Row reference(String workload) {
        return find(workload, Role.REFERENCE);
    }

    private static Row find(String workload, Role role) {
        for (Row row : ROWS) {
            if (row.workload().equals(workload) && row.role() == role) {
                return row;
            }
        }
        throw new IllegalStateException("no " + role + " row for " + workload);
    }
}
