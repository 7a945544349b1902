package io.shardline.examples.broker;

import java.util.Map;
import java.util.UUID;

/**
 * One topic as the controller created it. Immutable, any thread: each shard holds the same instances
 * in its {@link TopicTable}.
 *
 * @param name the topic's name
 * @param partitions how many partitions it has
 * @param id its topic id (Metadata v10+, CreateTopics v7, DeleteTopics v6)
 * @param configs the topic-level configs it was created with (only those this broker knows)
 */
record TopicInfo(String name, int partitions, UUID id, Map<String, String> configs) {

    /** Topic config: CreateTime (default) or LogAppendTime. */
    static final String TIMESTAMP_TYPE = "message.timestamp.type";
    /** Topic configs that override the broker's retention and segment size for this topic's partitions. */
    static final String RETENTION_BYTES = "retention.bytes";
    static final String RETENTION_MS = "retention.ms";
    static final String SEGMENT_BYTES = "segment.bytes";

    TopicInfo {
        configs = Map.copyOf(configs);
    }

    /** A numeric topic config, or {@code fallback} when it is not set (CreateTopics checked that it parses). */
    long longConfig(String name, long fallback) {
        String v = configs.get(name);
        return v == null ? fallback : Long.parseLong(v.trim());
    }

    /** Why a numeric topic config is invalid, in Kafka's words, or null if it is fine. */
    static String invalidNumber(String name, String value) {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return "Invalid value " + value + " for configuration " + name + ": Not a number of type "
                    + (name.equals(SEGMENT_BYTES) ? "INT" : "LONG");
        }
        if (name.equals(SEGMENT_BYTES) && (n < 4096 || n > (1 << 30))) {
            return "Invalid value " + value + " for configuration " + name + ": Value must be 4096..1073741824 here";
        }
        if (!name.equals(SEGMENT_BYTES) && n < -1) {
            return "Invalid value " + value + " for configuration " + name + ": Value must be at least -1";
        }
        return null;
    }

    boolean logAppendTime() {
        return "LogAppendTime".equals(configs.get(TIMESTAMP_TYPE));
    }

    /** Kafka's rule for topic names: 1..249 characters of [a-zA-Z0-9._-], not "." or "..". */
    static String invalidName(String name) {
        if (name == null || name.isEmpty()) {
            return "Topic name is illegal, it can't be empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "Topic name cannot be \".\" or \"..\"";
        }
        if (name.length() > 249) {
            return "Topic name is illegal, it can't be longer than 249 characters, topic name: " + name;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                return "Topic name " + name + " is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'";
            }
        }
        return null;
    }
}
