package io.shardline.storage;

/**
 * Counters of one log, copied at one moment. Immutable, any thread.
 *
 * @param appends records appended
 * @param appendedBytes payload bytes appended
 * @param writes write calls issued (each carries one batch of appends)
 * @param forces forces issued (fdatasync)
 * @param maxBatch the most appends one write carried
 * @param segments segment files in the log
 * @param syncedWrites writes durable on their own, to an O_DSYNC file (an {@code always} log's), with no
 *        force after them; also counted in {@code writes}
 */
public record LogStats(long appends, long appendedBytes, long writes, long forces, int maxBatch, int segments,
                       long syncedWrites) {
}
