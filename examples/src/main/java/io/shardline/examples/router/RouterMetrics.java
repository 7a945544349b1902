package io.shardline.examples.router;

import io.shardline.net.metrics.MetricFamilies;
import io.shardline.net.metrics.ShardMetrics;
import io.shardline.shard.Shard;

/**
 * The router's counters for the metrics exporter: requests by route, upstream and status, and each
 * route's latency histogram. Immutable; one instance serves every shard, copying the
 * {@link RouterStats} of the shard it is called on.
 */
final class RouterMetrics implements ShardMetrics {
    private final RouterServer server;

    RouterMetrics(RouterServer server) {
        this.server = server;
    }

    private record Copy(RouterStats.Snapshot stats) implements Sample {
        @Override
        public void writeTo(MetricFamilies out, String shard) {
            for (RouterStats.RequestCount r : stats.requests()) {
                out.counter("shardline_router_requests", "Requests proxied, by route, upstream ('-' when none was "
                                + "reached) and the status answered", r.count(), "shard", shard, "route", r.route(),
                        "upstream", r.upstream(), "status", Integer.toString(r.status()));
            }
            for (RouterStats.LatencyHistogram h : stats.latencies()) {
                long[] counts = new long[h.cumulative().length]; // the exporter takes each bucket's own count
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = h.cumulative()[i] - (i == 0 ? 0 : h.cumulative()[i - 1]);
                }
                out.histogram("shardline_router_request_duration_seconds", "Time from a request's head to the end "
                                + "of its response, by route", bounds(), counts, h.sumSeconds(), "shard", shard,
                        "route", h.route());
            }
        }
    }

    /** The histogram's bounds with +Inf last, as the exporter's buckets end. */
    private static double[] bounds() {
        double[] b = java.util.Arrays.copyOf(RouterStats.LATENCY_BOUNDS_SECONDS, RouterStats.LATENCY_BOUNDS_SECONDS.length + 1);
        b[b.length - 1] = Double.POSITIVE_INFINITY;
        return b;
    }

    @Override
    public Sample sample(Shard shard) {
        return new Copy(server.localStats().snapshot());
    }
}
