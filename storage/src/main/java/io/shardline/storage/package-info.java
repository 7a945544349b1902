/**
 * Per-shard files that never block a shard thread. {@link io.shardline.storage.FileIo} is the I/O
 * backend a loop drives (one helper thread per loop today, shaped for io_uring);
 * {@link io.shardline.storage.SegmentedLog} is a checksummed, segmented, append-only log with O_DIRECT
 * writes, group commit, durability policies, crash recovery and retention;
 * {@link io.shardline.storage.SnapshotStore} holds the snapshots that let a log be truncated.
 */
package io.shardline.storage;
