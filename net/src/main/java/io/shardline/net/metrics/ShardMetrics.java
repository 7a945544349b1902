package io.shardline.net.metrics;

import io.shardline.shard.Shard;

/**
 * An application's per-shard counters, as the metrics exporter gathers them: one instance serves
 * every shard, so it keeps no state of its own (it finds each shard's counters from the shard it is
 * called on). Its counters stay plain fields written only by their shard; nothing is shared on the
 * hot path.
 *
 * <p>At each scrape the exporter calls {@link #sample} on every shard's own thread, through the mesh;
 * the sample it returns is written out later on the scraping shard, so it must hold copies, never the
 * live counters or maps. A KV server, a broker or a router each pass theirs to {@link MetricsServer#start}:
 *
 * <pre>{@code
 * ShardMetrics router = shard -> {
 *     RouterStats.Copy c = stats.local().copy();          // on the shard: copy its counters
 *     return (out, id) -> c.writeTo(out, id);             // on the scraping shard: add the data points
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ShardMetrics {

    /** On {@code shard}'s own thread, at scrape time: a copy of its counters that can write them out. */
    Sample sample(Shard shard);

    /** A copy of one shard's counters; immutable, so it may travel to the scraping shard. */
    @FunctionalInterface
    interface Sample {
        /** Adds this shard's data points to {@code out}, each labelled {@code shard=shardLabel}. */
        void writeTo(MetricFamilies out, String shardLabel);
    }
}
