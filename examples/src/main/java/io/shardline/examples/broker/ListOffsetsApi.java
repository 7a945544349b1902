package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * ListOffsets v1-7: latest (-1, the high watermark), earliest (-2, the log start offset), max timestamp
 * (-3, v7) or the first offset at or after a timestamp, each answered by the partition's owner. Stateless;
 * runs on the connection's shard.
 */
final class ListOffsetsApi {
    private ListOffsetsApi() {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 6;
        in.int32(); // replica_id
        if (v >= 2) {
            in.int8(); // isolation_level: without transactions both levels see the same offsets
        }
        List<BrokerShard.Part> parts = new ArrayList<>();
        List<TopicRange> topics = TopicRange.read(in, flex, parts, (name, partition) -> {
            if (v >= 4) {
                in.int32(); // current_leader_epoch
            }
            return new BrokerShard.Part(name, partition, in.int64(), 0, null); // the target timestamp
        });
        if (flex) {
            in.skipTaggedFields();
        }
        return PartitionRouting.scatter(c, parts, BrokerShard::listOffsets).map(results -> {
            KafkaWriter w = Requests.writer(h);
            if (v >= 2) {
                w.int32(0);
            }
            w.arrayLength(topics.size(), flex);
            for (TopicRange t : topics) {
                w.string(t.name(), flex).arrayLength(t.to() - t.from(), flex);
                for (int i = t.from(); i < t.to(); i++) {
                    long[] r = results.get(i);
                    short error = (short) r[0];
                    if (parts.get(i).offset() == -3 && v < 7) {
                        error = Errors.UNSUPPORTED_VERSION; // max timestamp needs v7
                    }
                    boolean found = error == Errors.NONE && r[1] >= 0;
                    w.int32(parts.get(i).partition()).int16(error);
                    w.int64(error == Errors.NONE ? r[2] : -1).int64(error == Errors.NONE ? r[1] : -1);
                    if (v >= 4) {
                        w.int32(found ? 0 : -1); // leader_epoch
                    }
                    w.endStruct(flex);
                }
                w.endStruct(flex);
            }
            return w.endStruct(flex).finish();
        });
    }
}
