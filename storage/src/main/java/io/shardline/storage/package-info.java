/**
 * Per-shard files that never block a shard thread. {@link io.shardline.storage.FileIo} is the I/O
 * backend a loop drives: {@link io.shardline.storage.RingFileIo} on the loop's own io_uring ring where
 * it has one, else {@link io.shardline.storage.HelperThreadFileIo}, one helper thread per loop
 * ({@link io.shardline.storage.Storage#fileIo} picks; {@code -Dshardline.storage.fileio=auto|ring|helper});
 * {@link io.shardline.storage.SegmentedLog} is a checksummed, segmented, append-only log with O_DIRECT
 * writes, group commit, durability policies, crash recovery and retention;
 * {@link io.shardline.storage.SnapshotStore} holds the snapshots that let a log be truncated.
 */
package io.shardline.storage;
