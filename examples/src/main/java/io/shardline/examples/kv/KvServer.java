package io.shardline.examples.kv;

import io.shardline.net.Net;
import io.shardline.net.ServerOptions;
import io.shardline.net.TcpServer;
import io.shardline.shard.ShardRuntime;
import io.shardline.shard.Sharded;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running Redis-compatible KV server: N shards, each owning the hash slots its {@link SlotTable} gives it, a listener on
 * every shard, and a log per shard. Thread-safe to start and close from any one thread; nothing here
 * changes after the start: counters and data live on the shards, and INFO sums the counters on demand.
 */
public final class KvServer implements AutoCloseable {
    private final KvConfig config;
    private final ShardRuntime runtime;
    private final Sharded<KvShard> shards;
    private final Sharded<ShardPubSub> pubsub;
    private final TcpServer tcp;
    private final SlotTable slots;
    /** The cluster in cluster mode ({@code --cluster}), else null. */
    private final ClusterTopology cluster;
    private final long startedAtMillis = System.currentTimeMillis();
    /** Redis' run_id: 40 random hex characters, new at every start. */
    private final String runId = java.util.HexFormat.of().formatHex(randomBytes());
    private final ClientAdmission admission = new ClientAdmission();

    /** System property: how long (microseconds) an idle shard spins before it parks; 0 by default. */
    static final String SPIN_PROPERTY = "shardline.kv.spinMicros";

    private KvServer(KvConfig config, ClusterConfig clusterConfig) throws Exception {
        this.config = config;
        ClusterTopology planned = clusterConfig == null ? null : ClusterTopology.open(config.dataDir(), clusterConfig);
        this.slots = planned == null ? SlotTable.evenSplit(config.shards()) : planned.placement();
        // An idle shard parks at once instead of spinning first: measured with redis-benchmark on 2 cores,
        // the loop's 20 us spin (and its clock reads) cost about 1.5 us of CPU per request at -P 1 and
        // 0.1 at -P 16, with no change in median latency. -Dshardline.kv.spinMicros=N spins N us again.
        long spinMicros = Long.getLong(SPIN_PROPERTY, 0);
        ShardRuntime.Builder rb = ShardRuntime.builder().shards(config.shards()).pin(ShardPinning.pin(config.shards()))
                .loop(l -> l.spin(java.time.Duration.ofNanos(spinMicros * 1000)));
        this.runtime = Net.install(rb).start();
        this.pubsub = runtime.sharded(shard -> new ShardPubSub(shard.id(), this, slots));
        Sharded<KvShard> created = null;
        TcpServer server = null;
        try {
            if (config.dataDir() != null) {
                boolean even = slots.samePlacement(SlotTable.evenSplit(config.shards()));
                DataDirectory.prepare(runtime, config, slots, even ? DataDirectory.PLACEMENT
                        : DataDirectory.CLUSTER + clusterConfig.firstLocalNode() + "/" + clusterConfig.nodes());
            }
            created = runtime.sharded(shard -> new KvShard(shard.id(), shard.loop(), config));
            Sharded<KvShard> s = created;
            runtime.submitToAllAsync(() -> {
                s.local().events().publishTo(this);
                return s.local().open();
            }).get(10, TimeUnit.MINUTES);
            if (planned == null) {
                server = TcpServer.start(runtime, config.address(), serverOptions(config), () -> new KvConnection(this));
            } else {
                // Shard i is node i of this process, on port P + i (each on a free port of its own when P is 0).
                int base = config.address().getPort();
                server = TcpServer.startEach(runtime, i -> new InetSocketAddress(config.address().getAddress(),
                        base == 0 ? 0 : base + i), serverOptions(config), () -> new KvConnection(this));
            }
        } catch (Exception e) {
            runtime.close();
            throw e;
        }
        this.shards = created;
        this.tcp = server;
        this.cluster = planned == null ? null : planned.withLocalPorts(ports(server, config.shards()), config.dataDir());
    }

    private static int[] ports(TcpServer server, int shards) {
        int[] ports = new int[shards];
        for (int i = 0; i < shards; i++) {
            ports[i] = server.address(i).getPort();
        }
        return ports;
    }

    /**
     * The sockets' queue limit is raised above the pub/sub hard limit, so that a subscriber is cut off
     * by that limit, as Redis does, rather than by the transport's.
     */
    private static ServerOptions serverOptions(KvConfig config) {
        ServerOptions options = ServerOptions.DEFAULT;
        io.shardline.net.ConnectionOptions c = options.connection();
        long wanted = config.pubsubLimits().hardBytes() + 2L * KvConnection.FLUSH_BYTES;
        if (c.maxQueuedBytes() >= wanted) {
            return options;
        }
        return options.withConnection(new io.shardline.net.ConnectionOptions(c.lowWatermark(), c.highWatermark(), wanted,
                c.idleTimeout(), c.readTimeout()));
    }

    /** Starts a server and returns once every shard has loaded its data and listens. */
    public static KvServer start(KvConfig config) throws Exception {
        return new KvServer(config, null);
    }

    /**
     * Starts a server in cluster mode: each shard a master node of {@code cluster} on its own port,
     * redirecting keys of other nodes' slots. Returns once every shard has loaded its data and listens.
     */
    public static KvServer start(KvConfig config, ClusterConfig cluster) throws Exception {
        return new KvServer(config, java.util.Objects.requireNonNull(cluster, "cluster"));
    }

    /** The cluster this server is part of, or null when it runs without {@code --cluster}. */
    ClusterTopology cluster() {
        return cluster;
    }

    /** The port shard {@code shard} listens on: in cluster mode each shard has its own. */
    public int port(int shard) {
        return cluster == null ? tcp.port() : tcp.address(shard).getPort();
    }

    public int port() {
        return tcp.port();
    }

    /** maxclients: the count of open client connections every shard admits against. */
    ClientAdmission admission() {
        return admission;
    }

    public KvConfig config() {
        return config;
    }

    /** The shards it runs on. */
    public ShardRuntime runtime() {
        return runtime;
    }

    Sharded<KvShard> shards() {
        return shards;
    }

    /** Each shard's pub/sub state. */
    Sharded<ShardPubSub> pubsub() {
        return pubsub;
    }

    /** Which shard owns each hash slot. */
    SlotTable slots() {
        return slots;
    }

    String runId() {
        return runId;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[20];
        new java.util.Random().nextBytes(b);
        return b;
    }

    long uptimeSeconds() {
        return (System.currentTimeMillis() - startedAtMillis) / 1000;
    }

    /** Runs {@code fn} on shard {@code shard}'s thread (for tools that drive a connection in-process). */
    <T> CompletableFuture<T> onShard(int shard, java.util.concurrent.Callable<T> fn) {
        return runtime.submit(shard, fn);
    }

    /** Snapshots every shard's keyspace and truncates its log (what a log-size trigger does by itself). */
    public void compactAll() throws Exception {
        for (int i = 0; i < config.shards(); i++) {
            runtime.submitAsync(i, () -> shards.local().compact()).get(1, TimeUnit.MINUTES);
        }
    }

    /** Stops listening, closes the connections, writes and closes every shard's log, stops the shards. */
    @Override
    public void close() {
        try {
            tcp.close();
        } finally {
            try {
                runtime.submitToAllAsync(() -> shards.local().close()).get(1, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new IllegalStateException("closing the shards' logs failed", e);
            } finally {
                runtime.close();
            }
        }
    }
}
