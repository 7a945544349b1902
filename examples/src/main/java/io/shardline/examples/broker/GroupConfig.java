package io.shardline.examples.broker;

/**
 * The group coordinator's settings, Kafka's broker configs of the same names. Immutable, any thread.
 *
 * @param minSessionTimeoutMs {@code group.min.session.timeout.ms}: a JoinGroup with a shorter session gets INVALID_SESSION_TIMEOUT
 * @param maxSessionTimeoutMs {@code group.max.session.timeout.ms}
 * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}: how long the first rebalance of an
 *     empty group waits for more members (extended while they keep coming, up to the rebalance timeout)
 * @param offsetMetadataMaxBytes {@code offset.metadata.max.bytes}: longer commit metadata gets OFFSET_METADATA_TOO_LARGE
 */
public record GroupConfig(int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs,
        int offsetMetadataMaxBytes) {

    /** Kafka's defaults. */
    public static final GroupConfig DEFAULTS = new GroupConfig(6_000, 1_800_000, 3_000, 4_096);

    public GroupConfig {
        if (minSessionTimeoutMs < 0 || maxSessionTimeoutMs < minSessionTimeoutMs || initialRebalanceDelayMs < 0
                || offsetMetadataMaxBytes < 0) {
            throw new IllegalArgumentException("group config: timeouts and sizes must not be negative, min <= max");
        }
    }

    public GroupConfig withInitialRebalanceDelayMs(int ms) {
        return new GroupConfig(minSessionTimeoutMs, maxSessionTimeoutMs, ms, offsetMetadataMaxBytes);
    }

    public GroupConfig withMinSessionTimeoutMs(int ms) {
        return new GroupConfig(ms, maxSessionTimeoutMs, initialRebalanceDelayMs, offsetMetadataMaxBytes);
    }
}
