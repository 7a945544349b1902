package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * FindCoordinator v0-4 (v4 batched): a group's coordinator is this broker, whichever shard of it the
 * group hashes to; transactions have no coordinator here, so TRANSACTION keys get
 * COORDINATOR_NOT_AVAILABLE (what a Kafka broker answers while it has none), an unknown key type
 * INVALID_REQUEST. Stateless; runs on the connection's shard.
 */
final class FindCoordinatorApi {
    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;

    private FindCoordinatorApi() {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 3;
        List<String> keys = new ArrayList<>();
        byte keyType = GROUP;
        if (v < 4) {
            keys.add(in.requiredString(flex));
            if (v >= 1) {
                keyType = in.int8();
            }
        } else {
            keyType = in.int8();
            int n = in.arrayLength(true);
            for (int i = 0; i < n; i++) {
                keys.add(in.requiredString(true));
            }
        }
        if (flex) {
            in.skipTaggedFields();
        }
        short error = keyType == GROUP ? Errors.NONE
                : keyType == TRANSACTION ? Errors.COORDINATOR_NOT_AVAILABLE : Errors.INVALID_REQUEST;
        String message = switch (error) {
            case Errors.NONE -> null;
            case Errors.COORDINATOR_NOT_AVAILABLE -> "The coordinator is not available.";
            default -> "Unknown coordinator type in FindCoordinator request " + keyType;
        };
        boolean ok = error == Errors.NONE;
        int node = ok ? BrokerConfig.NODE_ID : -1;
        String host = ok ? c.config().hostForClients() : "";
        int port = ok ? c.server.port() : -1;
        KafkaWriter w = Requests.writer(h);
        if (v >= 1) {
            w.int32(0); // throttle_time_ms
        }
        if (v >= 4) {
            w.arrayLength(keys.size(), true);
            for (String k : keys) {
                w.string(k, true).int32(node).string(host, true).int32(port).int16(error).string(message, true).noTags();
            }
        } else {
            w.int16(error);
            if (v >= 1) {
                w.string(message, flex);
            }
            w.int32(node).string(host, flex).int32(port);
        }
        return Future.succeeded(w.endStruct(flex).finish());
    }
}
