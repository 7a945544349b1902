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
 * Metadata v0-12: this one broker, and each topic with every partition led by it. Unknown topics are
 * created first when auto-creation is on and the request allows it (v4+). Stateless; runs on the
 * connection's shard, reading its copy of the topic table.
 */
final class MetadataApi {
    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;
    private static final UUID ZERO = new UUID(0, 0);

    private MetadataApi() {
    }

    /** A requested topic: by name, or (v10+) by id with a null name. */
    private record Wanted(String name, UUID id) {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 9;
        int n = in.arrayLength(flex);
        List<Wanted> wanted = null; // null: every topic
        if (n >= 0 && !(v == 0 && n == 0)) {
            wanted = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                UUID id = v >= 10 ? in.uuid() : ZERO;
                String name = v >= 10 ? in.string(flex) : in.requiredString(flex);
                if (flex) {
                    in.skipTaggedFields();
                }
                wanted.add(new Wanted(name, id));
            }
        }
        boolean allowAuto = v < 4 || in.bool();
        if (v >= 8) {
            if (v <= 10) {
                in.bool(); // include_cluster_authorized_operations
            }
            in.bool(); // include_topic_authorized_operations
        }
        if (flex) {
            in.skipTaggedFields();
        }
        List<Wanted> request = wanted;
        List<String> missing = new ArrayList<>();
        if (request != null && allowAuto && c.config().autoCreateTopics()) {
            for (Wanted w : request) {
                if (w.name() != null && c.local().topics.get(w.name()) == null && TopicInfo.invalidName(w.name()) == null
                        && !missing.contains(w.name())) {
                    missing.add(w.name());
                }
            }
        }
        if (missing.isEmpty()) {
            return Future.succeeded(response(c, h, request));
        }
        BrokerServer server = c.server;
        return c.shard().submitToAsync(0, () -> server.controller().create(TopicController.autoCreate(missing), false))
                .map(results -> response(c, h, request));
    }

    private static ByteBuffer response(BrokerConnection c, RequestHeader h, List<Wanted> wanted) {
        short v = h.apiVersion();
        boolean flex = v >= 9;
        KafkaWriter w = Requests.writer(h);
        if (v >= 3) {
            w.int32(0);
        }
        w.arrayLength(1, flex);
        w.int32(BrokerConfig.NODE_ID).string(c.config().hostForClients(), flex).int32(c.server.port());
        if (v >= 1) {
            w.string(null, flex); // rack
        }
        w.endStruct(flex);
        if (v >= 2) {
            w.string(c.server.clusterId(), flex);
        }
        if (v >= 1) {
            w.int32(BrokerConfig.NODE_ID); // controller_id: this broker, never -1
        }
        TopicTable table = c.local().topics;
        if (wanted == null) {
            List<TopicInfo> all = table.all();
            w.arrayLength(all.size(), flex);
            for (TopicInfo t : all) {
                topic(w, v, Errors.NONE, t.name(), t);
            }
        } else {
            w.arrayLength(wanted.size(), flex);
            for (Wanted want : wanted) {
                TopicInfo t = want.name() != null ? table.get(want.name()) : table.get(want.id());
                if (t != null) {
                    topic(w, v, Errors.NONE, t.name(), t);
                } else if (want.name() == null) {
                    topic(w, v, Errors.UNKNOWN_TOPIC_ID, null, null);
                } else {
                    boolean invalid = TopicInfo.invalidName(want.name()) != null;
                    topic(w, v, invalid ? Errors.INVALID_TOPIC_EXCEPTION : Errors.UNKNOWN_TOPIC_OR_PARTITION,
                            want.name(), null);
                }
            }
        }
        if (v >= 8 && v <= 10) {
            w.int32(AUTHORIZED_OPERATIONS_OMITTED);
        }
        return w.endStruct(flex).finish();
    }

    private static void topic(KafkaWriter w, short v, short error, String name, TopicInfo t) {
        boolean flex = v >= 9;
        w.int16(error).string(name, flex);
        if (v >= 10) {
            w.uuid(t != null ? t.id() : ZERO);
        }
        if (v >= 1) {
            w.bool(false); // is_internal
        }
        int partitions = t != null ? t.partitions() : 0;
        w.arrayLength(partitions, flex);
        for (int p = 0; p < partitions; p++) {
            w.int16(Errors.NONE).int32(p).int32(BrokerConfig.NODE_ID);
            if (v >= 7) {
                w.int32(0); // leader_epoch
            }
            w.arrayLength(1, flex).int32(BrokerConfig.NODE_ID); // replicas
            w.arrayLength(1, flex).int32(BrokerConfig.NODE_ID); // isr
            if (v >= 5) {
                w.arrayLength(0, flex); // offline replicas
            }
            w.endStruct(flex);
        }
        if (v >= 8) {
            w.int32(AUTHORIZED_OPERATIONS_OMITTED);
        }
        w.endStruct(flex);
    }
}
