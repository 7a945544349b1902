package io.shardline.perf;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code kv} suite's report: the throughput tables (medians over each server's rounds, the ratio of
 * medians and each round's ratio), the memory table, the notes, the targets and the result line, on
 * {@link Report}. Owned by the suite's thread; not thread-safe.
 */
final class KvReport {
    private final Report report;
    private final PrintStream out;
    private final KvSuite.Plan plan;
    private int shards = -1;
    private String jvmFlags = "unknown";

    KvReport(Report report, PrintStream out, KvSuite.Plan plan) {
        this.report = report;
        this.out = out;
        this.plan = plan;
    }

    /** What Shardline at its default shard count ran with: its shards and the launcher's JVM memory/GC flags. */
    void shardline(int shards, String jvmFlags) {
        this.shards = shards;
        this.jvmFlags = jvmFlags;
    }

    void summary(boolean quick, CpuUse use) {
        report.summary(quick, use, use.machineLine(null), null);
    }

    void print(List<KvSuite.Row> strings, List<KvSuite.Row> families, List<KvSuite.Row> cluster, List<KvSuite.Row> aof,
               KvSuite.Memory memory) {
        String defaultShards = shards > 0 ? shards + " shard" + (shards == 1 ? "" : "s") : "default shards";
        out.printf(Locale.ROOT, "%s; %d clients; requests/s and p99 in ms as redis-benchmark reports them;"
                + " ratio = Shardline's median / redis-server's, per round the same for each round%n", plan.describe(),
                RedisBenchmark.CLIENTS);
        out.println();
        Report.Table t = report.table("%-30s %13s %8s %13s %8s %6s  %-16s %13s %6s",
                "%-30s %13s %8s %13s %8s %6s  %-16s %13s %6s")
                .header("strings, persistence off", "redis-server", "p99", "shardline", "p99", "ratio", "per round",
                        "--shards 1", "ratio")
                .header("", "req/s", "ms", "(" + defaultShards + ")", "ms", "", "", "req/s", "");
        for (KvSuite.Row row : strings) {
            t.row(cells(row, KvSuite.REDIS, KvSuite.SHARDLINE, KvSuite.SHARDLINE_1));
        }
        out.println();
        Report.Table f = report.table("%-30s %13s %8s %13s %8s %6s  %s", "%-30s %13s %8s %13s %8s %6s  %s")
                .header("families, persistence off", "redis-server", "p99", "shardline", "p99", "ratio", "per round")
                .header("", "req/s", "ms", "(" + defaultShards + ")", "ms", "", "");
        for (KvSuite.Row row : families) {
            f.row(cells(row, KvSuite.REDIS, KvSuite.SHARDLINE, null));
        }
        printCluster(cluster);
        out.println();
        Report.Table a = report.table("%-30s %13s %8s %13s %8s %6s  %s", "%-30s %13s %8s %13s %8s %6s  %s")
                .header("persistent", "redis-server", "p99", "shardline", "p99", "ratio", "per round")
                .header("", "aof everysec", "ms", "fsync everysec", "ms", "", "");
        for (KvSuite.Row row : aof) {
            a.row(cells(row, KvSuite.REDIS_AOF, KvSuite.SHARDLINE_AOF, null));
        }
        double memoryRatio = memoryRatio(memory);
        double rssRatio = ratio(memory.shardlineRss(), memory.redisRss());
        printMemory(memory, defaultShards, memoryRatio, rssRatio);

        report.note("Shardline kv started by ./shardline kv as a user runs it, JVM memory/GC flags from the launcher: "
                + jvmFlags + "; collector: " + memory.heapName());
        report.note("servers and redis-benchmark are not pinned: they share the machine's "
                + Runtime.getRuntime().availableProcessors() + " CPUs as a user's would");
        for (KvSuite.Row row : families) {
            if (row.workload().args().contains("XADD")) {
                report.note("this redis-benchmark has no xadd test (7.2 added it): the XADD row sends the command"
                        + " 7.2's test sends, 'XADD mystream * myfield xxx', as a custom command");
            }
        }
        errors(List.of(strings, families, cluster, aof));
        if (memory.error() != null) {
            report.note("memory: " + memory.error());
        } else if (memory.offHeapField() == null) {
            report.note("memory: Shardline's INFO memory reports no off-heap field; memory_ratio counts the live heap"
                    + " only");
        }

        List<KvSuite.Row> results = new ArrayList<>(strings);
        results.addAll(aof);
        for (KvSuite.Row row : results) {
            report.atLeast(resultKey(row.workload().key()), KvSuite.THROUGHPUT_TARGET, 1, shardlineRatio(row));
        }
        for (KvSuite.Row row : families) {
            report.atLeast(row.workload().key() + "_ratio_p16", KvSuite.THROUGHPUT_TARGET, 1, shardlineRatio(row));
        }
        for (KvSuite.Row row : cluster) {
            report.atLeast(resultKey(row.workload().key()), KvSuite.THROUGHPUT_TARGET, 1, shardlineRatio(row));
        }
        report.atMost("memory_ratio", KvSuite.MEMORY_TARGET, 1, memoryRatio);
        report.atMost("rss_ratio", KvSuite.RSS_TARGET, 1, rssRatio);
        for (KvSuite.Row row : results) {
            report.field(resultKey(row.workload().key()), value(shardlineRatio(row)));
        }
        report.field("memory_ratio", value(memoryRatio));
        report.field("rss_ratio", value(rssRatio));
        for (KvSuite.Row row : cluster) {
            report.field(resultKey(row.workload().key()), value(shardlineRatio(row)));
        }
        report.finish();
    }

    /**
     * The cluster table: Redis Cluster, Shardline {@code --cluster} and its ratio over Redis Cluster, and
     * one redis-server with its ratio over Redis Cluster (how far a cluster of that many nodes scales).
     */
    private void printCluster(List<KvSuite.Row> cluster) {
        if (cluster.isEmpty()) {
            return;
        }
        int nodes = Runtime.getRuntime().availableProcessors();
        out.println();
        Report.Table c = report.table("%-30s %13s %8s %13s %8s %6s  %-16s %13s %6s",
                "%-30s %13s %8s %13s %8s %6s  %-16s %13s %6s")
                .header("cluster, persistence off", "redis cluster", "p99", "shardline", "p99", "ratio", "per round",
                        "redis-server", "ratio")
                .header("(redis-benchmark --cluster)", "(" + nodes + " nodes)", "ms", "--cluster", "ms", "", "",
                        "(1, no --cluster)", "");
        for (KvSuite.Row row : cluster) {
            c.row(cells(row, KvSuite.REDIS_CLUSTER, KvSuite.SHARDLINE_CLUSTER, KvSuite.REDIS));
        }
        report.note("cluster: ratio = Shardline --cluster's median / Redis Cluster's (" + nodes + " redis-servers, formed"
                + " by redis-cli); the redis-server column's ratio = one redis-server's median / Redis Cluster's");
    }

    private void printMemory(KvSuite.Memory m, String defaultShards, double memoryRatio, double rssRatio) {
        out.println();
        Report.Table t = report.table("%-36s %16s %22s", "%-36s %16s %22s")
                .header(String.format(Locale.ROOT, "memory, %,d keys of %d B", m.keys(), KvSuite.VALUE_BYTES),
                        "redis-server", "shardline (" + defaultShards + ")");
        t.row("used_memory / live heap after GC", mib(m.redisUsed()), mib(m.heapUsed()));
        t.row("off-heap (INFO memory)", "-", m.offHeapField() == null ? "not reported" : mib(m.offHeap()));
        t.row("used_memory (INFO memory)", mib(m.redisUsed()), mib(m.shardlineUsedMemory()));
        t.row("RSS", mib(m.redisRss()), mib(m.shardlineRss()));
        t.row("RSS after the forced GC", "-", mib(m.shardlineRssAfterGc()));
        t.row("bytes per key (used / live + off-heap)", perKey(m.redisUsed(), m.keys()),
                perKey(m.heapUsed() < 0 ? -1 : m.heapUsed() + Math.max(0, m.offHeap()), m.keys()));
        t.row("load time, pipelined SETs", Report.num(m.redisLoadSeconds(), 1) + " s",
                Report.num(m.shardlineLoadSeconds(), 1) + " s");
        out.printf(Locale.ROOT, "memory_ratio (live heap + off-heap) / used_memory = %s; rss_ratio = %s%n",
                Report.num(memoryRatio, 2), Report.num(rssRatio, 2));
    }

    /** A row's cells: title, then per server requests/s and p99, Shardline's ratio and per-round ratios. */
    private static Object[] cells(KvSuite.Row row, String redis, String shardline, String shardline1) {
        List<RedisBenchmark.Result> r = row.results().of(redis);
        List<RedisBenchmark.Result> s = row.results().of(shardline);
        List<Object> cells = new ArrayList<>(List.of(row.workload().title(), rps(r), p99(r), rps(s), p99(s),
                Report.num(ratio(s, r), 2), perRound(s, r)));
        if (shardline1 != null) {
            List<RedisBenchmark.Result> one = row.results().of(shardline1);
            cells.add(rps(one));
            cells.add(Report.num(ratio(one, r), 2));
        }
        return cells.toArray();
    }

    /** Shardline at its default shard count over redis-server in {@code row}. */
    private static double shardlineRatio(KvSuite.Row row) {
        var byLabel = row.results().byLabel();
        List<String> labels = new ArrayList<>(byLabel.keySet());
        return ratio(byLabel.get(labels.get(1)), byLabel.get(labels.get(0)));
    }

    static double memoryRatio(KvSuite.Memory m) {
        return m.heapUsed() < 0 ? Double.NaN : ratio(m.heapUsed() + Math.max(0, m.offHeap()), m.redisUsed());
    }

    /** "set_p1" to "set_ratio_p1": the result line's name of a row's ratio. */
    static String resultKey(String key) {
        int p = key.lastIndexOf("_p");
        return key.substring(0, p) + "_ratio" + key.substring(p);
    }

    /** The ratio of the medians of the trials that succeeded; NaN if either side has none. */
    static double ratio(List<RedisBenchmark.Result> a, List<RedisBenchmark.Result> b) {
        return medianRps(a) / medianRps(b);
    }

    private static double ratio(long a, long b) {
        return a < 0 || b <= 0 ? Double.NaN : (double) a / b;
    }

    private static double medianRps(List<RedisBenchmark.Result> rs) {
        return Trials.median(rs.stream().filter(RedisBenchmark.Result::ok).toList(), RedisBenchmark.Result::rps);
    }

    /** Each round's ratio, "n/a" for a round either side failed. */
    static String perRound(List<RedisBenchmark.Result> a, List<RedisBenchmark.Result> b) {
        List<String> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            double r = a.get(i).rps() / b.get(i).rps();
            ratios.add(Double.isNaN(r) ? "n/a" : Report.num(r, 2));
        }
        return String.join(" ", ratios);
    }

    private static String rps(List<RedisBenchmark.Result> rs) {
        double v = medianRps(rs);
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String p99(List<RedisBenchmark.Result> rs) {
        List<RedisBenchmark.Result> ok = rs.stream().filter(RedisBenchmark.Result::ok).toList();
        return ok.isEmpty() ? "n/a" : Report.num(Trials.median(ok, RedisBenchmark.Result::p99Ms), 3);
    }

    /** Each distinct error of a server in a row, as a note. */
    private void errors(List<List<KvSuite.Row>> groups) {
        for (List<KvSuite.Row> rows : groups) {
            for (KvSuite.Row row : rows) {
                row.results().byLabel().forEach((server, trials) -> {
                    Set<String> seen = new LinkedHashSet<>();
                    trials.stream().filter(r -> !r.ok()).forEach(r -> seen.add(r.error()));
                    for (String e : seen) {
                        report.note(row.workload().title() + ", " + server + ": n/a: " + e);
                    }
                });
            }
        }
    }

    private static String value(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%,.1f MiB", bytes / (double) (1 << 20));
    }

    private static String perKey(long bytes, long keys) {
        return bytes < 0 || keys <= 0 ? "n/a" : String.format(Locale.ROOT, "%.0f B", bytes / (double) keys);
    }
}
