package io.shardline.examples.broker;

import io.shardline.net.metrics.MetricFamilies;
import io.shardline.net.metrics.ShardMetrics;
import io.shardline.shard.Shard;
import java.util.List;

/**
 * The broker's counters for the metrics exporter: Produce and Fetch requests, bytes and errors by
 * topic. Immutable; one instance serves every shard, sampling the {@link BrokerShard} of the shard it
 * is called on.
 */
final class BrokerMetrics implements ShardMetrics {
    private final BrokerServer server;

    BrokerMetrics(BrokerServer server) {
        this.server = server;
    }

    private record Copy(List<TopicStats.Entry> topics) implements Sample {
        @Override
        public void writeTo(MetricFamilies out, String shard) {
            for (TopicStats.Entry e : topics) {
                String t = e.topic();
                out.counter("shardline_broker_produce_requests", "Produce requests, once per topic they name, on "
                                + "the shard of the client's connection", e.produceRequests(), "shard", shard, "topic", t)
                        .counter("shardline_broker_produce_bytes", "Record-batch bytes sent in Produce requests",
                                e.produceBytes(), "shard", shard, "topic", t)
                        .counter("shardline_broker_produce_errors", "Partitions of Produce requests answered with an "
                                + "error", e.produceErrors(), "shard", shard, "topic", t)
                        .counter("shardline_broker_fetch_requests", "Fetch requests, once per topic they name",
                                e.fetchRequests(), "shard", shard, "topic", t)
                        .counter("shardline_broker_fetch_bytes", "Record-batch bytes sent in Fetch responses",
                                e.fetchBytes(), "shard", shard, "topic", t)
                        .counter("shardline_broker_fetch_errors", "Partitions of Fetch requests answered with an error",
                                e.fetchErrors(), "shard", shard, "topic", t);
            }
        }
    }

    @Override
    public Sample sample(Shard shard) {
        return new Copy(server.shards().local().stats.copy());
    }
}
