package io.shardline.examples.kv.store;

import java.util.Map;
import java.util.TreeMap;

/**
 * A consumer group of a stream: last delivered id, entries-read counter ({@link StreamValue#INVALID_READ}
 * when unknown), the group's pending entries by id and its consumers by name in byte order. Owned by
 * the stream's shard; not thread-safe.
 */
final class StreamGroup {
    StreamId lastId;
    long entriesRead;
    final TreeMap<StreamId, StreamNack> pel = new TreeMap<>();
    final TreeMap<Bytes, StreamConsumer> consumers = new TreeMap<>();

    StreamGroup(StreamId lastId, long entriesRead) {
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    StreamConsumer consumer(byte[] name) {
        return consumers.get(new Bytes(name));
    }

    /** The consumer {@code name}, created if missing (seen now). */
    StreamConsumer consumerOrCreate(byte[] name, long now) {
        return consumers.computeIfAbsent(new Bytes(name), n -> new StreamConsumer(n, now));
    }

    /** Removes {@code c} and its pending entries from the group; returns how many it had. */
    int deleteConsumer(StreamConsumer c) {
        int pending = c.pel.size();
        for (StreamId id : c.pel.keySet()) {
            pel.remove(id);
        }
        consumers.remove(c.name);
        return pending;
    }

    /** Drops a pending entry from the group and its consumer. */
    void ack(StreamId id, StreamNack nack) {
        pel.remove(id);
        if (nack.consumer != null) {
            nack.consumer.pel.remove(id);
        }
    }

    StreamGroup copy() {
        StreamGroup g = new StreamGroup(lastId, entriesRead);
        for (Map.Entry<Bytes, StreamConsumer> e : consumers.entrySet()) {
            StreamConsumer from = e.getValue();
            StreamConsumer to = new StreamConsumer(from.name, from.seenTime);
            to.activeTime = from.activeTime;
            g.consumers.put(e.getKey(), to);
        }
        for (Map.Entry<StreamId, StreamNack> e : pel.entrySet()) {
            StreamNack n = e.getValue();
            StreamConsumer owner = g.consumers.get(n.consumer.name);
            StreamNack copy = new StreamNack(owner, n.deliveryTime, n.deliveryCount);
            g.pel.put(e.getKey(), copy);
            owner.pel.put(e.getKey(), copy);
        }
        return g;
    }
}
