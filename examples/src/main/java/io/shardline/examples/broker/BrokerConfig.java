package io.shardline.examples.broker;

import io.shardline.storage.Durability;
import io.shardline.storage.LogConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The broker's settings. Immutable, any thread.
 *
 * @param address where to listen
 * @param advertisedHost the host Metadata gives clients (the bind address when null)
 * @param shards how many shards
 * @param dataDir where topics and partitions live
 * @param numPartitions partitions of an auto-created topic, and of CreateTopics' -1
 * @param autoCreateTopics whether Metadata and Produce create unknown topics
 * @param retentionBytes per partition, 0 or negative keeps all (Kafka's -1)
 * @param retentionMs per partition, 0 or negative keeps all (Kafka's -1)
 * @param segmentBytes a partition's segment rolls past this
 * @param maxRequestBytes a request frame larger than this closes the connection ({@code socket.request.max.bytes})
 * @param maxMessageBytes the largest batch a Produce may append ({@code message.max.bytes})
 * @param retentionCheckMs how often each shard applies retention to its partitions
 * @param clock wall-clock milliseconds, for LogAppendTime and segment ages (a manual one in tests)
 */
public record BrokerConfig(InetSocketAddress address, String advertisedHost, int shards, Path dataDir, int numPartitions,
        boolean autoCreateTopics, long retentionBytes, long retentionMs, int segmentBytes, int maxRequestBytes,
        int maxMessageBytes, long retentionCheckMs, LongSupplier clock) {

    public static final int DEFAULT_MAX_REQUEST_BYTES = 104_857_600;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
    public static final int DEFAULT_SEGMENT_BYTES = 64 << 20;
    /** This broker's node id, in Metadata's brokers and as its controller. */
    static final int NODE_ID = 0;

    /** Defaults for a test or an embedding: an ephemeral port on loopback. */
    public static BrokerConfig defaults(Path dataDir, int shards) {
        return new BrokerConfig(new InetSocketAddress("127.0.0.1", 0), null, shards, dataDir, 1, true, -1, -1,
                DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_MESSAGE_BYTES, 30_000, System::currentTimeMillis);
    }

    public BrokerConfig withNumPartitions(int n) {
        return new BrokerConfig(address, advertisedHost, shards, dataDir, n, autoCreateTopics, retentionBytes, retentionMs,
                segmentBytes, maxRequestBytes, maxMessageBytes, retentionCheckMs, clock);
    }

    public BrokerConfig withAutoCreate(boolean on) {
        return new BrokerConfig(address, advertisedHost, shards, dataDir, numPartitions, on, retentionBytes, retentionMs,
                segmentBytes, maxRequestBytes, maxMessageBytes, retentionCheckMs, clock);
    }

    public BrokerConfig withRetention(long bytes, long ms, int segment) {
        return new BrokerConfig(address, advertisedHost, shards, dataDir, numPartitions, autoCreateTopics, bytes, ms,
                segment, maxRequestBytes, maxMessageBytes, retentionCheckMs, clock);
    }

    public BrokerConfig withClock(LongSupplier millis) {
        return new BrokerConfig(address, advertisedHost, shards, dataDir, numPartitions, autoCreateTopics, retentionBytes,
                retentionMs, segmentBytes, maxRequestBytes, maxMessageBytes, retentionCheckMs, millis);
    }

    public BrokerConfig withPort(int port) {
        return new BrokerConfig(new InetSocketAddress(address.getAddress(), port), advertisedHost, shards, dataDir,
                numPartitions, autoCreateTopics, retentionBytes, retentionMs, segmentBytes, maxRequestBytes,
                maxMessageBytes, retentionCheckMs, clock);
    }

    /** The host clients are told to connect to. */
    String hostForClients() {
        return advertisedHost != null ? advertisedHost : address.getHostString();
    }

    /** The directory of one partition's log: the topic id in the name, so a re-created topic never finds old data. */
    Path partitionDir(TopicInfo t, int partition) {
        return dataDir.resolve(t.name() + "-" + partition + "." + t.id().toString().replace("-", ""));
    }

    /**
     * The log of one partition: forced only when acks=-1 asks (a flush, group-committed by the log), small
     * staging buffers since a broker may own many partitions, records as large as a batch may be.
     */
    LogConfig logConfig(TopicInfo t, int partition) {
        long retainBytes = t.longConfig(TopicInfo.RETENTION_BYTES, retentionBytes);
        long retainMs = t.longConfig(TopicInfo.RETENTION_MS, retentionMs);
        int segment = (int) t.longConfig(TopicInfo.SEGMENT_BYTES, segmentBytes);
        return LogConfig.builder(partitionDir(t, partition))
                .durability(Durability.never())
                .segmentBytes(segment)
                .maxRecordBytes(Math.max(maxMessageBytes, 1024))
                .writeBufferBytes(128 * 1024)
                .maxQueuedBytes(1L << 30) // each connection has at most 64 requests in flight: that bounds it first
                .retentionBytes(Math.max(0, retainBytes))
                .retentionAge(retainMs > 0 ? Duration.ofMillis(retainMs) : Duration.ZERO)
                .wallClock(clock)
                .build();
    }
}
