package io.shardline.perf;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The {@code kv-features} suite's report, owned by the suite's thread (not thread-safe), on
 * {@link Report}: the table (a row per workload; Shardline's
 * and Redis's medians, the paired ratio, the rounds that counted, each round's ratio), the CPU table
 * (each server's CPU and the load generator's, per unit), the notes (a failed row's errors), the
 * targets and the result line.
 */
final class KvFeaturesReport {
    /** A median load generator thread busier than this may have set the pace. */
    static final double GENERATOR_BUSY_PERCENT = 90;

    private final Report report;
    private final PrintStream out;

    KvFeaturesReport(Report report, PrintStream out) {
        this.report = report;
        this.out = out;
    }

    void summary(boolean quick, CpuUse use) {
        report.summary(quick, use, use.machineLine(null), null);
    }

    /** The ratio a row scores: 0 if any measured trial of either server failed, else the paired median. */
    static double ratio(Trials.Results<RespLoad.Run> results) {
        List<RespLoad.Run> s = results.of(KvFeaturesSuite.SHARDLINE);
        List<RespLoad.Run> r = results.of(KvFeaturesSuite.REDIS);
        if (failed(s) > 0 || failed(r) > 0 || s.isEmpty()) {
            return 0.0;
        }
        return Trials.pairedMedian(s, r, RespLoad.Run::rate, RespLoad.Run::ok);
    }

    static int failed(List<RespLoad.Run> runs) {
        return (int) runs.stream().filter(r -> !r.ok()).count();
    }

    void print(KvFeaturesSuite.Plan plan, List<KvFeaturesSuite.Row> rows) {
        out.printf(Locale.ROOT, "%s; median over each server's rounds; ratio = the median of the per-round ratios"
                + " shardline / redis-server (0.00 when a trial failed)%n", plan.describe());
        out.println();
        Report.Table t = report.table("%-14s %-17s %13s %13s %6s %7s  %s", "%-14s %-17s %13s %13s %6s %7s  %s")
                .header("row", "unit", KvFeaturesSuite.SHARDLINE, KvFeaturesSuite.REDIS, "ratio", "rounds", "per round");
        for (KvFeaturesSuite.Row row : rows) {
            List<RespLoad.Run> s = row.results().of(KvFeaturesSuite.SHARDLINE);
            List<RespLoad.Run> r = row.results().of(KvFeaturesSuite.REDIS);
            int counted = (int) IntStream.range(0, Math.min(s.size(), r.size()))
                    .filter(i -> s.get(i).ok() && r.get(i).ok()).count();
            t.row(row.key(), row.unit(), rate(s), rate(r), Report.num(ratio(row.results()), 2),
                    counted + "/" + Math.min(s.size(), r.size()), failed(s) + failed(r) > 0 ? "-"
                            : Trials.perRound(s, r, RespLoad.Run::rate));
        }
        out.println();
        Report.Table c = report.table("%-14s %-13s %11s %13s %15s %13s", "%-14s %-13s %11s %13s %15s %13s")
                .header("CPU", "server", "server CPU", "us per unit", "generator CPU", "us per unit")
                .header("", "", "% of 1 CPU", "(server)", "% of 1 CPU", "(generator)");
        for (KvFeaturesSuite.Row row : rows) {
            for (String server : List.of(KvFeaturesSuite.SHARDLINE, KvFeaturesSuite.REDIS)) {
                List<RespLoad.Run> ok = row.results().of(server).stream().filter(RespLoad.Run::ok).toList();
                double serverCpu = Trials.median(ok, RespLoad.Run::serverCpuPercent);
                double loadCpu = Trials.median(ok, RespLoad.Run::loadCpuPercent);
                double rate = Trials.median(ok, RespLoad.Run::rate);
                c.row(row.key(), server, Report.percent(serverCpu), Report.num(serverCpu * 1e4 / rate, 2),
                        Report.percent(loadCpu), Report.num(loadCpu * 1e4 / rate, 2));
                if (loadCpu > GENERATOR_BUSY_PERCENT) {
                    report.note(String.format(Locale.ROOT, "%s on %s: the load generator's thread was on a CPU %.0f%%"
                            + " of the window, so it may have set the pace", row.key(), server, loadCpu));
                }
            }
        }
        report.note("the load generator is one thread of the suite's JVM on raw NIO RESP2 connections; servers and"
                + " generator are not pinned and share the machine's " + Runtime.getRuntime().availableProcessors()
                + " CPUs");
        for (KvFeaturesSuite.Row row : rows) {
            for (String server : List.of(KvFeaturesSuite.SHARDLINE, KvFeaturesSuite.REDIS)) {
                List<RespLoad.Run> runs = row.results().of(server);
                runs.stream().filter(r -> !r.ok()).findFirst().ifPresent(first -> report.note(String.format(
                        Locale.ROOT, "%s FAILED on %s in %d of %d rounds; first error: %s", row.key(), server,
                        failed(runs), runs.size(), first.error())));
            }
        }
        for (KvFeaturesSuite.Row row : rows) {
            report.atLeast(row.key() + " shardline / redis", KvFeaturesSuite.TARGET, 1, ratio(row.results()));
        }
        for (KvFeaturesSuite.Row row : rows) {
            report.field(row.field(), ratio(row.results()));
        }
        report.finish();
    }

    /** The median rate of a server's rounds, or FAILED if any failed. */
    private static String rate(List<RespLoad.Run> runs) {
        return failed(runs) > 0 ? "FAILED" : String.format(Locale.ROOT, "%,.0f", Trials.median(runs, RespLoad.Run::rate));
    }
}
