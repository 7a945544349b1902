package io.shardline.examples.kv;

import io.shardline.net.metrics.MetricFamilies;
import io.shardline.net.metrics.ShardMetrics;
import io.shardline.shard.Shard;
import java.util.List;

/**
 * The KV server's counters for the metrics exporter: commands by name with their calls and time, and
 * each shard's keys, clients and refusals. Immutable; one instance serves every shard, sampling the
 * {@link KvShard} of the shard it is called on.
 */
final class KvMetrics implements ShardMetrics {
    private final KvServer server;

    KvMetrics(KvServer server) {
        this.server = server;
    }

    /** One shard's copy. */
    private record Copy(List<CommandStats.Entry> commands, long keys, long clients, long rejected, long expired)
            implements Sample {
        @Override
        public void writeTo(MetricFamilies out, String shard) {
            for (CommandStats.Entry e : commands) {
                out.counter("shardline_kv_commands", "Commands dispatched, by name, on the shard of the client that "
                        + "sent them (INFO commandstats' calls)", e.calls(), "shard", shard, "cmd", e.command());
                out.counter("shardline_kv_command_seconds", "Time spent dispatching commands, by name (INFO "
                        + "commandstats' usec)", e.nanos() / 1e9, "shard", shard, "cmd", e.command());
            }
            out.counter("shardline_kv_rejected_commands", "Requests refused before running: unknown command, wrong "
                            + "arity, not authenticated, not allowed while subscribed", rejected, "shard", shard)
                    .counter("shardline_kv_expired_keys", "Keys removed because their time to live ran out", expired,
                            "shard", shard)
                    .gauge("shardline_kv_keys", "Keys the shard holds, over all databases", keys, "shard", shard)
                    .gauge("shardline_kv_connected_clients", "Client connections living on the shard", clients,
                            "shard", shard);
        }
    }

    @Override
    public Sample sample(Shard shard) {
        KvShard s = server.shards().local();
        return new Copy(s.stats.copy(), s.databases().size(), s.connectedClients, s.rejectedCommands,
                s.expiredKeys);
    }
}
