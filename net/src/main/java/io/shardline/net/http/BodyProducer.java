package io.shardline.net.http;

/**
 * Writes an outgoing body in parts, once the head has been written; called on the connection's shard.
 * It may write everything at once or over time (from other futures' continuations on the same shard),
 * and must end the sink or abort it.
 */
@FunctionalInterface
public interface BodyProducer {

    void produce(BodySink sink);
}
