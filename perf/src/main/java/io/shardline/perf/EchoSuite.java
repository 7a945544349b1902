package io.shardline.perf;

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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * The {@code echo} suite: a TCP echo server on Shardline (shards on the NIO transport) and one on
 * Netty 4.2 (native epoll), driven in turn by the same load generator, with the same payload size,
 * connection count and server thread count, in one run.
 *
 * <p>Fairness. Each server gets {@value #SERVER_THREADS} server thread(s) (shards; epoll event loops
 * that both accept and serve), pinned to CPU 0.. with OpenHFT Affinity, and keeps its defaults
 * otherwise (Shardline's loop spins 20 µs before it parks; Netty's event loop blocks in epoll_wait).
 * Both servers run in this JVM, one at a time: each round starts one, measures it and closes it. The
 * load generator ({@link EchoLoad}, a client on one Shardline loop whose socket calls are batched, so
 * that it outruns either server) is a process of its own, the same java and class path, confined
 * to the CPUs the servers do not use with {@code taskset}: {@value #CONNECTIONS} connections, a
 * {@value #PAYLOAD}-byte payload, one request in flight per connection (closed loop), round trips in
 * an HdrHistogram. Rounds alternate the servers (shardline netty shardline netty ...); each has a
 * warm-up, then a measurement (full run: 5 rounds of 3 s + 8 s, about 2 minutes, up to 3 with extra
 * rounds; {@code --quick}: 1 round of 1 s + 2 s); the table shows the median over rounds of each number.
 *
 * <p>Noise. On a 2-CPU machine anything else that runs takes a CPU from the server or the load
 * generator. Each round reports, from Linux's schedstat, how long the server thread and the load
 * generator's thread sat on the run queue during the measurement; a round where either waited
 * {@value #DISTURBED_PERCENT}% of the window or more is disturbed: it is named in the notes and left
 * out of the medians, unless every round of that server was disturbed. While the full run is within
 * its time budget and either server has fewer than {@value #WANTED_CLEAN_ROUNDS} undisturbed rounds,
 * it adds rounds (both servers again), at most {@value #MAX_EXTRA_ROUNDS}.
 *
 * <p>Prints a progress log, then the table, the Shardline/Netty ratios, the targets and as the
 * last line {@code result: echo rps_ratio=<shardline/netty> p99_ratio=<shardline/netty>}.
 */
final class EchoSuite implements BenchMain.Suite {
    static final int SERVER_THREADS = 1;
    static final int CONNECTIONS = 50;
    static final int PAYLOAD = 64;
    /** Targets from the issue: Shardline's requests/s at least Netty's, its p99 at most Netty's. */
    static final double RPS_TARGET = 1.0;
    static final double P99_TARGET = 1.0;
    /**
     * A round whose server thread or load generator waited this much of the window for a CPU is left
     * out of the medians. On an otherwise idle machine both wait 1-2% (their own JVMs' threads).
     */
    static final double DISTURBED_PERCENT = 5.0;
    /** Extra rounds are run while either server has fewer undisturbed rounds than this... */
    static final int WANTED_CLEAN_ROUNDS = 3;
    /** ...at most this many... */
    static final int MAX_EXTRA_ROUNDS = 2;
    /** ...and only while the whole suite stays within this many seconds. */
    static final long BUDGET_SECONDS = 180;
    static final String SHARDLINE = "shardline";
    static final String NETTY = "netty";
    /** The load generator's own JVM: small fixed heap, serial GC (it has one CPU to itself). */
    private static final List<String> LOAD_JVM_FLAGS = List.of("-Xms256m", "-Xmx256m", "-XX:+UseSerialGC");

    /**
     * Per round and server: a warm-up, then a measurement; up to {@code extraRounds} more rounds while
     * the suite has run for less than {@code budgetSeconds}.
     */
    record Plan(long warmupMillis, long measureMillis, int rounds, int extraRounds, long budgetSeconds) {
        String describe() {
            return String.format(Locale.ROOT, "%d round%s of %s warm-up + %s measured per server, servers alternating%s",
                    rounds, rounds == 1 ? "" : "s", seconds(warmupMillis), seconds(measureMillis),
                    extraRounds == 0 ? "" : " (up to " + extraRounds + " more if rounds are disturbed)");
        }
    }

    /**
     * One measurement of one server: the load generator's counts and histogram, and over the same
     * window the server threads' scheduler statistics (summed), the load generator thread's, its
     * selector waits, the GCs of this JVM and the server's own counters.
     */
    record Run(String server, int round, long requests, long nanos, Histogram histogram, SchedStat serverThreads,
               SchedStat load, long passes, long gcs, String stats) {
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
        long start = System.nanoTime();
        double loadBefore = Jmh.loadAverage();
        int cpus = Runtime.getRuntime().availableProcessors();
        boolean pin = cpus > SERVER_THREADS;
        int[] serverCpus = EchoServers.cpus(SERVER_THREADS, pin);
        LoadPlacement load = loadPlacement(pin, cpus);
        List<String> notes = new ArrayList<>();
        if (!pin) {
            notes.add("fewer than " + (SERVER_THREADS + 1) + " CPUs: servers and load generator share the CPUs,"
                    + " unpinned; the numbers mean little");
        }
        String serverPlacement = serverCpus != null
                ? "pinned to CPU" + (SERVER_THREADS > 1 ? "s 0-" + (SERVER_THREADS - 1) : " 0") : "unpinned";
        out.printf(Locale.ROOT, "# echo suite: %s%n", plan.describe());
        out.printf(Locale.ROOT, "# servers: %d thread%s each, %s, in this JVM; %s%n", SERVER_THREADS,
                SERVER_THREADS == 1 ? "" : "s", serverPlacement, EchoServers.nettyDescription());
        out.printf(Locale.ROOT, "# load: own process, 1 NIO thread, %s; %d connections, %d B payload, 1 request"
                + " in flight per connection%n", load.description(), CONNECTIONS, PAYLOAD);

        List<Run> runs = new ArrayList<>();
        long pairNanos = 0;
        for (int round = 1; round <= plan.rounds() + plan.extraRounds(); round++) {
            if (round > plan.rounds()) {
                long elapsed = System.nanoTime() - start;
                if (Math.min(cleanRounds(runs, SHARDLINE), cleanRounds(runs, NETTY)) >= WANTED_CLEAN_ROUNDS
                        || elapsed + pairNanos > TimeUnit.SECONDS.toNanos(plan.budgetSeconds())) {
                    break;
                }
                out.printf(Locale.ROOT, "# round %d: an extra round, as shardline has %d and netty %d undisturbed"
                        + " rounds%n", round, cleanRounds(runs, SHARDLINE), cleanRounds(runs, NETTY));
            }
            long pairStart = System.nanoTime();
            for (String server : List.of(SHARDLINE, NETTY)) {
                Run r = measure(server, round, serverCpus, load);
                out.printf(Locale.ROOT, "  round %-5s %-9s  %,9.0f req/s  p50 %6.1f us  p99 %7.1f us  p99.9 %7.1f us"
                                + "  max %8.1f us | server thread on CPU %3.0f%%, waited for it %s; load generator on"
                                + " CPU %3.0f%%, waited %s, %.1f echoes per loop pass; GCs %d%s%s%n",
                        round <= plan.rounds() ? round + "/" + plan.rounds() : round + "+", server, r.rps(), r.micros(50), r.micros(99), r.micros(99.9),
                        r.histogram().getMaxValue() / 1000.0, r.serverCpuPercent(),
                        millis(r.serverThreads().runQueueNanos()), r.loadCpuPercent(), millis(r.load().runQueueNanos()),
                        r.requestsPerPass(), r.gcs(),
                        r.stats().isEmpty() ? "" : "; " + r.stats(), disturbed(r) ? "  [disturbed]" : "");
                runs.add(r);
            }
            pairNanos = Math.max(pairNanos, System.nanoTime() - pairStart);
        }

        double loadAfter = Jmh.loadAverage();
        out.println();
        out.printf(Locale.ROOT, "echo suite%s, %.0f s; %s%n", settings.quick() ? " (--quick: rough numbers)" : "",
                (System.nanoTime() - start) / 1e9, Jmh.machineLine(loadBefore, loadAfter));
        report(out, runs, serverPlacement, load, notes);
        return 0;
    }

    // ---------------------------------------------------------------- measuring

    private Run measure(String server, int round, int[] serverCpus, LoadPlacement load) throws Exception {
        try (EchoServers.Server s = SHARDLINE.equals(server)
                ? EchoServers.shardline(SERVER_THREADS, serverCpus)
                : EchoServers.netty(SERVER_THREADS, serverCpus)) {
            return drive(s, round, load);
        }
    }

    /** Runs the load generator against {@code server} and reads its result. */
    private Run drive(EchoServers.Server server, int round, LoadPlacement load) throws Exception {
        List<String> flags = new ArrayList<>(Jmh.RUNTIME_FLAGS); // the generator is a Shardline client
        flags.addAll(LOAD_JVM_FLAGS);
        Process p = BenchSupport.startJava(load.prefix(), flags, EchoLoad.class, List.of(
                Integer.toString(server.port()), Integer.toString(CONNECTIONS), Integer.toString(PAYLOAD),
                Long.toString(plan.warmupMillis()), Long.toString(plan.measureMillis())),
                plan.warmupMillis() + plan.measureMillis() + 60_000);

        SchedStat threads0 = null;
        SchedStat threads = SchedStat.UNKNOWN;
        long gc0 = 0;
        String result = null;
        long gcs = 0;
        String stats = "";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals(EchoLoad.MEASURING)) {
                    threads0 = serverThreads(server);
                    gc0 = gcCount();
                    server.mark();
                } else if (line.startsWith(EchoLoad.RESULT)) {
                    if (threads0 != null) {
                        threads = serverThreads(server).since(threads0);
                        gcs = gcCount() - gc0;
                    }
                    stats = server.stats(requestsIn(line));
                    result = line;
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || result == null) {
            throw new IllegalStateException("the load generator against " + server.name() + " (round " + round
                    + ") exited with " + exit + (result == null ? " and no result" : "") + "; its stderr is above");
        }
        return parse(server.name(), round, result, threads, gcs, stats);
    }

    private static long requestsIn(String resultLine) {
        for (String field : resultLine.substring(EchoLoad.RESULT.length()).split(" ")) {
            if (field.startsWith("requests=")) {
                return Long.parseLong(field.substring("requests=".length()));
            }
        }
        return 0;
    }

    /** The server threads' scheduler statistics, summed. */
    private static SchedStat serverThreads(EchoServers.Server server) {
        long onCpu = 0;
        long waited = 0;
        for (int i = 0; i < SERVER_THREADS; i++) {
            SchedStat s = SchedStat.ofThread(server.threadName(i));
            if (!s.known()) {
                return SchedStat.UNKNOWN;
            }
            onCpu += s.onCpuNanos();
            waited += s.runQueueNanos();
        }
        return new SchedStat(onCpu, waited);
    }

    private static Run parse(String server, int round, String line, SchedStat threads, long gcs, String stats) {
        long requests = -1;
        long nanos = -1;
        long cpu = -1;
        long waited = -1;
        long passes = -1;
        Histogram histogram = null;
        for (String field : line.substring(EchoLoad.RESULT.length()).split(" ")) {
            int eq = field.indexOf('=');
            String key = field.substring(0, eq);
            String value = field.substring(eq + 1);
            switch (key) {
                case "requests" -> requests = Long.parseLong(value);
                case "nanos" -> nanos = Long.parseLong(value);
                case "cpu" -> cpu = Long.parseLong(value);
                case "waited" -> waited = Long.parseLong(value);
                case "passes" -> passes = Long.parseLong(value);
                case "histogram" -> histogram = BenchSupport.decodeHistogram(value, "the load generator");
                default -> {
                    // a field this version does not know
                }
            }
        }
        if (requests <= 0 || nanos <= 0 || histogram == null) {
            throw new IllegalStateException("the load generator against " + server + " reported no requests: " + line);
        }
        return new Run(server, round, requests, nanos, histogram, threads, new SchedStat(cpu, waited), passes, gcs,
                stats);
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

    private void report(PrintStream out, List<Run> runs, String serverPlacement, LoadPlacement load,
                        List<String> notes) {
        List<Run> shardlineAll = runs.stream().filter(r -> r.server().equals(SHARDLINE)).toList();
        List<Run> nettyAll = runs.stream().filter(r -> r.server().equals(NETTY)).toList();
        List<Run> shardline = counted(shardlineAll);
        List<Run> netty = counted(nettyAll);
        out.printf(Locale.ROOT, "%s; median over each server's undisturbed rounds (all rounds if none was);"
                + " latency = one request's round trip at the load generator, in us%n", plan.describe());
        out.printf(Locale.ROOT, "servers %s; load generator in its own process, %s; server CPU = the server"
                + " threads' time on a CPU, load CPU = the load generator thread's, in %% of one CPU%n",
                serverPlacement, load.description());
        String header = String.format(Locale.ROOT, "%-10s %7s %11s %7s %12s %9s %9s %9s %10s %8s %7s",
                "server", "threads", "connections", "payload", "requests/s", "p50 us", "p99 us", "p99.9 us",
                "server CPU", "load CPU", "rounds");
        out.println(header);
        out.println("-".repeat(header.length()));
        for (List<Run> rs : List.of(shardline, netty)) {
            int total = (rs == shardline ? shardlineAll : nettyAll).size();
            out.printf(Locale.ROOT, "%-10s %7d %11d %5d B %12s %9.1f %9.1f %9.1f %9.0f%% %7.0f%% %7s%n",
                    rs.getFirst().server(), SERVER_THREADS, CONNECTIONS, PAYLOAD,
                    String.format(Locale.ROOT, "%,.0f", median(rs, Run::rps)), median(rs, r -> r.micros(50)),
                    median(rs, r -> r.micros(99)), median(rs, r -> r.micros(99.9)), median(rs, Run::serverCpuPercent),
                    median(rs, Run::loadCpuPercent), rs.size() + "/" + total);
        }

        double rpsRatio = median(shardline, Run::rps) / median(netty, Run::rps);
        double p50Ratio = median(shardline, r -> r.micros(50)) / median(netty, r -> r.micros(50));
        double p99Ratio = median(shardline, r -> r.micros(99)) / median(netty, r -> r.micros(99));
        double p999Ratio = median(shardline, r -> r.micros(99.9)) / median(netty, r -> r.micros(99.9));
        out.println();
        out.println("Shardline / Netty");
        out.printf(Locale.ROOT, "  requests/s  %.2fx  (higher is better; per round %s)%n", rpsRatio,
                perRound(shardlineAll, nettyAll, Run::rps));
        out.printf(Locale.ROOT, "  p50         %.2fx  (lower is better)%n", p50Ratio);
        out.printf(Locale.ROOT, "  p99         %.2fx  (lower is better; per round %s)%n", p99Ratio,
                perRound(shardlineAll, nettyAll, r -> r.micros(99)));
        out.printf(Locale.ROOT, "  p99.9       %.2fx  (lower is better)%n", p999Ratio);
        for (Run r : runs) {
            if (disturbed(r)) {
                boolean leftOut = !(r.server().equals(SHARDLINE) ? shardline : netty).contains(r);
                notes.add(String.format(Locale.ROOT, "round %d %s disturbed%s: the server thread waited %s"
                        + " and the load generator %s for a CPU taken by other work (%.1f%% of the window)",
                        r.round(), r.server(), leftOut ? ", left out" : "",
                        millis(r.serverThreads().runQueueNanos()), millis(r.load().runQueueNanos()), r.waitedPercent()));
            }
        }
        for (List<Run> rs : List.of(shardlineAll, nettyAll)) {
            if (rs.stream().allMatch(EchoSuite::disturbed)) {
                notes.add("every " + rs.getFirst().server() + " round was disturbed: its numbers are the median of"
                        + " all of them and say more about the machine than the server; run again on a quiet machine");
            }
        }
        if (!notes.isEmpty()) {
            out.println();
            out.println("notes");
            for (String note : notes) {
                out.println("  " + note);
            }
        }
        out.println();
        out.println("targets");
        out.printf(Locale.ROOT, "  rps_ratio >= %.1f   %s (%.2f)%n", RPS_TARGET, verdict(rpsRatio >= RPS_TARGET), rpsRatio);
        out.printf(Locale.ROOT, "  p99_ratio <= %.1f   %s (%.2f)%n", P99_TARGET, verdict(p99Ratio <= P99_TARGET), p99Ratio);
        out.printf(Locale.ROOT, "result: echo rps_ratio=%.2f p99_ratio=%.2f%n", rpsRatio, p99Ratio);
    }

    /** Whether other work on the machine took a noticeable share of the window from the server or the load. */
    static boolean disturbed(Run r) {
        return r.waitedPercent() >= DISTURBED_PERCENT;
    }

    private static int cleanRounds(List<Run> runs, String server) {
        return (int) runs.stream().filter(r -> r.server().equals(server) && !disturbed(r)).count();
    }

    /** The rounds that count: the undisturbed ones, or all of them if every one was disturbed. */
    static List<Run> counted(List<Run> runs) {
        List<Run> clean = runs.stream().filter(r -> !disturbed(r)).toList();
        return clean.isEmpty() ? runs : clean;
    }

    /** Each round's Shardline/Netty ratio of {@code value}. */
    private static String perRound(List<Run> shardline, List<Run> netty, ToDoubleFunction<Run> value) {
        List<String> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(shardline.size(), netty.size()); i++) {
            ratios.add(String.format(Locale.ROOT, "%.2f", value.applyAsDouble(shardline.get(i))
                    / value.applyAsDouble(netty.get(i))));
        }
        return String.join(" ", ratios);
    }

    static double median(List<Run> runs, ToDoubleFunction<Run> value) {
        double[] v = runs.stream().mapToDouble(value).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    private static String millis(long nanos) {
        return nanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private static String verdict(boolean met) {
        return met ? "met   " : "MISSED";
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
