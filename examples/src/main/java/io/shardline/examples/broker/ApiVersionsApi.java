package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;

/** ApiVersions v0-3: the APIs of {@link Api} and their ranges. Stateless, any thread. */
final class ApiVersionsApi {
    private ApiVersionsApi() {
    }

    static Future<ByteBuffer> handle(RequestHeader h, KafkaReader in) {
        if (h.apiVersion() >= 3) {
            in.string(true); // client_software_name
            in.string(true); // client_software_version
            in.skipTaggedFields();
        }
        return Future.succeeded(response(h.correlationId(), h.apiVersion(), Errors.NONE));
    }

    /** The response in {@code version}; its header is v0 in every version. */
    static ByteBuffer response(int correlationId, short version, short error) {
        boolean flexible = version >= 3;
        KafkaWriter w = new KafkaWriter(correlationId, false);
        w.int16(error);
        Api[] apis = Api.values();
        w.arrayLength(apis.length, flexible);
        for (Api a : apis) {
            w.int16(a.key).int16(a.min).int16(a.max).endStruct(flexible);
        }
        if (version >= 1) {
            w.int32(0); // throttle_time_ms
        }
        return w.endStruct(flexible).finish();
    }
}
