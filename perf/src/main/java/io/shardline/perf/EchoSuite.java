package io.shardline.perf;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The {@code echo} suite: a TCP echo server on Shardline, once on each of its transports (NIO and
 * io_uring), and one on Netty 4.2, once on each of its native transports (epoll and io_uring), driven
 * in turn by the same load generator, with the same payload size, connection count and server thread
 * count, in one run.
 *
 * <p>Fairness. Each server gets {@value #SERVER_THREADS} server thread(s) (shards; event loops that
 * both accept and serve), pinned to CPU 0.. with OpenHFT Affinity, and keeps its defaults otherwise
 * (Shardline's loop spins 20 µs before it parks; Netty's event loop blocks in the kernel). The
 * servers run in this JVM, one at a time: each round starts one, measures it and closes it. The
 * Shardline transport is picked as the runtime is built through {@code -Dshardline.net.transport};
 * a transport the runtime does not have or cannot set up falls back, and the table's transport
 * column names the one that ran. The load generator ({@link EchoLoad}, a client on one Shardline
 * loop, on io_uring where the kernel allows it so that it outruns every server) is a process of its
 * own, the same java and class path, confined to the CPUs the servers do not use with
 * {@code taskset}: {@value #CONNECTIONS} connections, a {@value #PAYLOAD}-byte payload, one request in
 * flight per connection (closed loop), round trips in an HdrHistogram. Rounds take the servers in
 * turn; each has a warm-up, then a measurement (full run: 5 rounds of 3 s + 8 s per server, about 4
 * minutes, up to 2 extra rounds; {@code --quick}: 1 round of 1 s + 2 s); the table shows the median
 * over rounds of each number.
 *
 * <p>Noise. On a 2-CPU machine anything else that runs takes a CPU from the server or the load
 * generator. Each round reports, from Linux's schedstat, how long the server thread and the load
 * generator's thread sat on the run queue during the measurement; a round where either waited
 * {@value #DISTURBED_PERCENT}% of the window or more is disturbed: it is named in the notes and left
 * out of the medians, unless every round of that server was disturbed. While the full run is within
 * its time budget and any server has fewer than {@value #WANTED_CLEAN_ROUNDS} undisturbed rounds, it
 * adds rounds (every server again), at most {@value #MAX_EXTRA_ROUNDS}.
 *
 * <p>"Best". Shardline's best row is its transport with the most requests/s, and so is Netty's; the
 * p99 ratio compares the p99 of those two rows (not the lowest p99 of each side, which could come from
 * a row that served fewer requests, so the two ratios describe the same two servers).
 *
 * <p>Ratios are paired: each is the median over rounds of that round's ratio of the two rows, over
 * the rounds where neither row was disturbed (all rounds, if there is no such round). Two rows of the
 * same round ran within a minute of each other, under much the same machine; a ratio of two medians
 * would compare the medians of different rounds whenever the rows' undisturbed rounds differ.
 *
 * <p>Prints a progress log, then the table, the ratios, the targets and as the last line
 * {@code result: echo rps_ratio=<best shardline rps / best netty rps> p99_ratio=<their p99s>
 * iouring_vs_nio=<shardline io_uring rps / shardline nio rps>}.
 */
final class EchoSuite implements BenchMain.Suite {
    static final int SERVER_THREADS = 1;
    static final int CONNECTIONS = 50;
    static final int PAYLOAD = 64;
    /** Targets from the issue: Shardline's best requests/s 1.2x Netty's best, its p99 at most 0.9x. */
    static final double RPS_TARGET = 1.2;
    static final double P99_TARGET = 0.9;
    /** Target from the issue: Shardline on io_uring at least as fast as on NIO. */
    static final double IOURING_TARGET = 1.0;
    /**
     * A round whose server thread or load generator waited this much of the window for a CPU is left
     * out of the medians. On an otherwise idle machine both wait 1-2% (their own JVMs' threads).
     */
    static final double DISTURBED_PERCENT = 5.0;
    /** Extra rounds are run while any server has fewer undisturbed rounds than this... */
    static final int WANTED_CLEAN_ROUNDS = 3;
    /** ...at most this many... */
    static final int MAX_EXTRA_ROUNDS = 2;
    /** ...and only while the whole suite stays within this many seconds. */
    static final long BUDGET_SECONDS = 330;
    static final String SHARDLINE_NIO = "shardline nio";
    static final String SHARDLINE_IOURING = "shardline io_uring";

    /**
     * Per round and server: a warm-up, then a measurement; up to {@code extraRounds} more rounds while
     * the suite has run for less than {@code budgetSeconds}.
     */
    record Plan(long warmupMillis, long measureMillis, int rounds, int extraRounds, long budgetSeconds) {
        String describe() {
            return String.format(Locale.ROOT, "%d round%s of %s warm-up + %s measured per server, servers in turn%s",
                    rounds, rounds == 1 ? "" : "s", seconds(warmupMillis), seconds(measureMillis),
                    extraRounds == 0 ? "" : " (up to " + extraRounds + " more if rounds are disturbed)");
        }
    }

    /** A server of the run: its row name, whether it is Shardline's, and how to start it. */
    private record Contender(String name, boolean shardline, Starter start) {
    }

    private interface Starter {
        EchoServers.Server start(int[] cpus) throws Exception;
    }

    private final BenchMain.Settings settings;
    private final Plan plan;

    EchoSuite(BenchMain.Settings settings) {
        this.settings = settings;
        this.plan = settings.quick()
                ? new Plan(1_000, 2_000, 1, 0, 0)
                : new Plan(3_000, 8_000, 5, MAX_EXTRA_ROUNDS, BUDGET_SECONDS);
    }

    @Override
    public int run(PrintStream out) throws Exception {
        CpuUse use = CpuUse.start();
        Report report = new Report("echo", out);
        int cpus = Runtime.getRuntime().availableProcessors();
        boolean pin = cpus > SERVER_THREADS;
        int[] serverCpus = EchoServers.cpus(SERVER_THREADS, pin);
        LoadPlacement load = LoadPlacement.beside(SERVER_THREADS, pin, cpus);
        if (!pin) {
            report.note("fewer than " + (SERVER_THREADS + 1) + " CPUs: servers and load generator share the CPUs,"
                    + " unpinned; the numbers mean little");
        }
        String serverPlacement = serverCpus != null
                ? "pinned to CPU" + (SERVER_THREADS > 1 ? "s 0-" + (SERVER_THREADS - 1) : " 0") : "unpinned";
        List<Contender> contenders = contenders(out, report);
        out.printf(Locale.ROOT, "# echo suite: %s%n", plan.describe());
        out.printf(Locale.ROOT, "# servers: %s; %d thread%s each, %s, in this JVM; %s%n",
                String.join(", ", contenders.stream().map(Contender::name).toList()), SERVER_THREADS,
                SERVER_THREADS == 1 ? "" : "s", serverPlacement, EchoServers.nettyDescription());
        out.printf(Locale.ROOT, "# load: own process, 1 loop thread, %s; %d connections, %d B payload, 1 request"
                + " in flight per connection%n", load.description(), CONNECTIONS, PAYLOAD);

        List<Trials.Contender<EchoRun>> trials = contenders.stream().map(c -> new Trials.Contender<EchoRun>(c.name(),
                c.name(), turn -> measure(c, turn.round(), serverCpus, load))).toList();
        long start = System.nanoTime();
        Trials.Results<EchoRun> results = Trials.run(out, "rounds",
                new Trials.Plan(false, plan.rounds(), plan.extraRounds()), trials, EchoSuite::describe,
                sofar -> extraRound(sofar, start));

        report.summary(settings.quick(), use, use.machineLine(null), null);
        report(out, report, contenders, results, serverPlacement, load);
        return 0;
    }

    /** The servers, in the order each round runs them; a Netty transport that cannot run here is left out. */
    private static List<Contender> contenders(PrintStream out, Report report) {
        List<Contender> list = new ArrayList<>();
        list.add(new Contender(SHARDLINE_NIO, true, cpus -> EchoServers.shardline(SERVER_THREADS, cpus, "nio")));
        list.add(new Contender(SHARDLINE_IOURING, true,
                cpus -> EchoServers.shardline(SERVER_THREADS, cpus, "io_uring")));
        for (EchoServers.NettyTransport t : EchoServers.NettyTransport.values()) {
            String unavailable = t.unavailability();
            if (unavailable != null) {
                String line = "netty " + t.label + " left out: its native transport is unavailable here (" + unavailable + ")";
                out.println("# " + line);
                report.note(line);
                continue;
            }
            list.add(new Contender("netty " + t.label, false, cpus -> EchoServers.netty(SERVER_THREADS, cpus, t)));
        }
        if (list.stream().noneMatch(c -> !c.shardline())) {
            throw new IllegalStateException("neither of Netty's native transports runs here; nothing to compare with");
        }
        return list;
    }

    /** Why one more round is wanted, or null: see the class comment. */
    private String extraRound(Trials.Results<EchoRun> sofar, long start) {
        long elapsed = System.nanoTime() - start;
        int fewest = sofar.byLabel().values().stream().mapToInt(EchoSuite::cleanRounds).min().orElse(0);
        if (fewest >= WANTED_CLEAN_ROUNDS
                || elapsed + sofar.longestRoundNanos() > TimeUnit.SECONDS.toNanos(plan.budgetSeconds())) {
            return null;
        }
        List<String> counts = new ArrayList<>();
        sofar.byLabel().forEach((server, runs) -> counts.add(server + " " + cleanRounds(runs)));
        return "an extra round, as the servers have " + String.join(", ", counts) + " undisturbed rounds";
    }

    private static String describe(EchoRun r) {
        return String.format(Locale.ROOT, "%,9.0f req/s  p50 %6.1f us  p99 %7.1f us  p99.9 %7.1f us  max %8.1f us"
                        + " | %s | server thread on CPU %3.0f%% (%.2f us/request), waited for it %s; load generator (%s)"
                        + " on CPU %3.0f%% (%.2f us/request), waited %s, %.1f echoes per loop pass; GCs %d%s%s",
                r.rps(), r.micros(50), r.micros(99), r.micros(99.9), r.histogram().getMaxValue() / 1000.0,
                r.transport(), r.serverCpuPercent(), r.serverMicrosPerRequest(),
                Report.millis(r.serverThreads().runQueueNanos()), r.loadTransport(), r.loadCpuPercent(),
                r.loadMicrosPerRequest(), Report.millis(r.load().runQueueNanos()), r.requestsPerPass(),
                r.gcs(), r.stats().isEmpty() ? "" : "; " + r.stats(), disturbed(r) ? "  [disturbed]" : "");
    }

    // ---------------------------------------------------------------- measuring

    private EchoRun measure(Contender c, int round, int[] serverCpus, LoadPlacement load) throws Exception {
        try (EchoServers.Server s = c.start().start(serverCpus)) {
            return EchoRun.drive(c.name(), s, round, load, plan.warmupMillis(), plan.measureMillis());
        }
    }

    // ---------------------------------------------------------------- report

    private void report(PrintStream out, Report report, List<Contender> contenders, Trials.Results<EchoRun> results,
                        String serverPlacement, LoadPlacement load) {
        out.printf(Locale.ROOT, "%s; median over each server's undisturbed rounds (all rounds if none was);"
                + " latency = one request's round trip at the load generator, in us%n", plan.describe());
        out.printf(Locale.ROOT, "servers %s; load generator in its own process, %s, on %s; server CPU = the server"
                + " threads' time on a CPU, load CPU = the load generator thread's, in %% of one CPU%n",
                serverPlacement, load.description(), String.join("/", results.byLabel().values().stream()
                        .flatMap(List::stream).map(EchoRun::loadTransport).distinct().toList()));
        Report.Table table = report.table("%-18s %-16s %7s %11s %7s %12s %9s %9s %9s %10s %8s %7s",
                "%-18s %-16s %7d %11d %5d B %12s %9.1f %9.1f %9.1f %9.0f%% %7.0f%% %7s")
                .header("server", "transport", "threads", "connections", "payload", "requests/s", "p50 us", "p99 us",
                        "p99.9 us", "server CPU", "load CPU", "rounds");
        for (Contender c : contenders) {
            List<EchoRun> all = results.of(c.name());
            List<EchoRun> rs = counted(all);
            table.row(c.name(), transports(all), SERVER_THREADS, CONNECTIONS, PAYLOAD,
                    String.format(Locale.ROOT, "%,.0f", Trials.median(rs, EchoRun::rps)),
                    Trials.median(rs, r -> r.micros(50)), Trials.median(rs, r -> r.micros(99)),
                    Trials.median(rs, r -> r.micros(99.9)), Trials.median(rs, EchoRun::serverCpuPercent),
                    Trials.median(rs, EchoRun::loadCpuPercent), rs.size() + "/" + all.size());
        }

        Contender shardline = best(contenders, results, true);
        Contender netty = best(contenders, results, false);
        List<EchoRun> sAll = results.of(shardline.name());
        List<EchoRun> nAll = results.of(netty.name());
        List<EchoRun> s = counted(sAll);
        List<EchoRun> n = counted(nAll);
        // Paired: each round's ratio of the two servers, measured minutes apart at most, then the median of those.
        double rpsRatio = paired(sAll, nAll, EchoRun::rps);
        double p99Ratio = paired(sAll, nAll, r -> r.micros(99));
        List<EchoRun> nioAll = results.of(SHARDLINE_NIO);
        List<EchoRun> iouringAll = results.of(SHARDLINE_IOURING);
        double iouringVsNio = paired(iouringAll, nioAll, EchoRun::rps);
        out.println();
        out.printf(Locale.ROOT, "Shardline / Netty: the best of each by requests/s, %s against %s; each ratio is the"
                + " median of the per-round ratios (in parentheses: a round left out, either side disturbed)%n",
                shardline.name(), netty.name());
        out.printf(Locale.ROOT, "  requests/s  %.2fx  (higher is better; per round %s; ratio of the medians %.2f)%n",
                rpsRatio, Trials.perRound(sAll, nAll, EchoRun::rps, r -> !disturbed(r)),
                Trials.median(s, EchoRun::rps) / Trials.median(n, EchoRun::rps));
        out.printf(Locale.ROOT, "  p50         %.2fx  (lower is better)%n", paired(sAll, nAll, r -> r.micros(50)));
        out.printf(Locale.ROOT, "  p99         %.2fx  (lower is better; per round %s)%n", p99Ratio,
                Trials.perRound(sAll, nAll, r -> r.micros(99), r -> !disturbed(r)));
        out.printf(Locale.ROOT, "  p99.9       %.2fx  (lower is better)%n", paired(sAll, nAll, r -> r.micros(99.9)));
        // What a request cost the server thread: less tied than the rate to which process got a CPU when.
        out.printf(Locale.ROOT, "  server CPU per request  %.2fx  (lower is better; per round %s)%n",
                paired(sAll, nAll, EchoRun::serverMicrosPerRequest),
                Trials.perRound(sAll, nAll, EchoRun::serverMicrosPerRequest, r -> !disturbed(r)));
        out.println("Shardline io_uring / Shardline nio");
        out.printf(Locale.ROOT, "  requests/s  %.2fx  (higher is better; per round %s)%n", iouringVsNio,
                Trials.perRound(iouringAll, nioAll, EchoRun::rps, r -> !disturbed(r)));

        for (List<EchoRun> runs : results.byLabel().values()) {
            List<EchoRun> counted = counted(runs);
            for (EchoRun r : runs) {
                if (disturbed(r)) {
                    report.note(String.format(Locale.ROOT, "round %d %s disturbed%s: the server thread waited %s"
                            + " and the load generator %s for a CPU taken by other work (%.1f%% of the window)",
                            r.round(), r.server(), counted.contains(r) ? "" : ", left out",
                            Report.millis(r.serverThreads().runQueueNanos()), Report.millis(r.load().runQueueNanos()),
                            r.waitedPercent()));
                }
            }
            if (runs.stream().allMatch(EchoSuite::disturbed)) {
                report.note("every " + runs.getFirst().server() + " round was disturbed: its numbers are the median of"
                        + " all of them and say more about the machine than the server; run again on a quiet machine");
            }
        }
        String iouringRan = transports(results.of(SHARDLINE_IOURING));
        if (!iouringRan.toLowerCase(Locale.ROOT).contains("uring")) {
            report.note(SHARDLINE_IOURING + " ran on " + iouringRan + ": this runtime has no io_uring transport or could"
                    + " not set it up, so iouring_vs_nio compares NIO with itself");
        }
        results.byLabel().values().stream().flatMap(List::stream).map(EchoRun::loadTransport).distinct()
                .filter(t -> !t.toLowerCase(Locale.ROOT).contains("uring"))
                .forEach(t -> report.note("the load generator ran on " + t + ", not on io_uring: it may be the"
                        + " bottleneck, so read the ratios with care"));

        report.atLeast("rps_ratio", RPS_TARGET, 1, rpsRatio);
        report.atMost("p99_ratio", P99_TARGET, 1, p99Ratio);
        report.atLeast("iouring_vs_nio", IOURING_TARGET, 1, iouringVsNio);
        report.field("rps_ratio", rpsRatio);
        report.field("p99_ratio", p99Ratio);
        report.field("iouring_vs_nio", iouringVsNio);
        report.finish();
    }

    /** Shardline's ({@code shardline}) or Netty's row with the most requests/s (median of the counted rounds). */
    private static Contender best(List<Contender> contenders, Trials.Results<EchoRun> results, boolean shardline) {
        return contenders.stream().filter(c -> c.shardline() == shardline)
                .max(Comparator.comparingDouble(c -> Trials.median(counted(results.of(c.name())), EchoRun::rps)))
                .orElseThrow();
    }

    /** The transports a row's rounds ran on (one, unless a fallback differed between rounds). */
    private static String transports(List<EchoRun> runs) {
        return String.join("/", runs.stream().map(EchoRun::transport).distinct().toList());
    }

    /** The median of the per-round ratios of {@code value}, over the rounds where neither side was disturbed. */
    static double paired(List<EchoRun> a, List<EchoRun> b, java.util.function.ToDoubleFunction<EchoRun> value) {
        return Trials.pairedMedian(a, b, value, r -> !disturbed(r));
    }

    /** Whether other work on the machine took a noticeable share of the window from the server or the load. */
    static boolean disturbed(EchoRun r) {
        return r.waitedPercent() >= DISTURBED_PERCENT;
    }

    private static int cleanRounds(List<EchoRun> runs) {
        return (int) runs.stream().filter(r -> !disturbed(r)).count();
    }

    /** The rounds that count: the undisturbed ones, or all of them if every one was disturbed. */
    static List<EchoRun> counted(List<EchoRun> runs) {
        List<EchoRun> clean = runs.stream().filter(r -> !disturbed(r)).toList();
        return clean.isEmpty() ? runs : clean;
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
