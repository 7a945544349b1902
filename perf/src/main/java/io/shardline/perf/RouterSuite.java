package io.shardline.perf;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code router} suite: {@code wrk} → a reverse proxy → two upstream HTTP servers, with Shardline's
 * router, nginx and HAProxy as the proxy in turn, in one run.
 *
 * <p>Fairness. The upstreams are the same for every proxy: two nginx processes of one worker each,
 * answering {@code GET /} with a static {@code ok} from memory, so the proxy is what differs. Every
 * proxy balances round-robin over both, keeps upstream connections alive, and runs one thread (shard,
 * worker, nbthread) per CPU; none writes an access log. wrk runs {@value #THREADS} threads and
 * {@value #CONNECTIONS} keep-alive connections. All of it shares this machine's CPUs: on a 2-CPU
 * machine the proxy, the upstreams and wrk compete for them, as they would on a small host, and alike
 * for every proxy.
 *
 * <p>Rounds. The three proxies start once and stay up (idle ones take no CPU); each gets a warm-up (5 s,
 * {@code --quick} 3 s: the JVM compiles its hot paths in its first seconds), then rounds take them in
 * turn (full: {@value #ROUNDS} rounds of {@value #SECONDS} s each; {@code --quick}: 1 round of 3 s). The table shows medians over rounds; the ratios are the median of per-round ratios
 * of Shardline against the peer with the most requests/s (the p99 ratio against that same peer).
 *
 * <p>Prints the trials, the table, the targets (the issue's: requests/s at least 1.0x the best peer,
 * p99 at most 1.0x) and as the last line {@code result: router rps_ratio=<x> p99_ratio=<x>}.
 */
final class RouterSuite implements BenchMain.Suite {
    static final int THREADS = 2;
    static final int CONNECTIONS = 64;
    static final int ROUNDS = 5;
    static final int SECONDS = 10;
    private final BenchMain.Settings settings;

    RouterSuite(BenchMain.Settings settings) {
        this.settings = settings;
    }

    @Override
    public int run(PrintStream out) throws Exception {
        List<String> missing = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (String tool : RouterPeers.TOOLS) {
            String p = RouterPeers.find(tool);
            if (p == null) {
                missing.add(tool);
            }
            paths.add(p);
        }
        if (!missing.isEmpty()) {
            System.err.println("bench router drives the proxies with wrk and compares against nginx and HAProxy, but "
                    + String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " not installed; on Debian or Ubuntu: apt-get install " + String.join(" ", missing)
                    + " (package" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + ")");
            return 1;
        }
        Path root = KvServers.repositoryRoot();
        if (root == null) {
            System.err.println("bench router starts ./shardline router: run it from the repository (./shardline bench router)");
            return 1;
        }
        String wrk = paths.get(0);
        String nginx = paths.get(1);
        String haproxy = paths.get(2);
        CpuUse use = CpuUse.start();
        Path dir = Files.createTempDirectory("shardline-bench-router");
        List<ServerProcess> running = new ArrayList<>();
        Thread hook = new Thread(() -> running.forEach(ServerProcess::close), "bench-router-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            RouterPeers peers = new RouterPeers(root, dir);
            ServerProcess up1 = add(running, peers.upstream("upstream-1", nginx));
            ServerProcess up2 = add(running, peers.upstream("upstream-2", nginx));
            ServerProcess shardline = add(running, peers.shardline(up1.port(), up2.port()));
            ServerProcess nginxProxy = add(running, peers.nginxProxy(nginx, up1.port(), up2.port()));
            ServerProcess haproxyProxy = add(running, peers.haproxy(haproxy, up1.port(), up2.port()));
            int seconds = settings.quick() ? 3 : SECONDS;
            int warmup = settings.quick() ? 3 : 5;
            List<Trials.Contender<Wrk.Result>> contenders = new ArrayList<>();
            for (ServerProcess p : List.of(shardline, nginxProxy, haproxyProxy)) {
                String url = "http://127.0.0.1:" + p.port() + "/";
                contenders.add(new Trials.Contender<>(p.name(), p.name(), turn -> {
                    if (!p.alive()) {
                        throw new IllegalStateException(p.name() + " exited: " + p.logTail());
                    }
                    return Wrk.run(wrk, url, THREADS, CONNECTIONS, turn.warmup() ? warmup : seconds);
                }));
            }
            Trials.Results<Wrk.Result> results = Trials.run(out, String.format(Locale.ROOT,
                    "router: wrk -t%d -c%d -d%ds -> proxy -> 2 nginx upstreams", THREADS, CONNECTIONS, seconds),
                    new Trials.Plan(true, settings.quick() ? 1 : ROUNDS, 0), contenders, Wrk.Result::describe, null);
            Report report = new Report("router", out);
            report.summary(settings.quick(), use, use.machineLine(null), use.othersLine("(besides the proxies, "
                    + "upstreams and wrk)", 0.2, "run again on a quiet machine"));
            Report.Table t = report.table("%-10s %12s %10s %10s %9s", "%-10s %12s %10s %10s %9s");
            t.header("proxy", "requests/s", "p50 us", "p99 us", "errors");
            for (String label : List.of("shardline", "nginx", "haproxy")) {
                List<Wrk.Result> r = results.of(label);
                t.row(label, Report.rate(Trials.median(r, Wrk.Result::rps)),
                        Report.num(Trials.median(r, Wrk.Result::p50Micros), 0),
                        Report.num(Trials.median(r, Wrk.Result::p99Micros), 0),
                        Long.toString(r.stream().mapToLong(x -> x.errors() + x.non2xx()).sum()));
            }
            String best = Trials.median(results.of("nginx"), Wrk.Result::rps)
                    >= Trials.median(results.of("haproxy"), Wrk.Result::rps) ? "nginx" : "haproxy";
            List<Wrk.Result> s = results.of("shardline");
            List<Wrk.Result> b = results.of(best);
            double rpsRatio = Trials.pairedMedian(s, b, Wrk.Result::rps, x -> true);
            double p99Ratio = Trials.pairedMedian(s, b, Wrk.Result::p99Micros, x -> true);
            report.note("best peer by requests/s: " + best + "; per-round rps ratios " + Trials.perRound(s, b, Wrk.Result::rps)
                    + ", p99 ratios " + Trials.perRound(s, b, Wrk.Result::p99Micros));
            report.note("proxy, upstreams and wrk share " + Runtime.getRuntime().availableProcessors()
                    + " CPUs; on a small or busy machine the numbers are noisy");
            report.note("configs and logs: " + dir);
            report.atLeast("rps_ratio (Shardline / best peer)", 1.0, 1, rpsRatio);
            report.atMost("p99_ratio (Shardline / best peer)", 1.0, 1, p99Ratio);
            report.field("rps_ratio", rpsRatio);
            report.field("p99_ratio", p99Ratio);
            report.finish();
            return 0;
        } finally {
            for (int i = running.size() - 1; i >= 0; i--) {
                running.get(i).close();
            }
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    private static ServerProcess add(List<ServerProcess> running, ServerProcess p) {
        running.add(p);
        return p;
    }
}
