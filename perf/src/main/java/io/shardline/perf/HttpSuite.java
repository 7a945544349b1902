package io.shardline.perf;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The {@code http} suite: TechEmpower's plaintext and JSON tests ({@link Hello}) served by Shardline's
 * HTTP layer, by Netty 4.2's HTTP codec on native epoll and by Vert.x 5, each in a JVM of its own with
 * the same flags, heap and collector ({@link HelloServerFork}) and one event loop (shard) per CPU,
 * driven in turn by {@code wrk} with keep-alive ({@value #CONNECTIONS} connections, {@value #WRK_THREADS}
 * threads): plaintext, plaintext pipelined {@value #DEPTH} deep (wrk's Lua pipelining script), and JSON.
 *
 * <p>For each test every server gets a warm-up run, then the rounds take the servers in turn
 * ({@link Trials}); the table shows medians over rounds, and each server process's CPU time per
 * request. The servers all run for the whole suite but only the one wrk drives does work. wrk is not
 * confined: on a 2-CPU machine wrk and the server share the CPUs, so these are ratios, not absolute
 * figures; Shardline's shards keep the runtime's default pinning, the peers' loops are unpinned.
 *
 * <p>Last line: {@code result: http plaintext_ratio=<x> pipelined_ratio=<x> json_ratio=<x> p99_ratio=<x>},
 * Shardline over the best peer (the one with the most requests/s in that test), each the median of the
 * per-round ratios; p99 from the plaintext test, against that test's best peer (lower is better).
 */
final class HttpSuite implements BenchMain.Suite {
    static final int CONNECTIONS = 256;
    static final int WRK_THREADS = 2;
    static final int DEPTH = 16;
    static final double RPS_TARGET = 1.0;
    static final double P99_TARGET = 1.0;

    /** A test: its name in the table, the path, and whether it is pipelined. */
    record Test(String name, String path, int depth) {
    }

    static final List<Test> TESTS = List.of(
            new Test("plaintext", Hello.PLAINTEXT_PATH, 1),
            new Test("pipelined", Hello.PLAINTEXT_PATH, DEPTH),
            new Test("json", Hello.JSON_PATH, 1));

    /**
     * A trial: wrk's report, and the server process's CPU time (user + system) per request it served,
     * in µs: less tied than the rate to who got a CPU when on a busy machine. NaN where unreadable.
     */
    record Run(Wrk.Result wrk, double cpuMicrosPerRequest) {
        boolean ok() {
            return wrk.ok();
        }

        double rps() {
            return wrk.rps();
        }
    }

    /** A warm-up of {@code warmupSeconds} per server and test, then {@code rounds} of {@code seconds}. */
    record Plan(int warmupSeconds, int seconds, int rounds) {
        String describe() {
            return String.format(Locale.ROOT, "per test a %d s warm-up of each server, then %d round%s of %d s,"
                    + " servers in turn", warmupSeconds, rounds, rounds == 1 ? "" : "s", seconds);
        }
    }

    private final BenchMain.Settings settings;
    private final Plan plan;
    private final String path;
    private final PrintStream err;

    HttpSuite(BenchMain.Settings settings) {
        this(settings, System.getenv("PATH"), System.err);
    }

    HttpSuite(BenchMain.Settings settings, String path, PrintStream err) {
        this.settings = settings;
        this.path = path;
        this.err = err;
        this.plan = settings.quick() ? new Plan(2, 3, 1) : new Plan(4, 7, 3);
    }

    @Override
    public int run(PrintStream out) throws Exception {
        if (!KvServers.missing(path, List.of(Wrk.COMMAND)).isEmpty()) {
            err.println("shardline bench http: the servers are driven by wrk, which is not on the PATH; on Debian"
                    + " or Ubuntu install the package " + Wrk.PACKAGE + " (apt-get install " + Wrk.PACKAGE + ")");
            return 1;
        }
        CpuUse use = CpuUse.start();
        Path dir = tempDir();
        List<HelloServerFork> servers = new ArrayList<>();
        Thread cleanup = Thread.ofPlatform().unstarted(() -> closeAll(servers));
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            int threads = Runtime.getRuntime().availableProcessors();
            for (HelloServer.Kind k : HelloServer.Kind.values()) {
                HelloServerFork s = HelloServerFork.start(k, threads, List.of(), dir.resolve(k.label + ".log"));
                synchronized (servers) {
                    servers.add(s);
                }
            }
            return run(out, use, new Wrk(dir), List.copyOf(servers), threads);
        } finally {
            closeAll(servers);
            Runtime.getRuntime().removeShutdownHook(cleanup);
            StorageLoad.deleteTree(dir);
        }
    }

    private static void closeAll(List<HelloServerFork> servers) {
        List<HelloServerFork> all;
        synchronized (servers) {
            all = new ArrayList<>(servers);
        }
        all.forEach(HelloServerFork::close);
    }

    private int run(PrintStream out, CpuUse use, Wrk wrk, List<HelloServerFork> servers, int threads) throws Exception {
        Report report = new Report("http", out);
        out.printf(Locale.ROOT, "# http suite: %s; %s, %d connections%n", plan.describe(),
                new Wrk.Load(WRK_THREADS, CONNECTIONS, plan.seconds(), 1).describe(), CONNECTIONS);
        for (HelloServerFork s : servers) {
            out.printf(Locale.ROOT, "# %-9s %s; pid %d%n", s.kind().label, s.description(), s.pid());
        }
        out.printf(Locale.ROOT, "# every server's JVM: %s%n", String.join(" ", HelloServerFork.HEAP_FLAGS));
        List<Trials.Results<Run>> results = new ArrayList<>();
        for (Test t : TESTS) {
            List<Trials.Contender<Run>> contenders = new ArrayList<>();
            for (HelloServerFork s : servers) {
                contenders.add(new Trials.Contender<>(s.kind().label, s.kind().label, turn -> trial(wrk, s, t, turn)));
            }
            Wrk.Load load = new Wrk.Load(WRK_THREADS, CONNECTIONS, plan.seconds(), t.depth());
            results.add(Trials.run(out, t.name() + " (" + load.describe() + " http://127.0.0.1:<port>" + t.path() + ")",
                    new Trials.Plan(true, plan.rounds(), 0), contenders, HttpSuite::describe, null));
        }
        report.summary(settings.quick(), use, use.machineLine(null),
                use.othersLine("(the three servers' JVMs among them)", Double.MAX_VALUE, ""));
        return print(out, report, servers, results, threads);
    }

    private Run trial(Wrk wrk, HelloServerFork s, Test t, Trials.Turn turn) throws Exception {
        int seconds = turn.warmup() ? plan.warmupSeconds() : plan.seconds();
        long cpuBefore = CpuUse.processCpuNanos(s.pid());
        Wrk.Result r = wrk.run("http://127.0.0.1:" + s.port() + t.path(),
                new Wrk.Load(WRK_THREADS, CONNECTIONS, seconds, t.depth()));
        long cpuAfter = CpuUse.processCpuNanos(s.pid());
        if (!s.alive()) {
            return new Run(Wrk.Result.failed(s.kind().label + " server has exited"), Double.NaN);
        }
        double cpu = cpuBefore < 0 || cpuAfter < 0 || r.requests() == 0 ? Double.NaN
                : (cpuAfter - cpuBefore) / 1e3 / r.requests();
        return new Run(r, cpu);
    }

    private static String describe(Run run) {
        Wrk.Result r = run.wrk();
        return r.ok() ? String.format(Locale.ROOT, "%,11.0f req/s  p50 %8.3f ms  p90 %8.3f ms  p99 %8.3f ms"
                        + "  server CPU %6.2f us/request%s", r.rps(), r.p50() / 1e3, r.p90() / 1e3, r.p99() / 1e3,
                run.cpuMicrosPerRequest(), errors(r).isEmpty() ? "" : "  " + errors(r))
                : "n/a: " + r.error();
    }

    private static String errors(Wrk.Result r) {
        List<String> e = new ArrayList<>();
        if (r.socketErrors() > 0) {
            e.add(r.socketErrors() + " socket errors");
        }
        if (r.non2xx() > 0) {
            e.add(r.non2xx() + " non-2xx");
        }
        return String.join(", ", e);
    }

    private int print(PrintStream out, Report report, List<HelloServerFork> servers,
                      List<Trials.Results<Run>> results, int threads) {
        out.printf(Locale.ROOT, "%s; medians over rounds; latency from wrk --latency, in ms%n", plan.describe());
        Report.Table table = report.table("%-10s %-10s %7s %12s %9s %9s %9s %9s %10s %8s  %s",
                "%-10s %-10s %7d %12s %9.3f %9.3f %9.3f %9.3f %10.2f %8s  %s")
                .header("test", "server", "threads", "requests/s", "p50 ms", "p75 ms", "p90 ms", "p99 ms", "CPU us/req",
                        "errors", "requests/s per round");
        double[] ratios = new double[TESTS.size()];
        double p99Ratio = Double.NaN;
        for (int i = 0; i < TESTS.size(); i++) {
            Test t = TESTS.get(i);
            Trials.Results<Run> rs = results.get(i);
            for (HelloServerFork s : servers) {
                List<Run> all = rs.of(s.kind().label);
                List<Run> ok = all.stream().filter(Run::ok).toList();
                table.row(t.name(), s.kind().label, threads, ok.isEmpty() ? "n/a"
                                : String.format(Locale.ROOT, "%,.0f", Trials.median(ok, Run::rps)),
                        ms(ok, r -> r.wrk().p50()), ms(ok, r -> r.wrk().p75()), ms(ok, r -> r.wrk().p90()),
                        ms(ok, r -> r.wrk().p99()), ms(ok, Run::cpuMicrosPerRequest) * 1e3,
                        Report.count(all.stream().mapToLong(r -> r.wrk().socketErrors() + r.wrk().non2xx()).sum()),
                        String.join(" ", all.stream().map(r -> r.ok() ? Report.rate(r.rps()) : "n/a").toList()));
                all.stream().filter(r -> !r.ok())
                        .forEach(r -> report.note(t.name() + " " + s.kind().label + ": " + r.wrk().error()));
            }
            String best = bestPeer(servers, rs);
            List<Run> shardline = rs.of(HelloServer.Kind.SHARDLINE.label);
            List<Run> peer = rs.of(best);
            ratios[i] = Trials.pairedMedian(shardline, peer, Run::rps, Run::ok);
            out.printf(Locale.ROOT, "%n%s: Shardline / %s (the best peer) requests/s %.2fx (per round %s);"
                            + " server CPU per request %.2fx (lower is better)%n", t.name(), best, ratios[i],
                    Trials.perRound(shardline, peer, Run::rps, Run::ok),
                    Trials.pairedMedian(shardline, peer, Run::cpuMicrosPerRequest, Run::ok));
            if (i == 0) {
                p99Ratio = Trials.pairedMedian(shardline, peer, r -> r.wrk().p99(), Run::ok);
                out.printf(Locale.ROOT, "%s: Shardline / %s p99 %.2fx (lower is better; per round %s)%n", t.name(), best,
                        p99Ratio, Trials.perRound(shardline, peer, r -> r.wrk().p99(), Run::ok));
            }
        }
        report.note("wrk and the servers share this machine's " + threads + " CPUs (Shardline's shards pinned, as"
                + " the runtime defaults, the peers' event loops not); other work on the machine (see the line"
                + " above the table) lowers and scatters every figure; server CPU per request is the steadier figure");
        for (HelloServerFork s : servers) {
            long stalls = s.logLinesWith("stalled:");
            if (stalls > 0) {
                report.note(s.kind().label + "'s runtime reported " + stalls + " stalled loop" + (stalls == 1 ? "" : "s")
                        + " (a task over its budget, often a shard thread waiting for a CPU on a busy machine)");
            }
        }
        report.note("pipelined: wrk times each batch of " + DEPTH + " by its last response, so its latency is a batch's");
        report.atLeast("plaintext_ratio", RPS_TARGET, 1, ratios[0]);
        report.atLeast("pipelined_ratio", RPS_TARGET, 1, ratios[1]);
        report.atLeast("json_ratio", RPS_TARGET, 1, ratios[2]);
        report.atMost("p99_ratio", P99_TARGET, 1, p99Ratio);
        report.field("plaintext_ratio", ratios[0]);
        report.field("pipelined_ratio", ratios[1]);
        report.field("json_ratio", ratios[2]);
        report.field("p99_ratio", p99Ratio);
        report.finish();
        boolean shardlineRan = results.stream().allMatch(rs -> rs.of(HelloServer.Kind.SHARDLINE.label).stream()
                .anyMatch(Run::ok));
        return shardlineRan ? 0 : 1;
    }

    /** The peer (not Shardline) with the most requests/s, median over its good rounds. */
    private static String bestPeer(List<HelloServerFork> servers, Trials.Results<Run> rs) {
        return servers.stream().map(s -> s.kind().label).filter(l -> !l.equals(HelloServer.Kind.SHARDLINE.label))
                .max(Comparator.comparingDouble(l -> {
                    List<Run> ok = rs.of(l).stream().filter(Run::ok).toList();
                    return ok.isEmpty() ? -1 : Trials.median(ok, Run::rps);
                })).orElseThrow();
    }

    /** The median of {@code micros} over {@code ok}, leaving out unknown values, in ms. */
    private static double ms(List<Run> ok, java.util.function.ToDoubleFunction<Run> micros) {
        double[] known = ok.stream().mapToDouble(micros).filter(v -> !Double.isNaN(v)).toArray();
        return Trials.median(known) / 1e3; // NaN (shown "NaN") when wrk gave none
    }

    /** Where the suite's temporary files go (the pipelining script). */
    static Path tempDir() throws IOException {
        return Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "shardline-bench-http-");
    }
}
