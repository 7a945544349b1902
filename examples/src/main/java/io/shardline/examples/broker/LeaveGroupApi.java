package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * LeaveGroup v0-4 (v3+ a batch of members, by member id or group instance id) on the group's coordinator
 * shard. Before v3 the one member's error is the response's; from v3 each member has its own and the
 * top-level error is for the group. Stateless; runs on the connection's shard.
 */
final class LeaveGroupApi {
    private LeaveGroupApi() {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 4;
        String groupId = in.requiredString(flex);
        List<GroupMessages.Leaving> leaving = new ArrayList<>();
        if (v < 3) {
            leaving.add(new GroupMessages.Leaving(in.requiredString(flex), null));
        } else {
            int n = in.arrayLength(flex);
            for (int i = 0; i < n; i++) {
                String memberId = in.requiredString(flex);
                String instanceId = in.string(flex);
                if (flex) {
                    in.skipTaggedFields();
                }
                leaving.add(new GroupMessages.Leaving(memberId, instanceId));
            }
        }
        if (flex) {
            in.skipTaggedFields();
        }
        return GroupRouting.onCoordinator(c, groupId, g -> Future.succeeded(g.leave(groupId, leaving))).map(r -> {
            KafkaWriter w = Requests.writer(h);
            if (v >= 1) {
                w.int32(0); // throttle_time_ms
            }
            if (v < 3) {
                short error = r.error() != Errors.NONE || r.members().isEmpty() ? r.error() : r.members().get(0);
                return w.int16(error).finish();
            }
            w.int16(r.error()).arrayLength(r.members().size(), flex);
            for (int i = 0; i < r.members().size(); i++) {
                GroupMessages.Leaving l = leaving.get(i);
                w.string(l.memberId(), flex).string(l.groupInstanceId(), flex).int16(r.members().get(i)).endStruct(flex);
            }
            return w.endStruct(flex).finish();
        });
    }
}
