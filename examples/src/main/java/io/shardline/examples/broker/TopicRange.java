package io.shardline.examples.broker;

import io.shardline.examples.broker.wire.KafkaReader;
import java.util.ArrayList;
import java.util.List;

/**
 * One topic of a request whose topics each list partitions (Produce, Fetch, ListOffsets,
 * OffsetForLeaderEpoch): its name and its partitions' range {@code [from, to)} in the request's flat list
 * of parts, so the answers, which come back in that list's order, are written topic by topic. Immutable,
 * any thread.
 */
record TopicRange(String name, int from, int to) {
    /** Reads one partition's fields after its index and gives its part; the partition's tags are skipped after. */
    interface PartReader {
        BrokerShard.Part read(String topic, int partition);
    }

    /** Reads the topics array, adding each partition's part to {@code parts} in order. */
    static List<TopicRange> read(KafkaReader in, boolean flex, List<BrokerShard.Part> parts, PartReader reader) {
        int nt = in.arrayLength(flex);
        List<TopicRange> topics = new ArrayList<>(Math.max(0, Math.min(nt, 1024)));
        for (int t = 0; t < nt; t++) {
            String name = in.requiredString(flex);
            int np = in.arrayLength(flex);
            int from = parts.size();
            for (int p = 0; p < np; p++) {
                parts.add(reader.read(name, in.int32()));
                if (flex) {
                    in.skipTaggedFields();
                }
            }
            if (flex) {
                in.skipTaggedFields();
            }
            topics.add(new TopicRange(name, from, parts.size()));
        }
        return topics;
    }
}
