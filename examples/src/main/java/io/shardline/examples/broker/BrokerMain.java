package io.shardline.examples.broker;

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
 * {@code ./shardline broker}: the Kafka-wire broker until interrupted (Ctrl-C). Runs on the main thread,
 * which only starts and stops it. Bad options print the usage and exit with 2.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run a Kafka-compatible broker on N shards, each partition owned by one shard.")
public final class BrokerMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", description = "port to listen on (default: ${DEFAULT-VALUE})")
    int port = 9092;

    @Option(names = "--bind", paramLabel = "ADDR", description = "address to bind (default: ${DEFAULT-VALUE})")
    String bind = "127.0.0.1";

    @Option(names = "--advertised-host", paramLabel = "H", description = "host Metadata gives clients (default: the bind address)")
    String advertisedHost;

    @Option(names = "--shards", paramLabel = "N", description = "shards (default: one per CPU)")
    int shards = Runtime.getRuntime().availableProcessors();

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: ${DEFAULT-VALUE})")
    Path data = Path.of("./broker-data");

    @Option(names = "--num-partitions", paramLabel = "N", description = "partitions of an auto-created topic (default: ${DEFAULT-VALUE})")
    int numPartitions = 1;

    @Option(names = "--auto-create-topics", paramLabel = "true|false", arity = "1",
            description = "create unknown topics on Metadata and Produce (default: ${DEFAULT-VALUE})")
    String autoCreate = "true";

    @Option(names = "--retention-bytes", paramLabel = "B", description = "per partition; -1 keeps all (default: ${DEFAULT-VALUE})")
    long retentionBytes = -1;

    @Option(names = "--retention-ms", paramLabel = "T", description = "per partition; -1 keeps all (default: ${DEFAULT-VALUE})")
    long retentionMs = -1;

    @Option(names = "--segment-bytes", paramLabel = "B", description = "a partition's segment size (default: ${DEFAULT-VALUE})")
    int segmentBytes = BrokerConfig.DEFAULT_SEGMENT_BYTES;

    @Option(names = "--group-initial-rebalance-delay-ms", paramLabel = "T",
            description = "how long a group's first rebalance waits for more members (default: ${DEFAULT-VALUE})")
    int groupInitialRebalanceDelayMs = GroupConfig.DEFAULTS.initialRebalanceDelayMs();
    @Mixin
    MetricsOption metrics = new MetricsOption();

    public static void main(String[] args) {
        System.exit(new CommandLine(new BrokerMain()).execute(args));
    }

    /** The settings these options describe; a {@link ParameterException} (usage, exit 2) for bad values. */
    BrokerConfig config() {
        if (shards < 1 || shards > 1024) {
            throw new ParameterException(spec.commandLine(), "--shards must be 1..1024, was " + shards);
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0..65535, was " + port);
        }
        if (numPartitions < 1) {
            throw new ParameterException(spec.commandLine(), "--num-partitions must be at least 1, was " + numPartitions);
        }
        if (segmentBytes < 4096 || segmentBytes > (1 << 30)) {
            throw new ParameterException(spec.commandLine(), "--segment-bytes must be 4096..1073741824, was " + segmentBytes);
        }
        if (retentionBytes == 0 || retentionBytes < -1 || retentionMs == 0 || retentionMs < -1) {
            throw new ParameterException(spec.commandLine(), "--retention-bytes and --retention-ms must be positive or -1");
        }
        boolean auto = switch (autoCreate.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ParameterException(spec.commandLine(), "--auto-create-topics must be true or false, was "
                    + autoCreate);
        };
        return new BrokerConfig(new InetSocketAddress(bind, port), advertisedHost, shards, data, numPartitions, auto,
                retentionBytes, retentionMs, segmentBytes, BrokerConfig.DEFAULT_MAX_REQUEST_BYTES,
                BrokerConfig.DEFAULT_MAX_MESSAGE_BYTES, 30_000, System::currentTimeMillis);
    }

    /** The group coordinator's settings these options describe. */
    GroupConfig groupConfig() {
        if (groupInitialRebalanceDelayMs < 0) {
            throw new ParameterException(spec.commandLine(), "--group-initial-rebalance-delay-ms must not be negative, was "
                    + groupInitialRebalanceDelayMs);
        }
        return GroupConfig.DEFAULTS.withInitialRebalanceDelayMs(groupInitialRebalanceDelayMs);
    }

    @Override
    public Integer call() throws Exception {
        BrokerConfig config = config();
        GroupConfig groups = groupConfig();
        metrics.address(); // a bad --metrics is a usage error before anything starts
        CountDownLatch stopped = new CountDownLatch(1);
        BrokerServer server;
        try {
            server = BrokerServer.start(config, groups);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("shardline broker: cannot start: " + cause.getMessage());
            return 1;
        } catch (java.io.IOException | java.io.UncheckedIOException | io.shardline.storage.StorageException e) {
            System.err.println("shardline broker: " + e.getMessage());
            return 1;
        }
        MetricsServer exporter;
        try {
            exporter = metrics.start(server.runtime(), java.util.List.of(new BrokerMetrics(server)));
        } catch (RuntimeException e) {
            server.close();
            System.err.println("shardline broker: cannot serve --metrics: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (exporter != null) {
                    exporter.close();
                }
                server.close();
            } finally {
                stopped.countDown();
            }
        }, "broker-shutdown"));
        System.out.printf("shardline broker on %s:%d, %d shards, data in %s%s%n", bind, server.port(), shards,
                data.toAbsolutePath().normalize(), MetricsOption.banner(exporter));
        stopped.await();
        return 0;
    }
}
