package io.shardline.perf;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The {@code kv-features} suite (issue 16's bench rows), run by {@code ./shardline bench}'s main thread:
 * Shardline kv at {@value #SHARDS} shards against
 * redis-server, both processes of their own and running side by side for the whole suite, on two rows:
 *
 * <ul>
 *   <li>{@code pubsub_fanout}: messages per second delivered to {@link Plan#subscribers} subscribers of
 *       one channel by pipelined PUBLISHes ({@link PubSubFanout});
 *   <li>{@code multi_exec}: transactions per second, MULTI / SET / SET / EXEC on two keys of different
 *       shards, each EXEC checked to be the two SETs' +OK ({@link MultiExecLoad}).
 * </ul>
 *
 * <p>The load is this JVM's thread on raw RESP2 connections ({@link RespLoad}); its CPU and each
 * server's are measured over every window. Per row, each server gets a warm-up trial, then the rounds
 * take the servers in turn ({@link Trials}); a row's ratio is the median of the per-round ratios
 * Shardline / Redis ({@link Trials#pairedMedian}). A row where any measured trial failed (a reply not as
 * Redis gives it, such as "unknown command 'multi'", a lost message, a dead server) is reported FAILED
 * with the first error of each server and a ratio of 0.00; the suite still runs its other row.
 *
 * <p>Last line: {@code result: kv-features pubsub_ratio=<x.xx> multi_ratio=<x.xx>}. Servers are stopped at the end, on failure, and on Ctrl-C (a shutdown hook).
 */
final class KvFeaturesSuite implements BenchMain.Suite {
    static final String NAME = "kv-features";
    static final String SHARDLINE = "shardline";
    static final String REDIS = "redis-server";
    static final int SHARDS = 2;
    static final double TARGET = 1.0;

    /**
     * {@code rounds} measured trials per server and row, each {@code settleMillis} unmeasured and then
     * {@code measureMillis} counted, after a warm-up trial measuring {@code warmupMillis}; the rows'
     * shapes: subscribers, publishers, payload bytes, PUBLISH window per publisher, messages in flight per
     * subscriber; transaction connections and transactions in flight per connection (4: 16 commands, as
     * the kv suite's redis-benchmark -P 16).
     */
    record Plan(int rounds, long warmupMillis, long settleMillis, long measureMillis, int subscribers,
                int publishers, int payload, int publishWindow, int backlog, int multiConnections, int multiDepth) {
        static Plan full() {
            return new Plan(5, 3_000, 1_000, 5_000, 50, 2, 64, 64, 512, 50, 4);
        }

        static Plan quick() {
            return new Plan(2, 500, 300, 1_000, 50, 2, 64, 64, 512, 50, 4);
        }

        String describe() {
            return String.format(Locale.ROOT, "per row, a warm-up trial of %s per server, then %d round%s of %s"
                            + " settling + %s measured, servers in turn", Report.seconds(warmupMillis * 1_000_000),
                    rounds, rounds == 1 ? "" : "s", Report.seconds(settleMillis * 1_000_000),
                    Report.seconds(measureMillis * 1_000_000));
        }
    }

    /** Starts one side's server. */
    interface Starter {
        ServerProcess start(KvServers servers, String name) throws IOException, InterruptedException;
    }

    /** A row of the table: its name, its result-line field, what it counts, and both servers' trials. */
    record Row(String key, String field, String unit, Trials.Results<RespLoad.Run> results) {
    }

    private final BenchMain.Settings settings;
    private final Plan plan;
    private final String path;
    private final PrintStream err;
    /** Starts the server in Shardline's column; null for Shardline kv through the launcher. */
    private final Starter shardline;

    KvFeaturesSuite(BenchMain.Settings settings) {
        this(settings, settings.quick() ? Plan.quick() : Plan.full(), System.getenv("PATH"), System.err, null);
    }

    KvFeaturesSuite(BenchMain.Settings settings, Plan plan, String path, PrintStream err, Starter shardline) {
        this.settings = settings;
        this.plan = plan;
        this.path = path;
        this.err = err;
        this.shardline = shardline;
    }

    @Override
    public int run(PrintStream out) throws Exception {
        if (!KvServers.missing(path, List.of(KvServers.REDIS_SERVER)).isEmpty()) {
            err.println("shardline bench " + NAME + ": runs against redis-server, which is not on the PATH;"
                    + " on Debian or Ubuntu: apt-get install redis-server");
            return 1;
        }
        Path root = KvServers.repositoryRoot();
        if (root == null && shardline == null) {
            err.println("shardline bench " + NAME + ": cannot find the repository root (its ./shardline launcher);"
                    + " run it as ./shardline bench " + NAME + ", or set -D" + KvServers.ROOT_PROPERTY + "=<root>");
            return 1;
        }
        CpuUse use = CpuUse.start();
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "shardline-bench-kvf-");
        KvServers servers = new KvServers(root != null ? root : dir, dir);
        return BenchSupport.withCleanup(dir, servers::close, () -> run(out, root, servers, use));
    }

    private int run(PrintStream out, Path root, KvServers servers, CpuUse use) throws Exception {
        out.printf(Locale.ROOT, "# %s suite: %s%n", NAME, plan.describe());
        ServerProcess ours = shardline != null ? shardline.start(servers, SHARDLINE)
                : servers.shardline(SHARDLINE, SHARDS);
        ServerProcess redis = servers.redis(REDIS);
        int shards = KvSuite.shards(ours);
        out.printf(Locale.ROOT, "# %s: %s; %s: %s%n", SHARDLINE, shardline != null ? "a stand-in started by the"
                + " caller" : "./shardline kv from " + root + ", " + (shards > 0 ? shards + " shards" : "shards unknown")
                + ", persistence off", REDIS, "--save '' --appendonly no");
        List<ServerProcess> both = List.of(ours, redis);

        PubSubFanout pubsubShape = pubsub();
        out.println("# pubsub_fanout: " + pubsubShape.describe());
        Row pubsub = row(out, "pubsub_fanout", "pubsub_ratio", "msgs/s delivered", both, this::pubsub, s -> null);

        MultiExecLoad multiShape = multi();
        out.println("# multi_exec: " + multiShape.describe());
        Row multi = row(out, "multi_exec", "multi_ratio", "txns/s", both, this::multi, multiShape::slotCheck);
        String spread = keysPerShard(ours.port());
        if (spread != null) {
            out.println("# " + SHARDLINE + "'s keys per shard after multi_exec (each connection's two): " + spread);
        }

        KvFeaturesReport report = new KvFeaturesReport(new Report(NAME, out), out);
        report.summary(settings.quick(), use);
        report.print(plan, List.of(pubsub, multi));
        return 0;
    }

    private PubSubFanout pubsub() {
        return new PubSubFanout(plan.subscribers(), plan.publishers(), plan.payload(), plan.publishWindow(),
                plan.backlog());
    }

    private MultiExecLoad multi() {
        return new MultiExecLoad(plan.multiConnections(), plan.multiDepth(), SHARDS);
    }

    /** Asked once per server before a row's trials: null, or why its trials cannot count. */
    private interface Precheck {
        String problem(int port) throws IOException;
    }

    private Row row(PrintStream out, String key, String field, String unit, List<ServerProcess> on,
                    Supplier<RespLoad.Workload> workload, Precheck precheck) throws Exception {
        List<Trials.Contender<RespLoad.Run>> contenders = new ArrayList<>();
        for (ServerProcess s : on) {
            String problem = precheck.problem(s.port());
            contenders.add(new Trials.Contender<>(s.name(), s.name(), turn -> problem != null
                    ? RespLoad.Run.failed(s.name(), problem) : trial(s, workload.get(), turn)));
        }
        return new Row(key, field, unit, Trials.run(out, key + " (" + unit + ")", new Trials.Plan(true, plan.rounds(), 0),
                contenders, r -> describe(r, unit), null));
    }

    private RespLoad.Run trial(ServerProcess s, RespLoad.Workload w, Trials.Turn turn) {
        long measure = (turn.warmup() ? plan.warmupMillis() : plan.measureMillis()) * 1_000_000;
        RespLoad.Run r = new RespLoad().run(s.name(), s.port(), w, plan.settleMillis() * 1_000_000, measure,
                () -> CpuUse.processCpuNanos(s.pid()));
        if (!r.ok() && !s.alive()) {
            return RespLoad.Run.failed(s.name(), r.error() + "; the server has exited: " + s.logTail());
        }
        return r;
    }

    /** "shard0 50, shard1 50" from INFO's shards section (Shardline's own), or null where there is none. */
    static String keysPerShard(int port) {
        try (RespClient c = RespClient.connect(port)) {
            List<String> shards = new ArrayList<>();
            for (String line : c.call("INFO", "shards").split("\r\n")) {
                int keys = line.indexOf(":keys=");
                if (line.startsWith("shard") && keys > 0) {
                    int end = line.indexOf(',', keys);
                    shards.add(line.substring(0, keys) + " " + line.substring(keys + 6, end < 0 ? line.length() : end));
                }
            }
            return shards.isEmpty() ? null : String.join(", ", shards);
        } catch (IOException e) {
            return null;
        }
    }

    static String describe(RespLoad.Run r, String unit) {
        return r.ok() ? String.format(Locale.ROOT, "%,12.0f %s  server CPU %4.0f%%  load generator CPU %4.0f%%",
                r.rate(), unit, r.serverCpuPercent(), r.loadCpuPercent()) : "FAILED: " + r.error();
    }
}
