package io.shardline.shard;

import io.shardline.core.LoopStats;

/**
 * A snapshot of one shard's counters, read from any thread without locks; immutable.
 *
 * @param shardId  the shard
 * @param cpu      the CPU it is pinned to, or -1 if unpinned
 * @param sent     requests this shard sent to other shards
 * @param served   requests from other shards this shard ran
 * @param replies  replies this shard received
 * @param waits    requests that waited for a free slot (the per-pair in-flight cap)
 * @param inFlight requests sent and not yet answered
 * @param waiting  requests waiting for a slot right now
 * @param loop     the shard loop's own counters (tasks, busy and parked time, wake-ups, stalls)
 */
public record ShardStats(int shardId, int cpu, long sent, long served, long replies, long waits, long inFlight,
                         long waiting, LoopStats loop) {
}
