package io.shardline.perf;

import io.shardline.core.RunQueueTime;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

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
    /** The load generator's own JVM: small fixed heap, serial GC (it has one CPU to itself). */
    private static final List<String> LOAD_JVM_FLAGS = List.of("-Xms256m", "-Xmx256m", "-XX:+UseSerialGC");

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

    /**
     * One measurement of one server: the load generator's counts and histogram, and over the same
     * window the server threads' scheduler statistics (summed), the load generator thread's, its
     * loop passes, the GCs of this JVM and the server's own counters; the transports both ran on.
     */
    record Run(String server, String transport, String loadTransport, int round, long requests, long nanos,
               Histogram histogram, RunQueueTime.Sample serverThreads, RunQueueTime.Sample load, long passes,
               long gcs, String stats) {
        double rps() {
            return requests * 1e9 / nanos;
        }

        /** The server threads' time on a CPU, in % of one CPU per thread; NaN if unknown. */
        double serverCpuPercent() {
            return serverThreads.known() ? 100.0 * serverThreads.onCpuNanos() / SERVER_THREADS / nanos : Double.NaN;
        }

        /** The load generator thread's time on a CPU, in % of one CPU; NaN if unknown. */
        double loadCpuPercent() {
            return load.known() ? 100.0 * load.onCpuNanos() / nanos : Double.NaN;
        }

        /** Echoes the load generator took per pass of its loop: how batched they arrived; NaN if unknown. */
        double requestsPerPass() {
            return passes > 0 ? (double) requests / passes : Double.NaN;
        }

        /** The largest share of the window that the server threads or the load generator waited for a CPU. */
        double waitedPercent() {
            double server = serverThreads.known() ? 100.0 * serverThreads.runQueueNanos() / SERVER_THREADS / nanos : 0;
            double generator = load.known() ? 100.0 * load.runQueueNanos() / nanos : 0;
            return Math.max(server, generator);
        }

        double micros(double percentile) {
            return histogram.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    /** Where the load generator runs. */
    private record LoadPlacement(List<String> prefix, String description) {
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
        LoadPlacement load = loadPlacement(pin, cpus);
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

        List<Trials.Contender<Run>> trials = contenders.stream().map(c -> new Trials.Contender<Run>(c.name(), c.name(),
                turn -> measure(c, turn.round(), serverCpus, load))).toList();
        long start = System.nanoTime();
        Trials.Results<Run> results = Trials.run(out, "rounds", new Trials.Plan(false, plan.rounds(), plan.extraRounds()),
                trials, EchoSuite::describe, sofar -> extraRound(sofar, start));

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
    private String extraRound(Trials.Results<Run> sofar, long start) {
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

    private static String describe(Run r) {
        return String.format(Locale.ROOT, "%,9.0f req/s  p50 %6.1f us  p99 %7.1f us  p99.9 %7.1f us  max %8.1f us"
                        + " | %s | server thread on CPU %3.0f%%, waited for it %s; load generator (%s) on CPU %3.0f%%,"
                        + " waited %s, %.1f echoes per loop pass; GCs %d%s%s",
                r.rps(), r.micros(50), r.micros(99), r.micros(99.9), r.histogram().getMaxValue() / 1000.0,
                r.transport(), r.serverCpuPercent(), Report.millis(r.serverThreads().runQueueNanos()),
                r.loadTransport(), r.loadCpuPercent(), Report.millis(r.load().runQueueNanos()), r.requestsPerPass(),
                r.gcs(), r.stats().isEmpty() ? "" : "; " + r.stats(), disturbed(r) ? "  [disturbed]" : "");
    }

    // ---------------------------------------------------------------- measuring

    private Run measure(Contender c, int round, int[] serverCpus, LoadPlacement load) throws Exception {
        try (EchoServers.Server s = c.start().start(serverCpus)) {
            return drive(c.name(), s, round, load);
        }
    }

    /** Runs the load generator against {@code server} and reads its result. */
    private Run drive(String name, EchoServers.Server server, int round, LoadPlacement load) throws Exception {
        List<String> flags = new ArrayList<>(Jmh.RUNTIME_FLAGS); // the generator is a Shardline client
        flags.addAll(LOAD_JVM_FLAGS);
        // The generator's transport: the one this run asks for, else the runtime's default (io_uring where it can).
        String transport = System.getProperty(EchoServers.TRANSPORT_PROPERTY);
        if (transport != null) {
            flags.add("-D" + EchoServers.TRANSPORT_PROPERTY + "=" + transport);
        }
        Process p = BenchSupport.startJava(load.prefix(), flags, EchoLoad.class, List.of(
                Integer.toString(server.port()), Integer.toString(CONNECTIONS), Integer.toString(PAYLOAD),
                Long.toString(plan.warmupMillis()), Long.toString(plan.measureMillis())),
                plan.warmupMillis() + plan.measureMillis() + 60_000);

        List<String> threadNames = IntStream.range(0, SERVER_THREADS).mapToObj(server::threadName).toList();
        RunQueueTime.Sample threads0 = null;
        RunQueueTime.Sample threads = RunQueueTime.Sample.UNKNOWN;
        long gc0 = 0;
        String result = null;
        long gcs = 0;
        String stats = "";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals(EchoLoad.MEASURING)) {
                    threads0 = CpuUse.threads(threadNames);
                    gc0 = gcCount();
                    server.mark();
                } else if (line.startsWith(EchoLoad.RESULT)) {
                    if (threads0 != null) {
                        threads = CpuUse.threads(threadNames).since(threads0);
                        gcs = gcCount() - gc0;
                    }
                    stats = server.stats(Long.parseLong(field(line, "requests", "0")));
                    result = line;
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || result == null) {
            throw new IllegalStateException("the load generator against " + name + " (round " + round
                    + ") exited with " + exit + (result == null ? " and no result" : "") + "; its stderr is above");
        }
        long requests = Long.parseLong(field(result, "requests", "-1"));
        long nanos = Long.parseLong(field(result, "nanos", "-1"));
        String histogram = field(result, "histogram", null);
        if (requests <= 0 || nanos <= 0 || histogram == null) {
            throw new IllegalStateException("the load generator against " + name + " reported no requests: " + result);
        }
        RunQueueTime.Sample generator = new RunQueueTime.Sample(Long.parseLong(field(result, "cpu", "-1")),
                Long.parseLong(field(result, "waited", "-1")));
        return new Run(name, server.transport(), field(result, "transport", "?"), round, requests, nanos,
                BenchSupport.decodeHistogram(histogram, "the load generator"), threads, generator,
                Long.parseLong(field(result, "passes", "-1")), gcs, stats);
    }

    /** The value of {@code key=...} in the load generator's result line, or {@code absent}. */
    private static String field(String resultLine, String key, String absent) {
        for (String field : resultLine.substring(EchoLoad.RESULT.length()).split(" ")) {
            if (field.startsWith(key + "=")) {
                return field.substring(key.length() + 1);
            }
        }
        return absent;
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    /** The load generator goes on the CPUs the servers leave free, with taskset when it is there. */
    private static LoadPlacement loadPlacement(boolean pin, int cpus) {
        if (!pin) {
            return new LoadPlacement(List.of(), "unpinned");
        }
        String free = SERVER_THREADS == cpus - 1 ? Integer.toString(SERVER_THREADS) : SERVER_THREADS + "-" + (cpus - 1);
        String taskset = onPath("taskset");
        if (taskset == null) {
            return new LoadPlacement(List.of(), "unpinned (no taskset on the PATH)");
        }
        return new LoadPlacement(List.of(taskset, "-c", free),
                "whole process on CPU" + (free.contains("-") ? "s " : " ") + free + " (taskset)");
    }

    private static String onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- report

    private void report(PrintStream out, Report report, List<Contender> contenders, Trials.Results<Run> results,
                        String serverPlacement, LoadPlacement load) {
        out.printf(Locale.ROOT, "%s; median over each server's undisturbed rounds (all rounds if none was);"
                + " latency = one request's round trip at the load generator, in us%n", plan.describe());
        out.printf(Locale.ROOT, "servers %s; load generator in its own process, %s, on %s; server CPU = the server"
                + " threads' time on a CPU, load CPU = the load generator thread's, in %% of one CPU%n",
                serverPlacement, load.description(), String.join("/", results.byLabel().values().stream()
                        .flatMap(List::stream).map(Run::loadTransport).distinct().toList()));
        Report.Table table = report.table("%-18s %-16s %7s %11s %7s %12s %9s %9s %9s %10s %8s %7s",
                "%-18s %-16s %7d %11d %5d B %12s %9.1f %9.1f %9.1f %9.0f%% %7.0f%% %7s")
                .header("server", "transport", "threads", "connections", "payload", "requests/s", "p50 us", "p99 us",
                        "p99.9 us", "server CPU", "load CPU", "rounds");
        for (Contender c : contenders) {
            List<Run> all = results.of(c.name());
            List<Run> rs = counted(all);
            table.row(c.name(), transports(all), SERVER_THREADS, CONNECTIONS, PAYLOAD,
                    String.format(Locale.ROOT, "%,.0f", Trials.median(rs, Run::rps)),
                    Trials.median(rs, r -> r.micros(50)), Trials.median(rs, r -> r.micros(99)),
                    Trials.median(rs, r -> r.micros(99.9)), Trials.median(rs, Run::serverCpuPercent),
                    Trials.median(rs, Run::loadCpuPercent), rs.size() + "/" + all.size());
        }

        Contender shardline = best(contenders, results, true);
        Contender netty = best(contenders, results, false);
        List<Run> sAll = results.of(shardline.name());
        List<Run> nAll = results.of(netty.name());
        List<Run> s = counted(sAll);
        List<Run> n = counted(nAll);
        double rpsRatio = Trials.median(s, Run::rps) / Trials.median(n, Run::rps);
        double p99Ratio = Trials.median(s, r -> r.micros(99)) / Trials.median(n, r -> r.micros(99));
        List<Run> nio = counted(results.of(SHARDLINE_NIO));
        List<Run> iouring = counted(results.of(SHARDLINE_IOURING));
        double iouringVsNio = Trials.median(iouring, Run::rps) / Trials.median(nio, Run::rps);
        out.println();
        out.printf(Locale.ROOT, "Shardline / Netty: the best of each by requests/s, %s against %s%n", shardline.name(),
                netty.name());
        out.printf(Locale.ROOT, "  requests/s  %.2fx  (higher is better; per round %s)%n", rpsRatio,
                Trials.perRound(sAll, nAll, Run::rps));
        out.printf(Locale.ROOT, "  p50         %.2fx  (lower is better)%n",
                Trials.median(s, r -> r.micros(50)) / Trials.median(n, r -> r.micros(50)));
        out.printf(Locale.ROOT, "  p99         %.2fx  (lower is better; per round %s)%n", p99Ratio,
                Trials.perRound(sAll, nAll, r -> r.micros(99)));
        out.printf(Locale.ROOT, "  p99.9       %.2fx  (lower is better)%n",
                Trials.median(s, r -> r.micros(99.9)) / Trials.median(n, r -> r.micros(99.9)));
        out.println("Shardline io_uring / Shardline nio");
        out.printf(Locale.ROOT, "  requests/s  %.2fx  (higher is better; per round %s)%n", iouringVsNio,
                Trials.perRound(results.of(SHARDLINE_IOURING), results.of(SHARDLINE_NIO), Run::rps));

        for (List<Run> runs : results.byLabel().values()) {
            List<Run> counted = counted(runs);
            for (Run r : runs) {
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
        results.byLabel().values().stream().flatMap(List::stream).map(Run::loadTransport).distinct()
                .filter(t -> !t.toLowerCase(Locale.ROOT).contains("uring"))
                .forEach(t -> report.note("the load generator ran on " + t + ", not on io_uring: it may be the"
                        + " bottleneck, so read the ratios with care"));

        report.target(String.format(Locale.ROOT, "rps_ratio >= %.1f", RPS_TARGET), rpsRatio >= RPS_TARGET,
                String.format(Locale.ROOT, "%.2f", rpsRatio));
        report.target(String.format(Locale.ROOT, "p99_ratio <= %.1f", P99_TARGET), p99Ratio <= P99_TARGET,
                String.format(Locale.ROOT, "%.2f", p99Ratio));
        report.target(String.format(Locale.ROOT, "iouring_vs_nio >= %.1f", IOURING_TARGET), iouringVsNio >= IOURING_TARGET,
                String.format(Locale.ROOT, "%.2f", iouringVsNio));
        report.field("rps_ratio", rpsRatio);
        report.field("p99_ratio", p99Ratio);
        report.field("iouring_vs_nio", iouringVsNio);
        report.finish();
    }

    /** Shardline's ({@code shardline}) or Netty's row with the most requests/s (median of the counted rounds). */
    private static Contender best(List<Contender> contenders, Trials.Results<Run> results, boolean shardline) {
        return contenders.stream().filter(c -> c.shardline() == shardline)
                .max(Comparator.comparingDouble(c -> Trials.median(counted(results.of(c.name())), Run::rps)))
                .orElseThrow();
    }

    /** The transports a row's rounds ran on (one, unless a fallback differed between rounds). */
    private static String transports(List<Run> runs) {
        return String.join("/", runs.stream().map(Run::transport).distinct().toList());
    }

    /** Whether other work on the machine took a noticeable share of the window from the server or the load. */
    static boolean disturbed(Run r) {
        return r.waitedPercent() >= DISTURBED_PERCENT;
    }

    private static int cleanRounds(List<Run> runs) {
        return (int) runs.stream().filter(r -> !disturbed(r)).count();
    }

    /** The rounds that count: the undisturbed ones, or all of them if every one was disturbed. */
    static List<Run> counted(List<Run> runs) {
        List<Run> clean = runs.stream().filter(r -> !disturbed(r)).toList();
        return clean.isEmpty() ? runs : clean;
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
