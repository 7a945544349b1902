package io.shardline.examples.kv;

import io.shardline.examples.MetricsOption;
import io.shardline.net.metrics.MetricsServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./shardline kv}: the Redis-compatible KV server until interrupted (Ctrl-C). Runs on the main
 * thread, which only starts and stops it.
 */
@Command(name = "kv", mixinStandardHelpOptions = true,
        description = "Run a Redis-compatible key-value server on N shards, persisted per shard.")
public final class KvMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", description = "port to listen on (default: ${DEFAULT-VALUE})")
    int port = 6379;

    @Option(names = "--bind", paramLabel = "ADDR", description = "address to bind (default: ${DEFAULT-VALUE})")
    String bind = "127.0.0.1";

    @Option(names = "--shards", paramLabel = "N", description = "shards (default: one per CPU)")
    int shards = Runtime.getRuntime().availableProcessors();

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: ${DEFAULT-VALUE})")
    Path data = Path.of("./data");

    @Option(names = "--fsync", paramLabel = "MODE", description = "always, everysec or no, as Redis' appendfsync, "
            + "when the log is on (default: ${DEFAULT-VALUE})")
    String fsync = "everysec";

    @Option(names = "--appendonly", paramLabel = "yes|no", description = "yes: log every write and snapshot per shard in "
            + "--data; no: keep no log and no snapshot, write nothing to disk (a cache), as Redis' appendonly "
            + "(default: ${DEFAULT-VALUE})")
    String appendOnly = "yes";

    @Option(names = "--requirepass", paramLabel = "PW", description = "password clients must AUTH with")
    String requirePass;

    @Option(names = "--proto-max-bulk-len", paramLabel = "BYTES", description = "largest bulk string a client may send "
            + "(default: ${DEFAULT-VALUE})")
    long maxBulk = KvConfig.DEFAULT_MAX_BULK;

    @Option(names = "--maxmemory", paramLabel = "BYTES", description = "Redis' maxmemory: past it, commands that may grow "
            + "memory get -OOM; units kb, mb, gb as Redis takes them; 0 (default) uses half the JVM's maximum heap")
    String maxMemory = "0";

    @Option(names = "--max-args", paramLabel = "N", description = "most arguments in one request (default: ${DEFAULT-VALUE})")
    int maxArgs = KvConfig.DEFAULT_MAX_ARGUMENTS;

    @Option(names = "--databases", paramLabel = "N", description = "Redis' databases: numbered databases, SELECT 0..N-1 "
            + "(default: ${DEFAULT-VALUE})")
    int databases = KvConfig.DEFAULT_DATABASES;

    @Mixin
    MetricsOption metrics = new MetricsOption();
    @Option(names = "--cluster", description = "Redis Cluster mode: shard i is a master node on port P+i, owning a "
            + "range of the 16384 slots, and redirects the keys of other nodes' slots with -MOVED")
    boolean cluster;

    @Option(names = "--cluster-nodes", paramLabel = "LIST", description = "every process of the cluster as "
            + "host:port/shards,... (this one included), in the same order everywhere; implies --cluster")
    String clusterNodes;

    public static void main(String[] args) {
        System.exit(new CommandLine(new KvMain()).execute(args));
    }

    /** The settings these options describe; a {@link ParameterException} for bad values. */
    KvConfig config() {
        if (shards < 1 || shards > 1024) {
            throw new ParameterException(spec.commandLine(), "--shards must be 1..1024, was " + shards);
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0..65535, was " + port);
        }
        if (maxBulk < 1 || maxArgs < 1) {
            throw new ParameterException(spec.commandLine(), "--proto-max-bulk-len and --max-args must be positive");
        }
        if (databases < 1 || databases > KvConfig.MAX_DATABASES) {
            throw new ParameterException(spec.commandLine(), "--databases must be 1.." + KvConfig.MAX_DATABASES + ", was " + databases);
        }
        if (requirePass != null && requirePass.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--requirepass must not be empty");
        }
        boolean persistent = switch (appendOnly.toLowerCase(java.util.Locale.ROOT)) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new ParameterException(spec.commandLine(), "--appendonly must be yes or no, was " + appendOnly);
        };
        KvConfig c;
        try {
            c = KvConfig.inMemory(shards).withFsync(fsync);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        long maxMemoryBytes;
        try {
            maxMemoryBytes = MemoryLimit.parse(maxMemory);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--maxmemory: " + e.getMessage());
        }
        return new KvConfig(new InetSocketAddress(bind, port), shards, persistent ? data : null, c.durability(), fsync,
                requirePass, maxBulk, maxArgs, KvConfig.DEFAULT_COMPACT_BYTES, System::currentTimeMillis, maxMemoryBytes,
                PubSubLimits.REDIS, databases);
    }

    /** The cluster these options describe, or null without --cluster; a {@link ParameterException} for a bad list. */
    ClusterConfig clusterConfig() {
        if (clusterNodes == null) {
            return cluster ? ClusterConfig.single(bind, port, shards) : null;
        }
        try {
            return ClusterConfig.parse(clusterNodes, bind, port, shards);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        KvConfig config = config();
        metrics.address(); // a bad --metrics is a usage error before anything starts
        ClusterConfig clusterConfig = clusterConfig();
        CountDownLatch stopped = new CountDownLatch(1);
        KvServer server;
        try {
            server = clusterConfig == null ? KvServer.start(config) : KvServer.start(config, clusterConfig);
        } catch (java.util.concurrent.ExecutionException e) {
            // A shard could not load its data (a corrupt log or snapshot, a directory it may not use).
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("shardline kv: cannot start: " + cause.getMessage());
            return 1;
        } catch (IllegalArgumentException | java.io.UncheckedIOException | io.shardline.storage.StorageException e) {
            System.err.println("shardline kv: " + e.getMessage());
            return 2;
        }
        MetricsServer exporter;
        try {
            exporter = metrics.start(server.runtime(), java.util.List.of(new KvMetrics(server)));
        } catch (RuntimeException e) {
            server.close();
            System.err.println("shardline kv: cannot serve --metrics: " + e.getMessage());
            return 1;
        }
        // The hook closes the server itself: the JVM exits once hooks finish, so the logs are flushed here.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (exporter != null) {
                    exporter.close();
                }
                server.close();
            } finally {
                stopped.countDown();
            }
        }, "kv-shutdown"));
        String persistence = config.dataDir() == null ? "appendonly no (no log, no snapshot)"
                : "data in " + data.toAbsolutePath().normalize() + ", fsync " + fsync;
        System.out.printf("shardline kv on %s:%d, %d shards, %s%s%s%n", bind, server.port(), shards, persistence,
                requirePass != null ? ", password required" : "",
                (clusterConfig == null ? "" : ", cluster mode: node per shard on ports " + server.port(0) + ".."
                        + server.port(shards - 1) + " of " + clusterConfig.nodes() + " nodes") + MetricsOption.banner(exporter));
        stopped.await();
        return 0;
    }
}
