package io.shardline.examples.kv.store;

import java.util.TreeMap;

/**
 * A consumer of a group: its name, its pending entries, when it was last seen (any read or claim
 * attempt) and last active (a successful one; -1 never), as Redis 7.2 tracks them. Owned by the
 * stream's shard; not thread-safe.
 */
final class StreamConsumer {
    final Bytes name;
    long seenTime;
    long activeTime = -1;
    final TreeMap<StreamId, StreamNack> pel = new TreeMap<>();

    StreamConsumer(Bytes name, long now) {
        this.name = name;
        this.seenTime = now;
    }
}
