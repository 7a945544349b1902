package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.core.Loop;
import io.shardline.core.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One shard's part of the broker: its copy of the topic table and the partitions it owns, which it
 * appends to, reads, long-polls and applies retention to. Owned by that shard; not thread-safe, every
 * method runs on the shard (other shards reach it through the mesh).
 */
final class BrokerShard {
    private static final Logger LOG = Logger.getLogger(BrokerShard.class.getName());

    /** A partition of a request, as it travels to its owner; {@code records} and {@code offset} as the API needs. */
    record Part(String topic, int partition, long offset, int maxBytes, byte[] records) {
    }

    final int id;
    private final int shards;
    private final Loop loop;
    private final BrokerConfig config;
    final TopicTable topics = new TopicTable();
    /** Produce and Fetch counters by topic, for the requests of this shard's connections (metrics). */
    final TopicStats stats = new TopicStats(topics);
    /** By topic name: the partitions this shard owns at their index, null for the others. */
    private final Map<String, PartitionLog[]> owned = new HashMap<>();
    /** The recent batches the owned partitions keep in memory for fetches near their tails. */
    private final BatchCache cache = new BatchCache(BatchCache.DEFAULT_BYTES);
    private Timer retention;
    /**
     * Producer ids this shard hands out: {@code seed + k * shards + id}, so shards never collide; the seed is
     * the start time in milliseconds times 1024, so ids of a later start are larger than those the partitions'
     * producer state recovered (unless one start handed out over 1024 ids per millisecond it ran).
     */
    private final long producerIdSeed;
    private long producerIds;
    /** The groups this shard coordinates; set once by the server right after the shard's creation. */
    private GroupCoordinator groups;

    BrokerShard(int id, int shards, Loop loop, BrokerConfig config, long producerIdSeed) {
        this.id = id;
        this.shards = shards;
        this.loop = loop;
        this.config = config;
        this.producerIdSeed = producerIdSeed;
    }

    BrokerShard withGroups(GroupCoordinator g) {
        this.groups = g;
        return this;
    }

    GroupCoordinator groups() {
        return groups;
    }

    long nextProducerId() {
        return producerIdSeed + producerIds++ * shards + id;
    }

    /** The shard that owns a partition: consecutive partitions of a topic go to consecutive shards. */
    static int ownerOf(String topic, int partition, int shards) {
        return Math.floorMod(topic.hashCode() + partition, shards);
    }

    int ownerOf(String topic, int partition) {
        return ownerOf(topic, partition, shards);
    }

    /** Opens the partitions of the topics the broker starts with and starts the retention timer. */
    Future<Void> open(List<TopicInfo> initial) {
        List<Future<Void>> all = new ArrayList<>();
        for (TopicInfo t : initial) {
            all.add(applyCreate(t));
        }
        all.add(groups.offsets.open());
        // Always on: a topic may set its own retention; a partition without limits costs a loop over its segments' heads.
        Duration every = Duration.ofMillis(Math.max(1, config.retentionCheckMs()));
        retention = loop.schedulePeriodic(every, every, this::applyRetention);
        return Futures.all(all).map(l -> null);
    }

    /** The controller created {@code t}: add it here and open the partitions this shard owns. */
    Future<Void> applyCreate(TopicInfo t) {
        topics.put(t);
        PartitionLog[] logs = new PartitionLog[t.partitions()];
        owned.put(t.name(), logs);
        List<Future<PartitionLog>> opening = new ArrayList<>();
        for (int p = 0; p < t.partitions(); p++) {
            if (ownerOf(t.name(), p) == id) {
                int index = p;
                opening.add(PartitionLog.open(t, p, config.partitionDir(t, p), config.logConfig(t, p), cache)
                        .map(log -> logs[index] = log));
            }
        }
        return Futures.all(opening).map(l -> null);
    }

    /** The controller deleted the topic: forget it and delete the partitions this shard owns. */
    Future<Void> applyDelete(String name) {
        topics.remove(name);
        PartitionLog[] logs = owned.remove(name);
        List<Future<Void>> deleting = new ArrayList<>();
        deleting.add(groups.offsets.dropTopic(name)); // as Kafka does: the topic's committed offsets go with it
        if (logs != null) {
            for (PartitionLog log : logs) {
                if (log != null) {
                    deleting.add(log.delete());
                }
            }
        }
        return Futures.all(deleting).map(l -> null);
    }

    /** The partition if this shard owns it and it exists, else null. */
    PartitionLog partition(String topic, int partition) {
        PartitionLog[] logs = owned.get(topic);
        return logs != null && partition >= 0 && partition < logs.length ? logs[partition] : null;
    }

    /** Appends each part's batch to its partition here. */
    Future<List<PartitionLog.Appended>> produce(List<Part> parts, short acks) {
        long now = config.clock().getAsLong();
        List<Future<PartitionLog.Appended>> all = new ArrayList<>(parts.size());
        for (Part part : parts) {
            PartitionLog log = partition(part.topic(), part.partition());
            all.add(log == null ? Future.succeeded(new PartitionLog.Appended(Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, -1))
                    : log.append(part.records(), acks, config.maxMessageBytes(), now));
        }
        return Futures.all(all);
    }

    /** Reads each part from its fetch offset, at most its max bytes. */
    Future<List<PartitionLog.Read>> read(List<Part> parts) {
        List<Future<PartitionLog.Read>> all = new ArrayList<>(parts.size());
        for (Part part : parts) {
            PartitionLog log = partition(part.topic(), part.partition());
            all.add(log == null ? Future.succeeded(new PartitionLog.Read(Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, null))
                    : log.read(part.offset(), part.maxBytes()));
        }
        return Futures.all(all);
    }

    /**
     * Waits until one of the parts' partitions has a high watermark past the part's offset (true) or
     * {@code maxWaitMs} pass on this shard's timer (false).
     */
    Future<Boolean> watch(List<Part> parts, long maxWaitMs) {
        FetchWatch w = new FetchWatch(loop);
        for (Part part : parts) {
            PartitionLog log = partition(part.topic(), part.partition());
            if (log == null || log.highWatermark() > part.offset()) {
                return Future.succeeded(true); // something to say already (data, or a vanished partition)
            }
        }
        for (Part part : parts) {
            w.watch(partition(part.topic(), part.partition()));
        }
        w.startTimer(loop, maxWaitMs);
        return w.done;
    }

    /** ListOffsets: {error, offset, timestamp} per part; the part's offset field carries the target timestamp. */
    Future<List<long[]>> listOffsets(List<Part> parts) {
        List<Future<long[]>> all = new ArrayList<>(parts.size());
        for (Part part : parts) {
            PartitionLog log = partition(part.topic(), part.partition());
            all.add(log == null ? Future.succeeded(new long[] {Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1})
                    : log.offsetForTimestamp(part.offset()).map(r -> new long[] {Errors.NONE, r[0], r[1]}));
        }
        return Futures.all(all);
    }

    /** The high watermarks of the named partitions this shard owns (for tests and tools); -1 where absent. */
    long[] highWatermarks(List<Part> parts) {
        long[] out = new long[parts.size()];
        for (int i = 0; i < out.length; i++) {
            PartitionLog log = partition(parts.get(i).topic(), parts.get(i).partition());
            out[i] = log == null ? -1 : log.highWatermark();
        }
        return out;
    }

    /**
     * Applies every owned partition's size and age retention; gives the number of segments deleted. A
     * failure is logged and the partition keeps its data.
     */
    Future<Integer> applyRetention() {
        List<Future<Integer>> all = new ArrayList<>();
        for (PartitionLog[] logs : owned.values()) {
            for (PartitionLog log : logs) {
                if (log != null) {
                    all.add(log.applyRetention(config.clock().getAsLong()).recover(e -> {
                        LOG.log(Level.WARNING, "retention of " + log.directory + " failed", e);
                        return 0;
                    }));
                }
            }
        }
        return Futures.all(all).map(l -> l.stream().mapToInt(Integer::intValue).sum());
    }

    /** Closes every owned partition's log, written and forced first. */
    Future<Void> close() {
        if (retention != null) {
            retention.cancel();
        }
        List<Future<Void>> all = new ArrayList<>();
        for (PartitionLog[] logs : owned.values()) {
            for (PartitionLog log : logs) {
                if (log != null) {
                    all.add(log.close());
                }
            }
        }
        owned.clear();
        groups.close();
        all.add(groups.offsets.close());
        return Futures.all(all).map(l -> null);
    }
}
