package io.shardline.perf;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * {@code bench broker}: Shardline's broker against Apache Kafka (one KRaft node), both processes of their
 * own on the same disk, driven in one run by the same {@code kafka-clients} load from this JVM
 * ({@link KafkaLoad}): producer throughput of 1 KiB records at acks=1 and at acks=all on a 4-partition
 * topic, the consumer reading the acks=1 topic back, and end-to-end latency at a fixed rate. The servers
 * take turns in rounds ({@link Trials}); the ratios are Shardline's over Kafka's, paired per round, medians.
 * Runs on the launcher's main thread.
 */
final class BrokerSuite implements BenchMain.Suite {
    static final String NAME = "broker";
    static final String SHARDLINE = "shardline";
    static final String KAFKA = "kafka";

    /**
     * How much: {@code rounds} measured rounds after a warm-up of {@code warmupRecords}; {@code records} per
     * producer trial; {@code rate} records/s for {@code e2eMillis} in the latency trial.
     */
    record Plan(int rounds, int records, int warmupRecords, int size, int partitions, int rate, long e2eMillis) {
        static Plan full() {
            return new Plan(3, 100_000, 20_000, 1024, 4, 1000, 10_000);
        }

        static Plan quick() {
            return new Plan(1, 10_000, 2_000, 1024, 4, 500, 3_000);
        }

        String describe() {
            return String.format(Locale.ROOT, "%d round%s after a warm-up; %d records of %d B per producer trial"
                    + " on %d partitions; end-to-end at %d records/s for %s; servers in turn", rounds,
                    rounds == 1 ? "" : "s", records, size, partitions, rate, Report.seconds(e2eMillis * 1_000_000));
        }
    }

    /**
     * One server's trial: each row's measurement, or why it failed; with the server process's CPU time
     * during each throughput row (robust on a shared machine where wall-clock rates are not).
     */
    record Trial(KafkaLoad.Throughput acks1, KafkaLoad.Throughput acksAll, KafkaLoad.Throughput consume,
            KafkaLoad.Latency e2e, String error, long acks1CpuNanos, long acksAllCpuNanos, long consumeCpuNanos) {
        static Trial failed(String why) {
            return new Trial(null, null, null, null, why, 0, 0, 0);
        }

        /** Server CPU microseconds per MiB moved by a row. */
        private double cpuPerMib(long nanos, KafkaLoad.Throughput t) {
            return ok() && t.bytes() > 0 ? nanos / 1000.0 / (t.bytes() / (double) (1 << 20)) : Double.NaN;
        }

        double produceCpu() {
            return cpuPerMib(acks1CpuNanos, acks1);
        }

        double produceAllCpu() {
            return cpuPerMib(acksAllCpuNanos, acksAll);
        }

        double consumeCpu() {
            return cpuPerMib(consumeCpuNanos, consume);
        }

        boolean ok() {
            return error == null && acks1.error() == null && acksAll.error() == null && consume.error() == null
                    && e2e.error() == null;
        }

        String problem() {
            if (error != null) {
                return error;
            }
            for (String e : new String[] {acks1.error(), acksAll.error(), consume.error(), e2e.error()}) {
                if (e != null) {
                    return e;
                }
            }
            return null;
        }

        double produce() {
            return ok() ? acks1.recordsPerSecond() : Double.NaN;
        }

        double produceAll() {
            return ok() ? acksAll.recordsPerSecond() : Double.NaN;
        }

        double consumeRate() {
            return ok() ? consume.recordsPerSecond() : Double.NaN;
        }

        double p50() {
            return ok() ? e2e.p50Micros() : Double.NaN;
        }

        double p99() {
            return ok() ? e2e.p99Micros() : Double.NaN;
        }

        String describe() {
            if (!ok()) {
                return "FAILED: " + problem();
            }
            return String.format(Locale.ROOT, "acks=1 %s/s, acks=all %s/s, consume %s/s, e2e p50 %s p99 %s",
                    Report.rate(produce()), Report.rate(produceAll()), Report.rate(consumeRate()),
                    Report.millis((long) (p50() * 1000)), Report.millis((long) (p99() * 1000)));
        }
    }

    private final BenchMain.Settings settings;
    private final Plan plan;
    private final PrintStream err;

    BrokerSuite(BenchMain.Settings settings) {
        this(settings, settings.quick() ? Plan.quick() : Plan.full(), System.err);
    }

    BrokerSuite(BenchMain.Settings settings, Plan plan, PrintStream err) {
        this.settings = settings;
        this.plan = plan;
        this.err = err;
    }

    @Override
    public int run(PrintStream out) throws Exception {
        Path root = KvServers.repositoryRoot();
        if (root == null) {
            err.println("shardline bench " + NAME + ": cannot find the repository root (its ./shardline launcher);"
                    + " run it as ./shardline bench " + NAME + ", or set -D" + KvServers.ROOT_PROPERTY + "=<root>");
            return 1;
        }
        CpuUse use = CpuUse.start();
        // Under the repository (its disk, not a tmpfs /tmp): both brokers write their logs to the same disk.
        Path dir = Files.createTempDirectory(Files.createDirectories(root.resolve("perf/target")), "bench-broker-");
        BrokerServers servers = new BrokerServers(root, dir);
        return BenchSupport.withCleanup(dir, servers::close, () -> {
            out.printf(Locale.ROOT, "# %s suite: %s%n", NAME, plan.describe());
            ServerProcess ours = servers.shardline(SHARDLINE);
            ServerProcess kafka = servers.kafka(KAFKA);
            out.printf(Locale.ROOT, "# %s: ./shardline broker from %s (a shard per CPU); %s: Apache Kafka 4.3.1, one"
                    + " KRaft node (broker+controller), default settings, %s; data of both in %s%n", SHARDLINE, root,
                    KAFKA, String.join(" ", BrokerServers.KAFKA_JVM), dir);
            Trials.Results<Trial> results = Trials.run(out, "broker rounds", new Trials.Plan(true, plan.rounds(), 0),
                    List.of(contender(ours), contender(kafka)), Trial::describe, null);
            report(out, use, results);
            return 0;
        });
    }

    private Trials.Contender<Trial> contender(ServerProcess s) {
        return new Trials.Contender<>(s.name(), s.name(), turn -> trial(s, turn));
    }

    /** One server's rows, each on a fresh topic that is deleted afterwards. */
    Trial trial(ServerProcess s, Trials.Turn turn) {
        KafkaLoad load = new KafkaLoad(s.port());
        int records = turn.warmup() ? plan.warmupRecords() : plan.records();
        String prefix = "bench-" + turn.tag();
        List<String> topics = List.of(prefix + "-acks1", prefix + "-all", prefix + "-e2e");
        try {
            for (String t : topics) {
                load.createTopic(t, plan.partitions());
            }
            long cpu0 = CpuUse.processCpuNanos(s.pid());
            KafkaLoad.Throughput acks1 = load.produce(topics.get(0), "1", records, plan.size());
            long cpu1 = CpuUse.processCpuNanos(s.pid());
            // Read back right after it was written, as a consumer a little behind reads.
            KafkaLoad.Throughput consume = load.consume(topics.get(0), plan.partitions(), acks1.records());
            long cpu2 = CpuUse.processCpuNanos(s.pid());
            KafkaLoad.Throughput all = load.produce(topics.get(1), "all", records, plan.size());
            long cpu3 = CpuUse.processCpuNanos(s.pid());
            long e2eMillis = turn.warmup() ? Math.min(plan.e2eMillis(), 2_000) : plan.e2eMillis();
            KafkaLoad.Latency e2e = load.endToEnd(topics.get(2), plan.partitions(), plan.rate(), e2eMillis, plan.size());
            load.deleteTopics(topics);
            return new Trial(acks1, all, consume, e2e, null, cpu1 - cpu0, cpu3 - cpu2, cpu2 - cpu1);
        } catch (Exception e) {
            return Trial.failed(e + (s.alive() ? "" : "; the server has exited: " + s.logTail()));
        }
    }

    void report(PrintStream out, CpuUse use, Trials.Results<Trial> results) {
        List<Trial> ours = results.of(SHARDLINE);
        List<Trial> kafka = results.of(KAFKA);
        Report report = new Report(NAME, out);
        report.summary(settings.quick(), use, use.machineLine(null), null);
        Report.Table table = report.table("%-30s %14s %14s %8s  %s", "%-30s %14s %14s %8s  %s");
        table.header("row (medians)", SHARDLINE, KAFKA, "ratio", "per round");
        double produce = row(table, "produce acks=1 (records/s)", ours, kafka, Trial::produce, false);
        double produceAll = row(table, "produce acks=all (records/s)", ours, kafka, Trial::produceAll, false);
        double consume = row(table, "consume (records/s)", ours, kafka, Trial::consumeRate, false);
        row(table, "e2e p50 (ms)", ours, kafka, Trial::p50, true);
        double p99 = row(table, "e2e p99 (ms)", ours, kafka, Trial::p99, true);
        row(table, "server CPU acks=1 (ms/MiB)", ours, kafka, Trial::produceCpu, true);
        row(table, "server CPU acks=all (ms/MiB)", ours, kafka, Trial::produceAllCpu, true);
        row(table, "server CPU consume (ms/MiB)", ours, kafka, Trial::consumeCpu, true);
        report.note("ratios are Shardline's over Kafka's, the median of the per-round ratios; for latency lower is"
                + " better");
        report.note("acks=all: Shardline answers after a group-committed fdatasync; Kafka (one replica, default"
                + " flush settings) after the write to its page cache");
        report.note("the load runs in this JVM on the same machine: a noisy machine moves both sides' figures; the"
                + " server CPU rows (the server process's CPU time over the bytes a row moved) move least");
        report.atLeast("produce_ratio", 1.0, 1, produce);
        report.atLeast("produce_all_ratio", 1.0, 1, produceAll);
        report.atLeast("consume_ratio", 1.0, 1, consume);
        report.atMost("e2e_p99_ratio", 1.0, 1, p99);
        report.field("produce_ratio", produce);
        report.field("produce_all_ratio", produceAll);
        report.field("consume_ratio", consume);
        report.field("e2e_p99_ratio", p99);
        report.finish();
    }

    /** Prints a row of medians and the paired ratio; gives the ratio. Latencies are in microseconds, shown in ms. */
    private static double row(Report.Table table, String label, List<Trial> ours, List<Trial> kafka,
            ToDoubleFunction<Trial> value, boolean micros) {
        double a = Trials.median(ours, value);
        double b = Trials.median(kafka, value);
        double ratio = Trials.pairedMedian(ours, kafka, value, Trial::ok);
        table.row(label, micros ? Report.num(a / 1000, 2) : Report.rate(a), micros ? Report.num(b / 1000, 2)
                : Report.rate(b), Report.num(ratio, 2), Trials.perRound(ours, kafka, value, Trial::ok));
        return ratio;
    }
}
