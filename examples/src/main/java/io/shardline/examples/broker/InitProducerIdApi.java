package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;

/**
 * InitProducerId v0-4 for idempotent (non-transactional) producers: a producer id unique to this broker
 * and epoch 0, or the same id with the next epoch when a v3+ client asks to bump its own (a new id once the
 * epoch is exhausted). Runs on the connection's shard, which hands out ids from its own range, so no shard
 * waits for another. The partitions check each producer's epochs and sequences ({@link ProducerStates}).
 * Transactional ids get INVALID_REQUEST: there is no transaction coordinator.
 */
final class InitProducerIdApi {
    private InitProducerIdApi() {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 2;
        String transactionalId = in.string(flex);
        in.int32(); // transaction_timeout_ms
        long producerId = -1;
        short epoch = -1;
        if (v >= 3) {
            producerId = in.int64();
            epoch = in.int16();
        }
        if (flex) {
            in.skipTaggedFields();
        }
        short error = Errors.NONE;
        if (transactionalId != null) {
            error = Errors.INVALID_REQUEST; // no transaction coordinator yet
            producerId = -1;
            epoch = -1;
        } else if (producerId >= 0 && epoch >= 0 && epoch < Short.MAX_VALUE - 1) {
            epoch++;
        } else {
            producerId = c.local().nextProducerId();
            epoch = 0;
        }
        KafkaWriter w = Requests.writer(h);
        w.int32(0).int16(error).int64(producerId).int16(epoch);
        return Future.succeeded(w.endStruct(flex).finish());
    }
}
