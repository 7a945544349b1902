package io.shardline.examples.kv;

/**
 * Redis' {@code client-output-buffer-limit pubsub <hard> <soft> <seconds>}: a subscribed client whose
 * unsent output reaches {@code hardBytes}, or stays at or above {@code softBytes} for more than
 * {@code softSeconds}, is disconnected. A zero turns that limit off. Immutable, any thread.
 */
public record PubSubLimits(long hardBytes, long softBytes, long softSeconds) {
    /** Redis' default: {@code pubsub 32mb 8mb 60}. */
    public static final PubSubLimits REDIS = new PubSubLimits(32L << 20, 8L << 20, 60);

    public PubSubLimits {
        if (hardBytes < 0 || softBytes < 0 || softSeconds < 0) {
            throw new IllegalArgumentException("pub/sub output limits must not be negative");
        }
    }
}
