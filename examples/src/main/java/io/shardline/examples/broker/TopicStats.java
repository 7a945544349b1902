package io.shardline.examples.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Owned by one shard; not thread-safe: Produce and Fetch requests, bytes and errors by topic, counted
 * on the shard of the connection that sent them. Plain fields, written only by the shard; the metrics
 * exporter reads a {@link #copy} taken on the shard.
 *
 * <p>A request counts once for each topic it names. A name the shard's topic table does not know is
 * counted under {@link #UNKNOWN}, so a client naming endless made-up topics cannot grow this map.
 */
final class TopicStats {
    /** The label of topics that did not exist when the request was answered. */
    static final String UNKNOWN = "(unknown)";

    /** One topic's counters as copied; immutable. */
    record Entry(String topic, long produceRequests, long produceBytes, long produceErrors, long fetchRequests,
                 long fetchBytes, long fetchErrors) {
    }

    private static final class Counts {
        long produceRequests;
        long produceBytes;
        long produceErrors;
        long fetchRequests;
        long fetchBytes;
        long fetchErrors;
    }

    private final TopicTable topics;
    private final Map<String, Counts> byTopic = new HashMap<>();

    TopicStats(TopicTable topics) {
        this.topics = topics;
    }

    /** One Produce request's part for {@code topic}: its record bytes and the partitions that failed. */
    void produced(String topic, long bytes, long errors) {
        Counts c = counts(topic);
        c.produceRequests++;
        c.produceBytes += bytes;
        c.produceErrors += errors;
    }

    /** One Fetch response's part for {@code topic}: the record bytes sent and the partitions that failed. */
    void fetched(String topic, long bytes, long errors) {
        Counts c = counts(topic);
        c.fetchRequests++;
        c.fetchBytes += bytes;
        c.fetchErrors += errors;
    }

    private Counts counts(String topic) {
        String key = topic != null && topics.get(topic) != null ? topic : UNKNOWN;
        return byTopic.computeIfAbsent(key, k -> new Counts());
    }

    /** A copy of every topic's counters, for another thread. */
    List<Entry> copy() {
        List<Entry> out = new ArrayList<>(byTopic.size());
        byTopic.forEach((t, c) -> out.add(new Entry(t, c.produceRequests, c.produceBytes, c.produceErrors,
                c.fetchRequests, c.fetchBytes, c.fetchErrors)));
        return out;
    }
}
