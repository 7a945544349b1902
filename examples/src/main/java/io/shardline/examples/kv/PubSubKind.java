package io.shardline.examples.kv;

import java.nio.charset.StandardCharsets;

/**
 * The three subscription namespaces of Redis pub/sub and the words of their reply frames. Immutable,
 * any thread.
 */
enum PubSubKind {
    /** SUBSCRIBE / PUBLISH channels. */
    CHANNEL("subscribe", "unsubscribe", "message"),
    /** PSUBSCRIBE patterns, matched against PUBLISH channels. */
    PATTERN("psubscribe", "punsubscribe", "pmessage"),
    /** SSUBSCRIBE / SPUBLISH shard channels: a namespace of their own, no patterns. */
    SHARD("ssubscribe", "sunsubscribe", "smessage");

    final byte[] subscribe;
    final byte[] unsubscribe;
    final byte[] message;

    PubSubKind(String subscribe, String unsubscribe, String message) {
        this.subscribe = subscribe.getBytes(StandardCharsets.US_ASCII);
        this.unsubscribe = unsubscribe.getBytes(StandardCharsets.US_ASCII);
        this.message = message.getBytes(StandardCharsets.US_ASCII);
    }
}
