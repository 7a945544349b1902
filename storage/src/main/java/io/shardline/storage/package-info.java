/**
 * Per-shard files that never block a shard thread: direct I/O, a checksummed segmented log,
 * group commit and crash recovery. Built by the storage issue.
 */
package io.shardline.storage;
