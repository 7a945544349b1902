package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * CreateTopics v2-7, through the {@link TopicController} on shard 0: replication factor 1 (or -1) only,
 * a replica assignment only onto this broker. Stateless; runs on the connection's shard.
 */
final class CreateTopicsApi {
    private CreateTopicsApi() {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 5;
        int nt = in.arrayLength(flex);
        List<TopicController.Spec> specs = new ArrayList<>();
        for (int t = 0; t < nt; t++) {
            String name = in.requiredString(flex);
            int numPartitions = in.int32();
            short replication = in.int16();
            int na = in.arrayLength(flex);
            boolean badAssignment = false;
            for (int a = 0; a < na; a++) {
                in.int32(); // partition_index
                int nb = in.arrayLength(flex);
                badAssignment |= nb != 1;
                for (int b = 0; b < nb; b++) {
                    badAssignment |= in.int32() != BrokerConfig.NODE_ID;
                }
                if (flex) {
                    in.skipTaggedFields();
                }
            }
            int nc = in.arrayLength(flex);
            Map<String, String> configs = new HashMap<>();
            for (int k = 0; k < nc; k++) {
                String key = in.requiredString(flex);
                String value = in.string(flex);
                if (value != null) {
                    configs.put(key, value);
                }
                if (flex) {
                    in.skipTaggedFields();
                }
            }
            if (flex) {
                in.skipTaggedFields();
            }
            specs.add(new TopicController.Spec(name, numPartitions, replication, Math.max(0, na), badAssignment, configs));
        }
        in.int32(); // timeout_ms: creation finishes before the response anyway
        boolean validateOnly = in.bool();
        if (flex) {
            in.skipTaggedFields();
        }
        BrokerServer server = c.server;
        BrokerConfig config = c.config();
        return c.shard().submitToAsync(0, () -> server.controller().create(specs, validateOnly)).map(results -> {
            KafkaWriter w = Requests.writer(h);
            w.int32(0);
            w.arrayLength(results.size(), flex);
            for (TopicController.Result r : results) {
                boolean ok = r.error() == Errors.NONE;
                w.string(r.name(), flex);
                if (v >= 7) {
                    w.uuid(ok ? r.topic().id() : new UUID(0, 0));
                }
                w.int16(r.error()).string(r.message(), flex);
                if (v >= 5) {
                    w.int32(ok ? r.topic().partitions() : -1).int16(ok ? 1 : -1);
                    if (ok) {
                        List<TopicConfigs.Entry> entries = TopicConfigs.of(r.topic(), config);
                        w.arrayLength(entries.size(), flex);
                        for (TopicConfigs.Entry e : entries) {
                            w.string(e.name(), flex).string(e.value(), flex).bool(false).int8(e.source()).bool(false)
                                    .endStruct(flex);
                        }
                    } else {
                        w.arrayLength(-1, flex);
                    }
                }
                w.endStruct(flex);
            }
            return w.endStruct(flex).finish();
        });
    }
}
