package io.shardline.examples.broker;

import io.shardline.net.ConnectionOptions;
import io.shardline.net.Net;
import io.shardline.net.ServerOptions;
import io.shardline.net.TcpServer;
import io.shardline.shard.Shard;
import io.shardline.shard.ShardRuntime;
import io.shardline.shard.Sharded;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running Kafka-wire broker: N shards, each owning the partitions that hash to it, a listener on every
 * shard, the topic controller on shard 0. Start and close it from any one thread; what it holds does not
 * change after the start, the data lives on the shards.
 */
public final class BrokerServer implements AutoCloseable {
    private final BrokerConfig config;
    private final ShardRuntime runtime;
    private final Sharded<BrokerShard> shards;
    private final TopicController controller;
    private final TcpServer tcp;
    private final String clusterId;

    private BrokerServer(BrokerConfig config, GroupConfig groupConfig) throws Exception {
        this.config = config;
        Files.createDirectories(config.dataDir());
        TopicStore.Contents loaded = TopicStore.load(config.dataDir());
        if (!Files.exists(config.dataDir().resolve(TopicStore.FILE))) {
            TopicStore.save(config.dataDir(), loaded); // the cluster id stays the same from the first start on
        }
        this.clusterId = loaded.clusterId();
        removeOrphanPartitions(config, loaded.topics());
        this.runtime = Net.install(ShardRuntime.builder().shards(config.shards())).start();
        try {
            // One for all shards, so their ranges interleave; the real wall clock even under a test's manual one,
            // so a restart never hands out an id whose state the partitions recovered.
            long producerIdSeed = System.currentTimeMillis() * 1024;
            this.shards = runtime.sharded(s -> new BrokerShard(s.id(), s.count(), s.loop(), config, producerIdSeed)
                    .withGroups(new GroupCoordinator(s.loop(), groupConfig,
                            new OffsetStore(s.loop(), config.dataDir(), s.id(), s.count(), config.clock()))));
            Sharded<BrokerShard> s = shards;
            this.controller = runtime.submit(0, () -> new TopicController(Shard.current(), s, config, loaded))
                    .get(1, TimeUnit.MINUTES);
            runtime.submitToAllAsync(() -> s.local().open(loaded.topics())).get(10, TimeUnit.MINUTES);
            this.tcp = TcpServer.start(runtime, config.address(), serverOptions(), () -> new BrokerConnection(this));
        } catch (Exception e) {
            runtime.close();
            throw e;
        }
    }

    /**
     * Deletes partition directories of topics the metadata file no longer names: left by a crash between a
     * DeleteTopics' metadata write and the shards' deletions. Runs on the starting thread, before any shard opens a log.
     */
    private static void removeOrphanPartitions(BrokerConfig config, List<TopicInfo> topics) throws java.io.IOException {
        java.util.Set<String> live = new java.util.HashSet<>();
        for (TopicInfo t : topics) {
            for (int p = 0; p < t.partitions(); p++) {
                live.add(config.partitionDir(t, p).getFileName().toString());
            }
        }
        java.util.regex.Pattern partitionDir = java.util.regex.Pattern.compile(".+-\\d+\\.[0-9a-f]{32}");
        List<java.nio.file.Path> orphans = new ArrayList<>();
        try (java.nio.file.DirectoryStream<java.nio.file.Path> ds = Files.newDirectoryStream(config.dataDir())) {
            for (java.nio.file.Path d : ds) {
                String name = d.getFileName().toString();
                if (Files.isDirectory(d) && partitionDir.matcher(name).matches() && !live.contains(name)) {
                    orphans.add(d);
                }
            }
        }
        for (java.nio.file.Path d : orphans) {
            java.util.logging.Logger.getLogger(BrokerServer.class.getName())
                    .warning("removing " + d + ": a partition of a deleted topic");
            try (java.util.stream.Stream<java.nio.file.Path> all = Files.walk(d)) {
                for (java.nio.file.Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    /** A Fetch response may be as large as the consumer's fetch.max.bytes (50 MiB by default): let it queue. */
    private static ServerOptions serverOptions() {
        ConnectionOptions c = ServerOptions.DEFAULT.connection();
        return ServerOptions.DEFAULT.withConnection(new ConnectionOptions(c.lowWatermark(), c.highWatermark(),
                256L << 20, c.idleTimeout(), c.readTimeout()));
    }

    /** Starts a broker and returns once every shard has opened its partitions and listens. */
    public static BrokerServer start(BrokerConfig config) throws Exception {
        return new BrokerServer(config, GroupConfig.DEFAULTS);
    }

    /** As {@link #start(BrokerConfig)}, with the group coordinator's settings. */
    public static BrokerServer start(BrokerConfig config, GroupConfig groups) throws Exception {
        return new BrokerServer(config, groups);
    }

    public int port() {
        return tcp.port();
    }

    /** The cluster id Metadata gives, kept in the data directory. */
    String clusterId() {
        return clusterId;
    }

    public BrokerConfig config() {
        return config;
    }

    /** The shards it runs on. */
    public ShardRuntime runtime() {
        return runtime;
    }

    Sharded<BrokerShard> shards() {
        return shards;
    }

    /** The controller; use it on shard 0 only. */
    TopicController controller() {
        return controller;
    }

    /** Runs {@code fn} on one shard's {@link BrokerShard} from outside the runtime (tests, tools). */
    <T> CompletableFuture<T> onShard(int shard, java.util.function.Function<BrokerShard, T> fn) {
        return runtime.submit(shard, () -> fn.apply(shards.local()));
    }

    /** Applies retention on every shard now (as each shard's timer does); gives the segments deleted. */
    public int applyRetention() throws Exception {
        int deleted = 0;
        for (int i = 0; i < config.shards(); i++) {
            deleted += runtime.submitAsync(i, () -> shards.local().applyRetention()).get(1, TimeUnit.MINUTES);
        }
        return deleted;
    }

    /** Stops listening, then writes, forces and closes every partition's log, then stops the shards. */
    @Override
    public void close() {
        try {
            tcp.close();
        } finally {
            try {
                runtime.submitToAllAsync(() -> shards.local().close()).get(1, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new IllegalStateException("closing the partitions' logs failed", e);
            } finally {
                runtime.close();
            }
        }
    }
}
