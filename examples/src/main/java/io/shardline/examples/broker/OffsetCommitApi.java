package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * OffsetCommit v2-8: partitions of unknown topics get UNKNOWN_TOPIC_OR_PARTITION here, the rest go to the
 * group's coordinator shard, which checks the generation and member and stores them durably. Stateless;
 * runs on the connection's shard.
 */
final class OffsetCommitApi {
    private OffsetCommitApi() {
    }

    private record Topic(String name, int from, int to) {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 8;
        String groupId = in.requiredString(flex);
        int generation = in.int32();
        String memberId = in.requiredString(flex);
        String instanceId = v >= 7 ? in.string(flex) : null;
        if (v <= 4) {
            in.int64(); // retention_time_ms: offsets are kept until their topic goes, as with Kafka's default of -1
        }
        int nt = in.arrayLength(flex);
        List<Topic> topics = new ArrayList<>();
        List<OffsetStore.Commit> all = new ArrayList<>();
        for (int t = 0; t < nt; t++) {
            String name = in.requiredString(flex);
            int np = in.arrayLength(flex);
            int from = all.size();
            for (int p = 0; p < np; p++) {
                int index = in.int32();
                long offset = in.int64();
                int epoch = v >= 6 ? in.int32() : -1;
                String metadata = in.string(flex);
                if (flex) {
                    in.skipTaggedFields();
                }
                all.add(new OffsetStore.Commit(name, index, offset, epoch, metadata != null ? metadata : ""));
            }
            if (flex) {
                in.skipTaggedFields();
            }
            topics.add(new Topic(name, from, all.size()));
        }
        if (flex) {
            in.skipTaggedFields();
        }
        short[] errors = new short[all.size()];
        List<OffsetStore.Commit> known = new ArrayList<>(all.size());
        List<Integer> at = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            OffsetStore.Commit k = all.get(i);
            TopicInfo info = c.local().topics.get(k.topic());
            if (info == null || k.partition() < 0 || k.partition() >= info.partitions()) {
                errors[i] = Errors.UNKNOWN_TOPIC_OR_PARTITION;
            } else {
                known.add(k);
                at.add(i);
            }
        }
        Future<List<Short>> done = known.isEmpty() ? Future.succeeded(List.of())
                : GroupRouting.onCoordinator(c, groupId, g -> g.commit(groupId, generation, memberId, instanceId, known));
        return done.map(results -> {
            for (int i = 0; i < results.size(); i++) {
                errors[at.get(i)] = results.get(i);
            }
            KafkaWriter w = Requests.writer(h);
            if (v >= 3) {
                w.int32(0); // throttle_time_ms
            }
            w.arrayLength(topics.size(), flex);
            for (Topic t : topics) {
                w.string(t.name(), flex).arrayLength(t.to() - t.from(), flex);
                for (int i = t.from(); i < t.to(); i++) {
                    w.int32(all.get(i).partition()).int16(errors[i]).endStruct(flex);
                }
                w.endStruct(flex);
            }
            return w.endStruct(flex).finish();
        });
    }
}
