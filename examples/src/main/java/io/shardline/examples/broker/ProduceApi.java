package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Produce v3-9: each partition's batch goes to its owner shard, which checks and appends it. acks=0 gets
 * no response; acks=1 answers once the batch is in the log; acks=-1 once it is forced to the device.
 * Stateless; runs on the connection's shard.
 */
final class ProduceApi {
    private ProduceApi() {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        boolean flex = h.apiVersion() >= 9;
        in.string(flex); // transactional_id: no transactions yet
        short acks = in.int16();
        in.int32(); // timeout_ms
        List<BrokerShard.Part> parts = new ArrayList<>();
        List<TopicRange> topics = TopicRange.read(in, flex, parts,
                (name, index) -> new BrokerShard.Part(name, index, 0, 0, in.bytes(flex)));
        List<String> names = new ArrayList<>(topics.size());
        for (TopicRange t : topics) {
            names.add(t.name());
        }
        if (flex) {
            in.skipTaggedFields();
        }
        Future<List<PartitionLog.Appended>> done;
        if (acks != 0 && acks != 1 && acks != -1) {
            List<PartitionLog.Appended> all = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                all.add(new PartitionLog.Appended(Errors.INVALID_REQUIRED_ACKS, -1, -1, -1));
            }
            done = Future.succeeded(all);
        } else {
            done = PartitionRouting.autoCreate(c, names)
                    .flatMap(v -> PartitionRouting.scatter(c, parts, (shard, mine) -> shard.produce(mine, acks)));
        }
        TopicStats stats = c.server.shards().local().stats;
        done.whenComplete((results, e) -> count(stats, topics, parts, results));
        if (acks == 0) {
            // No response; on an error Kafka closes the connection instead, so the client refreshes its metadata.
            done.whenComplete((results, e) -> {
                if (e != null || results.stream().anyMatch(a -> a.error() != Errors.NONE)) {
                    c.close("an acks=0 produce that failed");
                }
            });
            return null;
        }
        return done.map(results -> response(h, topics, parts, results));
    }

    /** Counts each topic of the request: its bytes, and its partitions that failed (all, if the request did). */
    private static void count(TopicStats stats, List<TopicRange> topics, List<BrokerShard.Part> parts,
                              List<PartitionLog.Appended> results) {
        for (TopicRange t : topics) {
            long bytes = 0;
            long errors = 0;
            for (int i = t.from(); i < t.to(); i++) {
                byte[] records = parts.get(i).records();
                bytes += records != null ? records.length : 0;
                errors += results == null || results.get(i).error() != Errors.NONE ? 1 : 0;
            }
            stats.produced(t.name(), bytes, errors);
        }
    }

    private static ByteBuffer response(RequestHeader h, List<TopicRange> topics, List<BrokerShard.Part> parts,
            List<PartitionLog.Appended> results) {
        short v = h.apiVersion();
        boolean flex = v >= 9;
        KafkaWriter w = Requests.writer(h);
        w.arrayLength(topics.size(), flex);
        for (TopicRange t : topics) {
            w.string(t.name(), flex).arrayLength(t.to() - t.from(), flex);
            for (int i = t.from(); i < t.to(); i++) {
                PartitionLog.Appended a = results.get(i);
                w.int32(parts.get(i).partition()).int16(a.error()).int64(a.baseOffset()).int64(a.logAppendTime());
                if (v >= 5) {
                    w.int64(a.logStartOffset());
                }
                if (v >= 8) {
                    w.arrayLength(0, flex); // record_errors
                    w.string(null, flex); // error_message
                }
                w.endStruct(flex);
            }
            w.endStruct(flex);
        }
        w.int32(0); // throttle_time_ms
        return w.endStruct(flex).finish();
    }
}
