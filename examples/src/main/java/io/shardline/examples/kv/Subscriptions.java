package io.shardline.examples.kv;

import java.util.LinkedHashSet;

/**
 * One connection's subscriptions, by namespace, and its output-limit clock. Owned by the connection;
 * used on its shard's thread only.
 */
final class Subscriptions {
    private final LinkedHashSet<PubSubName> channels = new LinkedHashSet<>();
    private final LinkedHashSet<PubSubName> patterns = new LinkedHashSet<>();
    private final LinkedHashSet<PubSubName> shardChannels = new LinkedHashSet<>();
    /** When the output first reached the soft limit (epoch ms), or -1 while it is below. */
    private long softSince = -1;

    LinkedHashSet<PubSubName> of(PubSubKind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shardChannels;
        };
    }

    /**
     * The count a (un)subscribe reply of {@code kind} carries: channels and patterns together, as Redis'
     * clientSubscriptionsCount; shard channels on their own.
     */
    int count(PubSubKind kind) {
        return kind == PubSubKind.SHARD ? shardChannels.size() : channels.size() + patterns.size();
    }

    /** Whether any subscription is left: Redis' CLIENT_PUBSUB flag, which RESP2's subscribed mode follows. */
    boolean any() {
        return !channels.isEmpty() || !patterns.isEmpty() || !shardChannels.isEmpty();
    }

    /**
     * Whether {@code usedBytes} of unsent output breaks {@code limits} now: at or over the hard limit,
     * or at or over the soft one for longer than its seconds (Redis' checkClientOutputBufferLimits).
     */
    boolean overLimit(long usedBytes, PubSubLimits limits, long nowMillis) {
        if (limits.hardBytes() > 0 && usedBytes >= limits.hardBytes()) {
            return true;
        }
        if (limits.softBytes() == 0 || usedBytes < limits.softBytes()) {
            softSince = -1;
            return false;
        }
        if (softSince < 0) {
            softSince = nowMillis;
            return false;
        }
        return nowMillis - softSince > limits.softSeconds() * 1000;
    }
}
