package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * DeleteTopics v1-6, by name or (v6) by topic id, through the {@link TopicController}: the answer comes
 * once every shard has closed and removed the topic's partitions. Stateless; runs on the connection's shard.
 */
final class DeleteTopicsApi {
    private static final UUID ZERO = new UUID(0, 0);

    private DeleteTopicsApi() {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 4;
        int n = in.arrayLength(flex);
        List<String> names = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (v >= 6) {
                names.add(in.string(flex));
                ids.add(in.uuid());
                in.skipTaggedFields();
            } else {
                names.add(in.requiredString(flex));
                ids.add(ZERO);
            }
        }
        in.int32(); // timeout_ms
        if (flex) {
            in.skipTaggedFields();
        }
        BrokerServer server = c.server;
        return c.shard().submitToAsync(0, () -> server.controller().delete(names, ids)).map(results -> {
            KafkaWriter w = Requests.writer(h);
            w.int32(0);
            w.arrayLength(results.size(), flex);
            for (int i = 0; i < results.size(); i++) {
                TopicController.Result r = results.get(i);
                w.string(r.name(), flex);
                if (v >= 6) {
                    w.uuid(r.topic() != null ? r.topic().id() : ids.get(i));
                }
                w.int16(r.error());
                if (v >= 5) {
                    w.string(r.message(), flex);
                }
                w.endStruct(flex);
            }
            return w.endStruct(flex).finish();
        });
    }
}
