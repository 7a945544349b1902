package io.shardline.examples.kv.store;

/**
 * One pending entry of a consumer group (Redis' streamNACK): who has it, when it was last delivered
 * and how often. The group's PEL and its consumer's PEL share it. Owned by the stream's shard; not
 * thread-safe.
 */
final class StreamNack {
    /** Null only for a moment, while XCLAIM FORCE creates it. */
    StreamConsumer consumer;
    long deliveryTime;
    long deliveryCount;

    StreamNack(StreamConsumer consumer, long deliveryTime, long deliveryCount) {
        this.consumer = consumer;
        this.deliveryTime = deliveryTime;
        this.deliveryCount = deliveryCount;
    }
}
