package io.shardline.examples;

import io.shardline.net.metrics.MetricsServer;
import io.shardline.net.metrics.ShardMetrics;
import io.shardline.shard.ShardRuntime;
import java.net.InetSocketAddress;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --metrics HOST:PORT}, shared by every server command as a picocli mixin: where to serve
 * Prometheus' {@code GET /metrics}. Used on the main thread only, which starts and stops the server.
 */
public final class MetricsOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--metrics", paramLabel = "HOST:PORT",
            description = "serve Prometheus metrics at http://HOST:PORT/metrics, e.g. 127.0.0.1:9100 (default: off)")
    String value;

    /** The address asked for, or null when off; a {@link ParameterException} (usage, exit 2) for a bad one. */
    public InetSocketAddress address() {
        if (value == null) {
            return null;
        }
        try {
            return MetricsServer.parseAddress(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** What the start banner says of the exporter: where it serves, or nothing when off. */
    public static String banner(MetricsServer exporter) {
        return exporter == null ? "" : ", metrics on http://" + exporter.address().getHostString() + ":"
                + exporter.port() + "/metrics";
    }

    /** Starts the exporter on {@code runtime} with the application's collectors, or returns null when off. */
    public MetricsServer start(ShardRuntime runtime, List<ShardMetrics> apps) {
        InetSocketAddress address = address();
        return address == null ? null : MetricsServer.start(runtime, address, apps);
    }
}
