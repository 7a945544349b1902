package io.shardline.perf;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code kv} suite: Shardline kv against redis-server on the same machine, in one run, both driven
 * by redis-benchmark ({@value RedisBenchmark#CLIENTS} clients), and both loaded with the same keys for
 * their memory.
 *
 * <ul>
 *   <li>Strings: SET and GET on one key and on {@value KvWorkload#RANDOM_KEYS} random keys, {@code -P 1}
 *       and {@code -P 16}, against {@code redis-server --save '' --appendonly no}, Shardline
 *       {@code --appendonly no} at its default shard count, and the same at {@code --shards 1}.
 *   <li>Families: a row per data type, redis-benchmark's own tests at {@code -P 16} (issue 17), redis
 *       against Shardline at its default shard count.
 *   <li>Cluster: SET and GET on {@value KvWorkload#RANDOM_KEYS} random keys, {@code -P 16} and {@code -P 1}
 *       (issue 20), {@code redis-benchmark --cluster} against a Redis Cluster of as many redis-servers as
 *       CPUs and Shardline {@code --cluster} at its default shard count (a node per shard), and plain
 *       redis-benchmark against one redis-server for scale; all fresh, persistence off.
 *   <li>Persistent: SET at {@code -P 16} against {@code redis-server --appendonly yes --appendfsync
 *       everysec} and Shardline {@code --fsync everysec} (its log on).
 *   <li>Memory: fresh servers, {@value #MEMORY_KEYS} distinct keys of {@value #VALUE_BYTES}-byte values
 *       each ({@link KeyLoader}); Redis's INFO {@code used_memory} and {@code used_memory_rss}, and
 *       Shardline's live heap after a full GC ({@code jcmd GC.run}, {@code GC.heap_info}), off-heap bytes
 *       where its INFO memory reports them, and its RSS from /proc.
 * </ul>
 *
 * <p>Every server is a process of its own, started as a user starts it (Shardline through
 * {@code ./shardline kv} from the repository root, so its JVM flags, heap and GC are the launcher's),
 * each with its own port and files in a temporary directory. For each row every server gets a
 * warm-up, then the rounds take the servers in turn ({@link Trials}); the table shows medians, the
 * ratio of medians and each round's ratio. Servers are not pinned, nor is redis-benchmark: on a
 * 2-CPU machine they share the CPUs as they would for a user. A test a server fails or lacks shows as
 * n/a with its error. Servers are stopped at the end, on failure, and on Ctrl-C (a shutdown hook).
 *
 * <p>Last line: {@code result: kv set_ratio_p1=<x> get_ratio_p1=<x> set_ratio_p16=<x> get_ratio_p16=<x>
 * random_set_ratio_p16=<x> random_get_ratio_p16=<x> aof_set_ratio_p16=<x> memory_ratio=<x> rss_ratio=<x>
 * cluster_set_ratio_p16=<x> cluster_get_ratio_p16=<x> cluster_set_ratio_p1=<x> cluster_get_ratio_p1=<x>},
 * Shardline at its default shard count over redis-server: requests/s, (live heap + off-heap) over
 * {@code used_memory}, and RSS over RSS; the cluster ratios are Shardline {@code --cluster} over Redis Cluster.
 */
final class KvSuite implements BenchMain.Suite {
    static final double THROUGHPUT_TARGET = 1.0;
    static final double MEMORY_TARGET = 1.0;
    static final double RSS_TARGET = 1.5;
    static final long MEMORY_KEYS = 1_000_000;
    static final int VALUE_BYTES = 100;
    static final String REDIS = "redis-server";
    static final String SHARDLINE = "shardline";
    static final String SHARDLINE_1 = "shardline --shards 1";
    static final String REDIS_AOF = "redis-server aof";
    static final String SHARDLINE_AOF = "shardline fsync";
    static final String SHARDLINE_CLUSTER = "shardline --cluster";
    static final String REDIS_CLUSTER = "redis cluster";
    private static final Pattern SHARDS_LINE = Pattern.compile(", (\\d+) shards?,");

    /**
     * {@code rounds} measured trials per server and row, each of the row's requests times
     * {@code fraction}, after a warm-up of {@code warmupFraction}; {@code memoryKeys} keys for the memory
     * part; a redis-benchmark run is killed after {@code limitSeconds}.
     */
    record Plan(int rounds, double fraction, double warmupFraction, long memoryKeys, long limitSeconds) {
        String describe() {
            return String.format(Locale.ROOT, "a warm-up of %.0f%% of a row's requests, then %d round%s of %s,"
                            + " servers in turn; memory: %,d keys of %d B", warmupFraction * 100, rounds,
                    rounds == 1 ? "" : "s", fraction == 1 ? "its requests" : String.format(Locale.ROOT,
                            "%.0f%% of its requests", fraction * 100), memoryKeys, VALUE_BYTES);
        }
    }

    /** A table row: the workload and every server's trials, by label. */
    record Row(KvWorkload workload, Trials.Results<RedisBenchmark.Result> results) {
    }

    /** What the memory part measured; -1 for a figure that could not be read. */
    record Memory(long keys, long redisUsed, long redisRss, double redisLoadSeconds, long heapUsed, String heapName,
                  long offHeap, String offHeapField, long shardlineRss, long shardlineRssAfterGc,
                  long shardlineUsedMemory, double shardlineLoadSeconds, String error) {
    }

    private final BenchMain.Settings settings;
    private final Plan plan;
    /** Where redis-server and redis-benchmark are looked for, and where a missing one is reported. */
    private final String path;
    private final PrintStream err;

    KvSuite(BenchMain.Settings settings) {
        this(settings, System.getenv("PATH"), System.err);
    }

    KvSuite(BenchMain.Settings settings, String path, PrintStream err) {
        this.settings = settings;
        this.path = path;
        this.err = err;
        this.plan = settings.quick()
                ? new Plan(1, 0.2, 0.05, 100_000, 120)
                : new Plan(3, 1.0, 0.25, MEMORY_KEYS, 300);
    }

    @Override
    public int run(PrintStream out) throws Exception {
        List<String> missing = KvServers.missing(path, List.of(KvServers.REDIS_SERVER, RedisBenchmark.COMMAND,
                KvCluster.REDIS_CLI));
        if (!missing.isEmpty()) {
            err.println("shardline bench kv: " + KvServers.missingMessage(missing));
            return 1;
        }
        Path root = KvServers.repositoryRoot();
        if (root == null) {
            err.println("shardline bench kv: cannot find the repository root (its ./shardline launcher);"
                    + " run it as ./shardline bench kv, or set -D" + KvServers.ROOT_PROPERTY + "=<root>");
            return 1;
        }
        CpuUse use = CpuUse.start();
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "shardline-bench-kv-");
        KvServers servers = new KvServers(root, dir);
        Thread cleanup = Thread.ofPlatform().unstarted(() -> {
            servers.close(true);
            // A redis-benchmark or jcmd under way would outlive the suite (redis-benchmark retries a dead server).
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            try {
                StorageLoad.deleteTree(dir);
            } catch (IOException ignored) {
                // best effort on the way out
            }
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return run(out, root, dir, servers, use);
        } finally {
            servers.close();
            StorageLoad.deleteTree(dir);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private int run(PrintStream out, Path root, Path dir, KvServers servers, CpuUse use) throws Exception {
        KvReport report = new KvReport(new Report("kv", out), out, plan);
        out.printf(Locale.ROOT, "# kv suite: %s%n", plan.describe());
        out.printf(Locale.ROOT, "# %s; %s; Shardline from %s; files in %s%n", versionOf(KvServers.REDIS_SERVER),
                RedisBenchmark.version(), root, dir);

        ServerProcess redis = servers.redis(REDIS);
        ServerProcess shardline = servers.shardline(SHARDLINE, 0);
        ServerProcess shardline1 = servers.shardline(SHARDLINE_1, 1);
        report.shardline(shards(shardline), jvmFlags(shardline));
        List<Row> strings = rows(out, KvWorkload.strings(), List.of(redis, shardline, shardline1));
        servers.stop(shardline1);
        List<Row> families = rows(out, KvWorkload.families(hasXaddTest(redis)), List.of(redis, shardline));
        servers.close();

        List<Row> cluster = cluster(out, servers);
        servers.close();

        ServerProcess redisAof = servers.redisAof(REDIS_AOF);
        ServerProcess shardlineAof = servers.shardlinePersistent(SHARDLINE_AOF);
        List<Row> aof = rows(out, List.of(KvWorkload.aofSet()), List.of(redisAof, shardlineAof));
        servers.close();

        Memory memory = memory(out, servers);
        servers.close();

        report.summary(settings.quick(), use);
        report.print(strings, families, cluster, aof, memory);
        return 0;
    }

    /**
     * The cluster rows: Redis Cluster, Shardline {@code --cluster} (as many nodes as CPUs, its default
     * shard count) and one redis-server, fresh, driven by redis-benchmark, with {@code --cluster} for the
     * two clusters.
     */
    private List<Row> cluster(PrintStream out, KvServers servers) throws Exception {
        int nodes = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "# cluster: %d nodes each, fresh servers%n", nodes);
        ServerProcess redisCluster = servers.redisCluster(REDIS_CLUSTER, nodes).getFirst();
        ServerProcess shardlineCluster = servers.shardlineCluster(SHARDLINE_CLUSTER, nodes);
        ServerProcess redis = servers.redis(REDIS);
        return rows(out, KvWorkload.cluster(), List.of(redisCluster, shardlineCluster, redis),
                Set.of(redisCluster, shardlineCluster));
    }

    /** Each workload, every server a warm-up then its rounds in turn. */
    private List<Row> rows(PrintStream out, List<KvWorkload> workloads, List<ServerProcess> on) throws Exception {
        return rows(out, workloads, on, Set.of());
    }

    /** As {@link #rows(PrintStream, List, List)}, redis-benchmark given {@code --cluster} for the servers of {@code clusters}. */
    private List<Row> rows(PrintStream out, List<KvWorkload> workloads, List<ServerProcess> on,
                           Set<ServerProcess> clusters) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (KvWorkload w : workloads) {
            List<Trials.Contender<RedisBenchmark.Result>> contenders = new ArrayList<>();
            for (ServerProcess s : on) {
                List<String> args = clusters.contains(s) ? w.clusterArgs() : w.args();
                contenders.add(new Trials.Contender<>(s.name(), s.name(), turn -> trial(s, w, args, turn)));
            }
            rows.add(new Row(w, Trials.run(out, w.title() + " (redis-benchmark " + String.join(" ", w.args()) + ")",
                    new Trials.Plan(true, plan.rounds(), 0), contenders, KvSuite::describe, null)));
        }
        return rows;
    }

    private RedisBenchmark.Result trial(ServerProcess s, KvWorkload w, List<String> args, Trials.Turn turn)
            throws Exception {
        long n = w.requests(turn.warmup() ? plan.warmupFraction() : plan.fraction());
        RedisBenchmark.Result r = RedisBenchmark.run(s.name(), s.port(), args, w.test(), n, plan.limitSeconds());
        if (!r.ok() && !s.alive()) {
            return RedisBenchmark.Result.failed(s.name(), r.error() + "; the server has exited: " + s.logTail());
        }
        return r;
    }

    private static String describe(RedisBenchmark.Result r) {
        return r.ok() ? String.format(Locale.ROOT, "%,11.0f req/s  p50 %7.3f ms  p99 %7.3f ms", r.rps(), r.p50Ms(),
                r.p99Ms()) : "n/a: " + r.error();
    }

    /** Whether this redis-benchmark has an {@code xadd} test: it prints a row for it (7.2 and later). */
    private boolean hasXaddTest(ServerProcess redis) throws Exception {
        RedisBenchmark.Result r = RedisBenchmark.run(redis.name(), redis.port(), List.of("-t", "xadd"), "XADD", 1,
                plan.limitSeconds());
        if (r.ok()) {
            try (RespClient c = RespClient.connect(redis.port())) {
                c.call("DEL", "mystream");
            }
        }
        return r.ok();
    }

    // ---------------------------------------------------------------- memory

    /** Fresh servers, the same keys into each, then their memory; see the class comment. */
    private Memory memory(PrintStream out, KvServers servers) throws Exception {
        out.printf(Locale.ROOT, "# memory: %,d keys of %d B into fresh servers%n", plan.memoryKeys(), VALUE_BYTES);
        ServerProcess redis = servers.redis(REDIS);
        long t0 = System.nanoTime();
        KeyLoader.load(redis.port(), plan.memoryKeys(), VALUE_BYTES);
        double redisLoad = (System.nanoTime() - t0) / 1e9;
        Map<String, String> redisInfo = info(redis.port());
        long redisUsed = MemoryProbe.longField(redisInfo, "used_memory");
        long redisRss = MemoryProbe.longField(redisInfo, "used_memory_rss");
        if (redisRss < 0) {
            redisRss = MemoryProbe.rssBytes(redis.pid());
        }
        out.printf(Locale.ROOT, "  %-20s loaded in %.1f s; used_memory %,d B, used_memory_rss %,d B%n", REDIS,
                redisLoad, redisUsed, redisRss);
        servers.stop(redis);

        ServerProcess shardline = servers.shardline(SHARDLINE, 0);
        t0 = System.nanoTime();
        try {
            KeyLoader.load(shardline.port(), plan.memoryKeys(), VALUE_BYTES);
        } catch (IOException e) {
            String why = "loading Shardline failed: " + e.getMessage()
                    + (shardline.alive() ? "" : "; the server has exited: " + shardline.logTail());
            out.println("  " + why);
            return new Memory(plan.memoryKeys(), redisUsed, redisRss, redisLoad, -1, "?", -1, null, -1, -1, -1,
                    Double.NaN, why);
        }
        double shardlineLoad = (System.nanoTime() - t0) / 1e9;
        long rss = MemoryProbe.rssBytes(shardline.pid());
        Map<String, String> info = info(shardline.port());
        String offHeapField = MemoryProbe.offHeapField(info);
        long offHeap = offHeapField == null ? -1 : MemoryProbe.longField(info, offHeapField);
        String heapInfo = MemoryProbe.heapInfoAfterGc(shardline.pid());
        long heap = MemoryProbe.heapUsedBytes(heapInfo);
        long rssAfterGc = MemoryProbe.rssBytes(shardline.pid());
        out.printf(Locale.ROOT, "  %-20s loaded in %.1f s; live heap after GC %,d B (%s), off-heap %s, RSS %,d B"
                        + " (%,d B after the GC)%n", SHARDLINE, shardlineLoad, heap, MemoryProbe.heapName(heapInfo),
                offHeapField == null ? "not reported by INFO memory" : String.format(Locale.ROOT, "%,d B (%s)",
                        offHeap, offHeapField), rss, rssAfterGc);
        servers.stop(shardline);
        return new Memory(plan.memoryKeys(), redisUsed, redisRss, redisLoad, heap, MemoryProbe.heapName(heapInfo),
                offHeap, offHeapField, rss, rssAfterGc, MemoryProbe.longField(info, "used_memory"), shardlineLoad, null);
    }

    /** INFO memory's fields; empty if the server has no such section. */
    private static Map<String, String> info(int port) throws IOException {
        try (RespClient c = RespClient.connect(port)) {
            return MemoryProbe.infoFields(c.call("INFO", "memory"));
        } catch (RespClient.ErrorReply e) {
            return Map.of();
        }
    }

    // ---------------------------------------------------------------- about the servers

    /** How many shards Shardline said it started with ("shardline kv on ..., 2 shards, ..."), or -1. */
    static int shards(ServerProcess shardline) {
        try {
            Matcher m = SHARDS_LINE.matcher(Files.readString(shardline.log()));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The JVM options the launcher gave Shardline's java that set memory or GC ({@code -X...}), joined. */
    static String jvmFlags(ServerProcess shardline) {
        String cmd = shardline.commandLine();
        if (cmd == null) {
            return "unknown";
        }
        List<String> flags = new ArrayList<>();
        for (String a : cmd.split(" ")) {
            if (a.startsWith("-X")) {
                flags.add(a);
            }
        }
        return flags.isEmpty() ? "none (the JVM's defaults)" : String.join(" ", flags);
    }

    private static String versionOf(String command) {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return text.strip();
        } catch (IOException e) {
            return command + " (version unknown: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return command;
        }
    }
}
