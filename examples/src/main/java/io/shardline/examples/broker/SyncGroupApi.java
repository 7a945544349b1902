package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * SyncGroup v0-5 on the group's coordinator shard: the leader brings the assignment, every member waits
 * for its share. Stateless; runs on the connection's shard.
 */
final class SyncGroupApi {
    private SyncGroupApi() {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 4;
        String groupId = in.requiredString(flex);
        int generation = in.int32();
        String memberId = in.requiredString(flex);
        String instanceId = v >= 3 ? in.string(flex) : null;
        String protocolType = v >= 5 ? in.string(flex) : null;
        String protocolName = v >= 5 ? in.string(flex) : null;
        int n = in.arrayLength(flex);
        Map<String, byte[]> assignments = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String member = in.requiredString(flex);
            byte[] a = in.bytes(flex);
            if (flex) {
                in.skipTaggedFields();
            }
            assignments.put(member, a != null ? a : new byte[0]);
        }
        if (flex) {
            in.skipTaggedFields();
        }
        GroupMessages.SyncRequest r = new GroupMessages.SyncRequest(groupId, generation, memberId, instanceId,
                protocolType, protocolName, assignments);
        return GroupRouting.onCoordinator(c, groupId, g -> g.sync(r)).map(res -> {
            KafkaWriter w = Requests.writer(h);
            if (v >= 1) {
                w.int32(0); // throttle_time_ms
            }
            w.int16(res.error());
            if (v >= 5) {
                w.string(res.protocolType(), flex).string(res.protocolName(), flex);
            }
            w.bytes(res.assignment(), flex);
            return w.endStruct(flex).finish();
        });
    }
}
