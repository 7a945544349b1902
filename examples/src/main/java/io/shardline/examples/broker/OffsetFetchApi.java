package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OffsetFetch v1-8 (v8 batched by group, v2+ a null topic list for all of a group's offsets): each group
 * is read on its coordinator shard. A partition without a committed offset gets offset -1 and empty
 * metadata, no error, as from Kafka. No transactions, so {@code require_stable} has nothing to wait for.
 * Stateless; runs on the connection's shard.
 */
final class OffsetFetchApi {
    private OffsetFetchApi() {
    }

    /** A topic asked for and its partitions. */
    record TopicRequest(String name, int[] partitions) {
    }

    /** One partition's answer. */
    record PartitionOffset(int partition, long offset, int leaderEpoch, String metadata) {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 6;
        List<String> groupIds = new ArrayList<>();
        List<List<TopicRequest>> asked = new ArrayList<>();
        if (v < 8) {
            groupIds.add(in.requiredString(flex));
            asked.add(readTopics(in, flex));
        } else {
            int n = in.arrayLength(flex);
            for (int i = 0; i < n; i++) {
                groupIds.add(in.requiredString(flex));
                asked.add(readTopics(in, flex));
                in.skipTaggedFields();
            }
        }
        if (v >= 7) {
            in.bool(); // require_stable
        }
        if (flex) {
            in.skipTaggedFields();
        }
        List<Future<Map<String, List<PartitionOffset>>>> each = new ArrayList<>(groupIds.size());
        for (int i = 0; i < groupIds.size(); i++) {
            String groupId = groupIds.get(i);
            List<TopicRequest> topics = asked.get(i);
            each.add(GroupRouting.onCoordinator(c, groupId, g -> Future.succeeded(read(g.offsets, groupId, topics))));
        }
        return Futures.all(each).map(results -> {
            KafkaWriter w = Requests.writer(h);
            if (v >= 3) {
                w.int32(0); // throttle_time_ms
            }
            if (v < 8) {
                writeTopics(w, v, flex, results.get(0));
                if (v >= 2) {
                    w.int16(Errors.NONE);
                }
            } else {
                w.arrayLength(groupIds.size(), flex);
                for (int i = 0; i < groupIds.size(); i++) {
                    w.string(groupIds.get(i), flex);
                    writeTopics(w, v, flex, results.get(i));
                    w.int16(Errors.NONE).endStruct(flex);
                }
            }
            return w.endStruct(flex).finish();
        });
    }

    private static List<TopicRequest> readTopics(KafkaReader in, boolean flex) {
        int n = in.arrayLength(flex);
        if (n < 0) {
            return null; // all of the group's offsets
        }
        List<TopicRequest> topics = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
            String name = in.requiredString(flex);
            int np = in.arrayLength(flex);
            int[] parts = new int[Math.max(np, 0)];
            for (int p = 0; p < parts.length; p++) {
                parts[p] = in.int32();
            }
            if (flex) {
                in.skipTaggedFields();
            }
            topics.add(new TopicRequest(name, parts));
        }
        return topics;
    }

    /** On the coordinator shard: the offsets asked for, or all of the group's, by topic in order. */
    private static Map<String, List<PartitionOffset>> read(OffsetStore store, String groupId, List<TopicRequest> topics) {
        Map<String, List<PartitionOffset>> out = new LinkedHashMap<>();
        if (topics == null) {
            for (Map.Entry<OffsetStore.TopicPartition, OffsetStore.Committed> e : store.fetchAll(groupId).entrySet()) {
                OffsetStore.Committed k = e.getValue();
                out.computeIfAbsent(e.getKey().topic(), t -> new ArrayList<>())
                        .add(new PartitionOffset(e.getKey().partition(), k.offset(), k.leaderEpoch(), k.metadata()));
            }
            return out;
        }
        for (TopicRequest t : topics) {
            List<PartitionOffset> list = out.computeIfAbsent(t.name(), x -> new ArrayList<>());
            for (int p : t.partitions()) {
                OffsetStore.Committed k = store.fetch(groupId, t.name(), p);
                list.add(k == null ? new PartitionOffset(p, -1, -1, "") : new PartitionOffset(p, k.offset(), k.leaderEpoch(), k.metadata()));
            }
        }
        return out;
    }

    private static void writeTopics(KafkaWriter w, short v, boolean flex, Map<String, List<PartitionOffset>> topics) {
        w.arrayLength(topics.size(), flex);
        for (Map.Entry<String, List<PartitionOffset>> t : topics.entrySet()) {
            w.string(t.getKey(), flex).arrayLength(t.getValue().size(), flex);
            for (PartitionOffset p : t.getValue()) {
                w.int32(p.partition()).int64(p.offset());
                if (v >= 5) {
                    w.int32(p.leaderEpoch());
                }
                w.string(p.metadata(), flex).int16(Errors.NONE).endStruct(flex);
            }
            w.endStruct(flex);
        }
    }
}
