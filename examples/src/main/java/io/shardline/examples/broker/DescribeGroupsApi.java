package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * DescribeGroups v0-5, each group from its coordinator shard: a group nobody uses is "Dead" with no
 * members and no error, as a Kafka broker answers before v6. No ACLs here, so the authorized operations
 * asked for (v3+) are all a group has: READ, DELETE, DESCRIBE. Stateless; runs on the connection's shard.
 */
final class DescribeGroupsApi {
    /** Kafka's {@code AclOperation} codes READ (3), DELETE (6) and DESCRIBE (8) as a bit field. */
    private static final int GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);
    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;

    private DescribeGroupsApi() {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 5;
        int n = in.arrayLength(flex);
        List<String> ids = new ArrayList<>(Math.max(n, 0));
        for (int i = 0; i < n; i++) {
            ids.add(in.requiredString(flex));
        }
        boolean operations = v >= 3 && in.bool();
        if (flex) {
            in.skipTaggedFields();
        }
        List<Future<GroupMessages.Described>> each = new ArrayList<>(ids.size());
        for (String id : ids) {
            each.add(GroupRouting.onCoordinator(c, id, g -> Future.succeeded(g.describe(id))));
        }
        return Futures.all(each).map(groups -> {
            KafkaWriter w = Requests.writer(h);
            if (v >= 1) {
                w.int32(0); // throttle_time_ms
            }
            w.arrayLength(groups.size(), flex);
            for (GroupMessages.Described g : groups) {
                w.int16(Errors.NONE).string(g.groupId(), flex).string(g.state(), flex).string(g.protocolType(), flex)
                        .string(g.protocolData(), flex);
                w.arrayLength(g.members().size(), flex);
                for (GroupMessages.DescribedMember m : g.members()) {
                    w.string(m.memberId(), flex);
                    if (v >= 4) {
                        w.string(m.groupInstanceId(), flex);
                    }
                    w.string(m.clientId(), flex).string(m.clientHost(), flex).bytes(m.metadata(), flex)
                            .bytes(m.assignment(), flex).endStruct(flex);
                }
                if (v >= 3) {
                    w.int32(operations ? GROUP_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED);
                }
                w.endStruct(flex);
            }
            return w.endStruct(flex).finish();
        });
    }
}
