package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.core.Promise;
import io.shardline.shard.Shard;
import io.shardline.shard.Sharded;
import io.shardline.storage.Storage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Creates and deletes topics for the whole broker: the one authoritative topic list, persisted in
 * {@link TopicStore}'s file, and then every shard's {@link TopicTable} changed through the mesh before
 * the caller hears back. Owned by shard 0; not thread-safe: other shards call it through the mesh.
 *
 * <p>Operations run one at a time, each after the last one's shards are done, so a topic deleted and
 * created again never meets its old partitions being deleted.
 */
final class TopicController {
    /** One topic of a CreateTopics request (or an auto-creation). */
    record Spec(String name, int numPartitions, int replicationFactor, int assignedPartitions, boolean badAssignment,
            Map<String, String> configs) {
    }

    /** The outcome for one topic: the error code and message Kafka would give, and the topic if it exists now. */
    record Result(String name, short error, String message, TopicInfo topic) {
    }

    /** Each partition is a log with its own buffers and files: a topic may have at most this many. */
    static final int MAX_PARTITIONS = 1000;

    private final Shard shard;
    private final Sharded<BrokerShard> shards;
    private final BrokerConfig config;
    private final String clusterId;
    private final Map<String, TopicInfo> topics = new LinkedHashMap<>();
    private Future<?> tail = Future.succeeded(null);

    TopicController(Shard shard, Sharded<BrokerShard> shards, BrokerConfig config, TopicStore.Contents loaded) {
        this.shard = shard;
        this.shards = shards;
        this.config = config;
        this.clusterId = loaded.clusterId();
        for (TopicInfo t : loaded.topics()) {
            topics.put(t.name(), t);
        }
    }

    /** Creates each valid topic that does not exist yet (none when {@code validateOnly}). */
    Future<List<Result>> create(List<Spec> specs, boolean validateOnly) {
        return serial(() -> {
            List<Result> results = new ArrayList<>();
            List<TopicInfo> created = new ArrayList<>();
            for (Spec s : specs) {
                Result r = check(s);
                if (r == null) {
                    int n = s.assignedPartitions() > 0 ? s.assignedPartitions()
                            : s.numPartitions() == -1 ? config.numPartitions() : s.numPartitions();
                    TopicInfo t = new TopicInfo(s.name(), n, UUID.randomUUID(), s.configs());
                    r = new Result(s.name(), Errors.NONE, null, t);
                    if (!validateOnly) {
                        topics.put(t.name(), t);
                        created.add(t);
                    }
                }
                results.add(r);
            }
            if (created.isEmpty()) {
                return Future.succeeded(results);
            }
            return persist().flatMap(v -> broadcast(created, true)).map(v -> results);
        });
    }

    private Result check(Spec s) {
        String invalid = TopicInfo.invalidName(s.name());
        if (invalid != null) {
            return new Result(s.name(), Errors.INVALID_TOPIC_EXCEPTION, invalid, null);
        }
        if (topics.containsKey(s.name())) {
            return new Result(s.name(), Errors.TOPIC_ALREADY_EXISTS, "Topic '" + s.name() + "' already exists.", null);
        }
        if (s.badAssignment()) {
            return new Result(s.name(), Errors.INVALID_REPLICA_ASSIGNMENT,
                    "Replica assignment names a broker other than " + BrokerConfig.NODE_ID + ".", null);
        }
        if (s.assignedPartitions() == 0 && (s.numPartitions() == 0 || s.numPartitions() < -1)) {
            return new Result(s.name(), Errors.INVALID_PARTITIONS, "Number of partitions must be larger than 0.", null);
        }
        int partitions = s.assignedPartitions() > 0 ? s.assignedPartitions() : s.numPartitions();
        if (partitions > MAX_PARTITIONS) {
            return new Result(s.name(), Errors.INVALID_PARTITIONS, "Number of partitions must be at most " + MAX_PARTITIONS
                    + " on this broker.", null);
        }
        if (s.assignedPartitions() == 0 && s.replicationFactor() != -1 && s.replicationFactor() != 1) {
            if (s.replicationFactor() <= 0) {
                return new Result(s.name(), Errors.INVALID_REPLICATION_FACTOR,
                        "Replication factor must be larger than 0, or -1 to use the default value.", null);
            }
            return new Result(s.name(), Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition "
                    + s.replicationFactor() + " time(s): The target replication factor of " + s.replicationFactor()
                    + " cannot be reached because only 1 broker(s) are registered.", null);
        }
        for (String numeric : new String[] {TopicInfo.RETENTION_BYTES, TopicInfo.RETENTION_MS, TopicInfo.SEGMENT_BYTES}) {
            String v = s.configs().get(numeric);
            String invalid2 = v == null ? null : TopicInfo.invalidNumber(numeric, v);
            if (invalid2 != null) {
                return new Result(s.name(), Errors.INVALID_CONFIG, invalid2, null);
            }
        }
        String type = s.configs().get(TopicInfo.TIMESTAMP_TYPE);
        if (type != null && !type.equals("CreateTime") && !type.equals("LogAppendTime")) {
            return new Result(s.name(), Errors.INVALID_CONFIG, "Invalid value " + type + " for configuration "
                    + TopicInfo.TIMESTAMP_TYPE + ": String must be one of: CreateTime, LogAppendTime", null);
        }
        return null;
    }

    /** Deletes each named topic (a null name is looked up by {@code ids}' entry at the same index). */
    Future<List<Result>> delete(List<String> names, List<UUID> ids) {
        return serial(() -> {
            List<Result> results = new ArrayList<>();
            List<TopicInfo> gone = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                TopicInfo t = name != null ? topics.get(name) : byId(ids.get(i));
                if (t == null) {
                    results.add(name != null
                            ? new Result(name, Errors.UNKNOWN_TOPIC_OR_PARTITION,
                                    "This server does not host this topic-partition.", null)
                            : new Result(null, Errors.UNKNOWN_TOPIC_ID, "This server does not host this topic ID.", null));
                    continue;
                }
                topics.remove(t.name());
                gone.add(t);
                results.add(new Result(t.name(), Errors.NONE, null, t));
            }
            if (gone.isEmpty()) {
                return Future.succeeded(results);
            }
            return persist().flatMap(v -> broadcast(gone, false)).map(v -> results);
        });
    }

    private TopicInfo byId(UUID id) {
        for (TopicInfo t : topics.values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        return null;
    }

    String clusterId() {
        return clusterId;
    }

    private Future<Void> persist() {
        TopicStore.Contents c = new TopicStore.Contents(clusterId, new ArrayList<>(topics.values()));
        return Storage.fileIo(shard.loop()).run(() -> {
            TopicStore.save(config.dataDir(), c);
            return null;
        });
    }

    private Future<Void> broadcast(List<TopicInfo> changed, boolean create) {
        Sharded<BrokerShard> s = shards;
        return shard.invokeOnAllAsync(() -> {
            BrokerShard local = s.local();
            List<Future<Void>> each = new ArrayList<>();
            for (TopicInfo t : changed) {
                each.add(create ? local.applyCreate(t) : local.applyDelete(t.name()));
            }
            return io.shardline.core.Futures.all(each).map(l -> (Void) null);
        }).map(l -> null);
    }

    /** Runs {@code op} after every earlier operation has finished, successfully or not. */
    private <T> Future<T> serial(Supplier<Future<T>> op) {
        Promise<T> p = new Promise<>(shard.loop());
        tail.whenComplete((v, e) -> {
            try {
                op.get().whenComplete(p::tryComplete);
            } catch (RuntimeException ex) {
                p.tryFail(ex);
            }
        });
        tail = p;
        return p;
    }

    /** Specs for auto-creating topics with the broker's defaults. */
    static List<Spec> autoCreate(List<String> names) {
        List<Spec> specs = new ArrayList<>(names.size());
        for (String n : names) {
            specs.add(new Spec(n, -1, -1, 0, false, new HashMap<>()));
        }
        return specs;
    }
}
