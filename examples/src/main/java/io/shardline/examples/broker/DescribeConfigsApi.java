package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * DescribeConfigs v1-4 for topics (type 2) and this broker (type 4), from {@link TopicConfigs}; no
 * synonyms, no documentation. Stateless; runs on the connection's shard with its copy of the topics.
 */
final class DescribeConfigsApi {
    static final byte TOPIC = 2;
    static final byte BROKER = 4;

    private DescribeConfigsApi() {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 4;
        int n = in.arrayLength(flex);
        KafkaWriter w = Requests.writer(h);
        w.int32(0);
        w.arrayLength(n, flex);
        for (int i = 0; i < n; i++) {
            byte type = in.int8();
            String name = in.requiredString(flex);
            int nk = in.arrayLength(flex);
            List<String> keys = nk < 0 ? null : new ArrayList<>(nk);
            for (int k = 0; k < nk; k++) {
                keys.add(in.requiredString(flex));
            }
            if (flex) {
                in.skipTaggedFields();
            }
            short error = Errors.NONE;
            String message = null;
            List<TopicConfigs.Entry> entries = List.of();
            if (type == TOPIC) {
                TopicInfo t = c.local().topics.get(name);
                if (t == null) {
                    error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                    message = "The topic '" + name + "' does not exist.";
                } else {
                    entries = TopicConfigs.of(t, c.config());
                }
            } else if (type == BROKER) {
                if (!name.isEmpty() && !name.equals(Integer.toString(BrokerConfig.NODE_ID))) {
                    error = Errors.INVALID_REQUEST;
                    message = "Unexpected broker id, expected " + BrokerConfig.NODE_ID + " or empty string, but received "
                            + name;
                } else {
                    entries = TopicConfigs.broker(c.config());
                }
            } else {
                error = Errors.INVALID_REQUEST;
                message = "Unsupported resource type " + type;
            }
            w.int16(error).string(message, flex).int8(type).string(name, flex);
            List<TopicConfigs.Entry> shown = new ArrayList<>();
            for (TopicConfigs.Entry e : entries) {
                if (keys == null || keys.contains(e.name())) {
                    shown.add(e);
                }
            }
            w.arrayLength(shown.size(), flex);
            for (TopicConfigs.Entry e : shown) {
                w.string(e.name(), flex).string(e.value(), flex).bool(false).int8(e.source()).bool(false);
                w.arrayLength(0, flex); // synonyms
                if (v >= 3) {
                    w.int8(e.type()).string(null, flex);
                }
                w.endStruct(flex);
            }
            w.endStruct(flex);
        }
        in.bool(); // include_synonyms
        if (v >= 3) {
            in.bool(); // include_documentation
        }
        if (flex) {
            in.skipTaggedFields();
        }
        return Future.succeeded(w.endStruct(flex).finish());
    }
}
