package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * OffsetForLeaderEpoch v2-4, which consumers send to check a position after a leader change (KIP-320). This
 * broker is every partition's only leader, in epoch 0 from the partition's creation, so Kafka's
 * {@code LeaderEpochFileCache.endOffsetFor} holds one entry, (0, log start offset): epoch 0 ends at the
 * log end offset, a lower epoch at the log start offset, a higher or undefined one is unknown (-1, -1).
 * Stateless; runs on the connection's shard, each partition answered by its owner.
 */
final class OffsetForLeaderEpochApi {
    /** The one leader epoch of every partition here, as Metadata, Fetch and ListOffsets give it. */
    static final int LEADER_EPOCH = 0;

    private OffsetForLeaderEpochApi() {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 4;
        if (v >= 3) {
            in.int32(); // replica_id: a consumer (-1) or debug (-2); no followers here, the answer is the same
        }
        List<BrokerShard.Part> parts = new ArrayList<>();
        List<TopicRange> topics = TopicRange.read(in, flex, parts, (name, partition) -> {
            int currentLeaderEpoch = in.int32();
            int leaderEpoch = in.int32();
            // The part carries the requested epoch as its offset and the current one as its max bytes.
            return new BrokerShard.Part(name, partition, leaderEpoch, currentLeaderEpoch, null);
        });
        if (flex) {
            in.skipTaggedFields();
        }
        return PartitionRouting.scatter(c, parts, OffsetForLeaderEpochApi::endOffsets).map(results -> {
            KafkaWriter w = Requests.writer(h);
            w.int32(0); // throttle_time_ms
            w.arrayLength(topics.size(), flex);
            for (TopicRange t : topics) {
                w.string(t.name(), flex).arrayLength(t.to() - t.from(), flex);
                for (int i = t.from(); i < t.to(); i++) {
                    long[] r = results.get(i);
                    w.int16((int) r[0]).int32(parts.get(i).partition()).int32((int) r[1]).int64(r[2]).endStruct(flex);
                }
                w.endStruct(flex);
            }
            return w.endStruct(flex).finish();
        });
    }

    /** On the owner: {error, epoch, end offset} per part. */
    private static Future<List<long[]>> endOffsets(BrokerShard shard, List<BrokerShard.Part> parts) {
        List<long[]> out = new ArrayList<>(parts.size());
        for (BrokerShard.Part part : parts) {
            PartitionLog log = shard.partition(part.topic(), part.partition());
            out.add(log == null ? new long[] {Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1}
                    : endOffset(log, (int) part.offset(), part.maxBytes()));
        }
        return Future.succeeded(out);
    }

    private static long[] endOffset(PartitionLog log, int requested, int current) {
        if (current != -1 && current != LEADER_EPOCH) {
            // -1 asks for no check; an older epoch is fenced, a newer one not known here yet.
            short error = current < LEADER_EPOCH ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
            return new long[] {error, -1, -1};
        }
        if (requested == LEADER_EPOCH) {
            return new long[] {Errors.NONE, LEADER_EPOCH, log.logEndOffset()};
        }
        if (requested < LEADER_EPOCH && requested != -1) {
            // Before any epoch this log knows: the start of the first known one (its data from the log start on).
            return new long[] {Errors.NONE, requested, log.logStartOffset()};
        }
        return new long[] {Errors.NONE, -1, -1};
    }
}
