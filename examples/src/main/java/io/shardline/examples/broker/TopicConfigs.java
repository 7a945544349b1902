package io.shardline.examples.broker;

import java.util.ArrayList;
import java.util.List;

/**
 * The configs DescribeConfigs and CreateTopics report for a topic or for the broker: the few this broker
 * acts on, with their effective values and where each comes from. Stateless, any thread.
 */
final class TopicConfigs {
    /** Kafka's config sources and types (DescribeConfigsResponse). */
    static final byte DYNAMIC_TOPIC_CONFIG = 1;
    static final byte STATIC_BROKER_CONFIG = 4;
    static final byte DEFAULT_CONFIG = 5;
    static final byte STRING = 2;
    static final byte INT = 3;
    static final byte LONG = 5;
    static final byte LIST = 7;

    /** One config entry. */
    record Entry(String name, String value, byte source, byte type) {
    }

    private TopicConfigs() {
    }

    /** A topic's configs: what it was created with, else the broker's values. */
    static List<Entry> of(TopicInfo t, BrokerConfig c) {
        List<Entry> out = new ArrayList<>();
        out.add(topicOr(t, "cleanup.policy", "delete", DEFAULT_CONFIG, LIST));
        out.add(topicOr(t, "compression.type", "producer", DEFAULT_CONFIG, STRING));
        out.add(topicOr(t, "max.message.bytes", Integer.toString(c.maxMessageBytes()), source(
                c.maxMessageBytes() != BrokerConfig.DEFAULT_MAX_MESSAGE_BYTES), INT));
        out.add(topicOr(t, TopicInfo.TIMESTAMP_TYPE, "CreateTime", DEFAULT_CONFIG, STRING));
        out.add(topicOr(t, "min.insync.replicas", "1", DEFAULT_CONFIG, INT));
        out.add(topicOr(t, "retention.bytes", Long.toString(c.retentionBytes() > 0 ? c.retentionBytes() : -1),
                source(c.retentionBytes() > 0), LONG));
        out.add(topicOr(t, "retention.ms", Long.toString(c.retentionMs() > 0 ? c.retentionMs() : -1),
                source(c.retentionMs() > 0), LONG));
        out.add(topicOr(t, "segment.bytes", Integer.toString(c.segmentBytes()),
                source(c.segmentBytes() != BrokerConfig.DEFAULT_SEGMENT_BYTES), INT));
        return out;
    }

    /** The broker's own configs. */
    static List<Entry> broker(BrokerConfig c) {
        List<Entry> out = new ArrayList<>();
        out.add(new Entry("auto.create.topics.enable", Boolean.toString(c.autoCreateTopics()), STATIC_BROKER_CONFIG, (byte) 1));
        out.add(new Entry("broker.id", Integer.toString(BrokerConfig.NODE_ID), STATIC_BROKER_CONFIG, INT));
        out.add(new Entry("log.dirs", c.dataDir().toString(), STATIC_BROKER_CONFIG, STRING));
        out.add(new Entry("log.retention.bytes", Long.toString(c.retentionBytes() > 0 ? c.retentionBytes() : -1),
                source(c.retentionBytes() > 0), LONG));
        out.add(new Entry("log.retention.ms", Long.toString(c.retentionMs() > 0 ? c.retentionMs() : -1),
                source(c.retentionMs() > 0), LONG));
        out.add(new Entry("log.segment.bytes", Integer.toString(c.segmentBytes()), STATIC_BROKER_CONFIG, INT));
        out.add(new Entry("message.max.bytes", Integer.toString(c.maxMessageBytes()), DEFAULT_CONFIG, INT));
        out.add(new Entry("num.partitions", Integer.toString(c.numPartitions()), STATIC_BROKER_CONFIG, INT));
        out.add(new Entry("socket.request.max.bytes", Integer.toString(c.maxRequestBytes()), DEFAULT_CONFIG, INT));
        return out;
    }

    private static byte source(boolean set) {
        return set ? STATIC_BROKER_CONFIG : DEFAULT_CONFIG;
    }

    private static Entry topicOr(TopicInfo t, String name, String fallback, byte fallbackSource, byte type) {
        String v = t.configs().get(name);
        return v != null ? new Entry(name, v, DYNAMIC_TOPIC_CONFIG, type) : new Entry(name, fallback, fallbackSource, type);
    }
}
