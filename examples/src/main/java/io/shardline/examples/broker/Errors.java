package io.shardline.examples.broker;

/** Kafka's error codes that this broker sends (see Kafka's {@code Errors}). Constants, any thread. */
final class Errors {
    static final short UNKNOWN_SERVER_ERROR = -1;
    static final short NONE = 0;
    static final short OFFSET_OUT_OF_RANGE = 1;
    static final short CORRUPT_MESSAGE = 2;
    static final short UNKNOWN_TOPIC_OR_PARTITION = 3;
    static final short MESSAGE_TOO_LARGE = 10;
    static final short OFFSET_METADATA_TOO_LARGE = 12;
    static final short COORDINATOR_NOT_AVAILABLE = 15;
    static final short INVALID_TOPIC_EXCEPTION = 17;
    static final short INVALID_REQUIRED_ACKS = 21;
    static final short ILLEGAL_GENERATION = 22;
    static final short INCONSISTENT_GROUP_PROTOCOL = 23;
    static final short INVALID_GROUP_ID = 24;
    static final short UNKNOWN_MEMBER_ID = 25;
    static final short INVALID_SESSION_TIMEOUT = 26;
    static final short REBALANCE_IN_PROGRESS = 27;
    static final short UNSUPPORTED_VERSION = 35;
    static final short TOPIC_ALREADY_EXISTS = 36;
    static final short INVALID_PARTITIONS = 37;
    static final short INVALID_REPLICATION_FACTOR = 38;
    static final short INVALID_REPLICA_ASSIGNMENT = 39;
    static final short INVALID_CONFIG = 40;
    static final short INVALID_REQUEST = 42;
    static final short OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
    static final short INVALID_PRODUCER_EPOCH = 47;
    static final short KAFKA_STORAGE_ERROR = 56;
    static final short FENCED_LEADER_EPOCH = 74;
    static final short UNKNOWN_LEADER_EPOCH = 76;
    static final short INVALID_RECORD = 87;
    static final short MEMBER_ID_REQUIRED = 79;
    static final short FENCED_INSTANCE_ID = 82;
    static final short UNKNOWN_TOPIC_ID = 100;

    private Errors() {
    }
}
