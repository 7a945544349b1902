package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;

/** Heartbeat v0-4 on the group's coordinator shard. Stateless; runs on the connection's shard. */
final class HeartbeatApi {
    private HeartbeatApi() {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 4;
        String groupId = in.requiredString(flex);
        int generation = in.int32();
        String memberId = in.requiredString(flex);
        String instanceId = v >= 3 ? in.string(flex) : null;
        if (flex) {
            in.skipTaggedFields();
        }
        return GroupRouting.onCoordinator(c, groupId, g -> Future.succeeded(g.heartbeat(groupId, generation, memberId, instanceId)))
                .map(error -> {
                    KafkaWriter w = Requests.writer(h);
                    if (v >= 1) {
                        w.int32(0); // throttle_time_ms
                    }
                    return w.int16(error).endStruct(flex).finish();
                });
    }
}
