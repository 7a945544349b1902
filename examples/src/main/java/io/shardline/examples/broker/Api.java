package io.shardline.examples.broker;

/**
 * The Kafka APIs this broker implements, with the version ranges it advertises in ApiVersions and the
 * first flexible version of each (from Kafka's message specs). Immutable, any thread.
 */
enum Api {
    PRODUCE(0, 3, 9, 9),
    FETCH(1, 4, 12, 12),
    LIST_OFFSETS(2, 1, 7, 6),
    METADATA(3, 0, 12, 9),
    OFFSET_COMMIT(8, 2, 8, 8),
    OFFSET_FETCH(9, 1, 8, 6),
    FIND_COORDINATOR(10, 0, 4, 3),
    JOIN_GROUP(11, 0, 7, 6),
    HEARTBEAT(12, 0, 4, 4),
    LEAVE_GROUP(13, 0, 4, 4),
    SYNC_GROUP(14, 0, 5, 4),
    DESCRIBE_GROUPS(15, 0, 5, 5),
    LIST_GROUPS(16, 0, 5, 3),
    API_VERSIONS(18, 0, 3, 3),
    INIT_PRODUCER_ID(22, 0, 4, 2),
    OFFSET_FOR_LEADER_EPOCH(23, 2, 4, 4),
    CREATE_TOPICS(19, 2, 7, 5),
    DELETE_TOPICS(20, 1, 6, 4),
    DESCRIBE_CONFIGS(32, 1, 4, 4);

    final short key;
    final short min;
    final short max;
    final short firstFlexible;

    private static final Api[] BY_KEY = new Api[64];

    static {
        for (Api a : values()) {
            BY_KEY[a.key] = a;
        }
    }

    Api(int key, int min, int max, int firstFlexible) {
        this.key = (short) key;
        this.min = (short) min;
        this.max = (short) max;
        this.firstFlexible = (short) firstFlexible;
    }

    /** The API with this key, or null for one this broker does not implement. */
    static Api of(short key) {
        return key >= 0 && key < BY_KEY.length ? BY_KEY[key] : null;
    }

    boolean supports(short version) {
        return version >= min && version <= max;
    }

    boolean flexible(short version) {
        return version >= firstFlexible;
    }
}
