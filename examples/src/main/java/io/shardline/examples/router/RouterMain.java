package io.shardline.examples.router;

import io.shardline.examples.MetricsOption;
import io.shardline.net.metrics.MetricsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./shardline router}: an HTTP reverse proxy on N shards until interrupted (Ctrl-C); SIGHUP
 * re-reads the config file and the flags' routes and switches every shard to them without dropping a
 * connection. Runs on the main thread, which only starts and stops it (the reload runs on the JVM's
 * signal thread). Bad options or a bad config print the usage and exit with 2.
 */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = "Run an HTTP/1.1 reverse proxy on N shards: routes by Host and longest path prefix, "
                + "balances across upstreams, keeps a connection pool per upstream on every shard.")
public final class RouterMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    MetricsOption metrics = new MetricsOption();

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "where to accept clients (default: 127.0.0.1:8080)")
    String listen;

    @Option(names = "--route", paramLabel = "[HOST]/PREFIX=UP[,UP...]",
            description = "a route, e.g. /api=127.0.0.1:9001,127.0.0.1:9002 or api.example.com/=127.0.0.1:9000; repeatable")
    List<String> routes = new ArrayList<>();

    @Option(names = "--balance", paramLabel = "MODE",
            description = "round-robin (default), least-conn, hash:header:NAME, hash:cookie:NAME or hash:path")
    String balance;

    @Option(names = "--config", paramLabel = "FILE", description = "a router.yaml; flags override what it says")
    Path configFile;

    @Option(names = "--shards", paramLabel = "N", description = "shards (default: one per CPU)")
    Integer shards;

    @Option(names = "--access-log", paramLabel = "FILE", description = "write an nginx combined-format access log (default: off)")
    Path accessLog;

    @Option(names = "--connect-timeout", paramLabel = "T", converter = DurationConverter.class,
            description = "upstream connect timeout (default: 5s)")
    Duration connectTimeout;

    @Option(names = "--response-timeout", paramLabel = "T", converter = DurationConverter.class,
            description = "time to the upstream's response head before a 504 (default: 60s)")
    Duration responseTimeout;

    @Option(names = "--pool-idle-timeout", paramLabel = "T", converter = DurationConverter.class,
            description = "close pooled upstream connections idle this long (default: 60s)")
    Duration poolIdleTimeout;

    @Option(names = "--max-idle", paramLabel = "N", description = "idle connections kept per upstream per shard (default: 32)")
    Integer maxIdle;

    @Option(names = "--max-fails", paramLabel = "N", description = "consecutive failures that eject an upstream (default: 3)")
    Integer maxFails;

    @Option(names = "--fail-timeout", paramLabel = "T", converter = DurationConverter.class,
            description = "how long an ejected upstream stays out (default: 10s)")
    Duration failTimeout;

    @Option(names = "--health-interval", paramLabel = "T", converter = DurationConverter.class,
            description = "active checks: GET the health path on every upstream this often (default: off)")
    Duration healthInterval;

    @Option(names = "--health-path", paramLabel = "PATH", description = "the active checks' path (default: /health)")
    String healthPath;

    /** Parses 500ms, 2s, 1m... for picocli. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RouterMain()).execute(args));
    }

    /** The flags as settings (null where not given). */
    RouterSettings flags() {
        RouterSettings s = new RouterSettings();
        s.listen = listen;
        s.shards = shards;
        s.balance = balance;
        s.accessLog = accessLog;
        s.connectTimeout = connectTimeout;
        s.responseTimeout = responseTimeout;
        s.poolIdleTimeout = poolIdleTimeout;
        s.maxIdle = maxIdle;
        s.maxFails = maxFails;
        s.failTimeout = failTimeout;
        s.healthInterval = healthInterval;
        s.healthPath = healthPath;
        for (String r : routes) {
            s.addRoute(r, null);
        }
        return s;
    }

    /** The config of the file (read again on each call) with the flags over it. */
    RouterConfig config() {
        RouterSettings top = flags();
        RouterSettings all = configFile == null ? top : top.over(ConfigFile.read(configFile));
        return all.toConfig();
    }

    @Override
    public Integer call() throws Exception {
        RouterConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        metrics.address(); // a bad --metrics is a usage error before anything starts
        RouterServer server;
        try {
            server = RouterServer.start(config);
        } catch (RuntimeException e) {
            System.err.println("shardline router: cannot start: " + e.getMessage());
            return 1;
        }
        MetricsServer exporter;
        try {
            exporter = metrics.start(server.runtime(), List.of(new RouterMetrics(server)));
        } catch (RuntimeException e) {
            server.close();
            System.err.println("shardline router: cannot serve --metrics: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (exporter != null) {
                    exporter.close();
                }
                server.close();
            } finally {
                stopped.countDown();
            }
        }, "router-shutdown"));
        Reload.onHangup(() -> reload(server));
        System.out.printf("shardline router on %s:%d, %d shards, %d routes%s%n", config.listen().getHostString(),
                server.port(), server.shards(), config.routes().size(), MetricsOption.banner(exporter));
        stopped.await();
        return 0;
    }

    /** Re-reads the config; a bad one is reported and the running one kept. */
    private void reload(RouterServer server) {
        try {
            RouterConfig next = config();
            server.reload(next);
            System.out.printf("shardline router: reloaded, %d routes%n", next.routes().size());
        } catch (RuntimeException e) {
            System.err.println("shardline router: reload refused, keeping the running config: " + e.getMessage());
        }
    }
}
