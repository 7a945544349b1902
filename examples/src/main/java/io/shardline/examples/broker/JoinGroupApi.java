package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * JoinGroup v0-7 on the group's coordinator shard; the response waits there until the rebalance
 * completes. Stateless; runs on the connection's shard.
 */
final class JoinGroupApi {
    private JoinGroupApi() {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 6;
        String groupId = in.requiredString(flex);
        int session = in.int32();
        int rebalance = v >= 1 ? in.int32() : session;
        String memberId = in.requiredString(flex);
        String instanceId = v >= 5 ? in.string(flex) : null;
        String protocolType = in.requiredString(flex);
        int n = in.arrayLength(flex);
        List<GroupMember.Protocol> protocols = new ArrayList<>(Math.max(n, 0));
        for (int i = 0; i < n; i++) {
            String name = in.requiredString(flex);
            byte[] metadata = in.bytes(flex);
            if (flex) {
                in.skipTaggedFields();
            }
            protocols.add(new GroupMember.Protocol(name, metadata != null ? metadata : new byte[0]));
        }
        if (flex) {
            in.skipTaggedFields();
        }
        GroupMessages.JoinRequest r = new GroupMessages.JoinRequest(groupId, session, rebalance, memberId, instanceId,
                protocolType, protocols, h.clientId(), c.clientHost(), v >= 4);
        return GroupRouting.onCoordinator(c, groupId, g -> g.join(r)).map(res -> response(h, res));
    }

    private static ByteBuffer response(RequestHeader h, GroupMessages.JoinResult r) {
        short v = h.apiVersion();
        boolean flex = v >= 6;
        KafkaWriter w = Requests.writer(h);
        if (v >= 2) {
            w.int32(0); // throttle_time_ms
        }
        w.int16(r.error()).int32(r.generationId());
        if (v >= 7) {
            w.string(r.protocolType(), flex);
            w.string(r.protocolName(), flex);
        } else {
            w.string(r.protocolName() != null ? r.protocolName() : "", flex); // not nullable before v7
        }
        w.string(r.leader() != null ? r.leader() : "", flex).string(r.memberId(), flex);
        w.arrayLength(r.members().size(), flex);
        for (GroupMessages.JoinedMember m : r.members()) {
            w.string(m.memberId(), flex);
            if (v >= 5) {
                w.string(m.groupInstanceId(), flex);
            }
            w.bytes(m.metadata() != null ? m.metadata() : new byte[0], flex).endStruct(flex);
        }
        return w.endStruct(flex).finish();
    }
}
