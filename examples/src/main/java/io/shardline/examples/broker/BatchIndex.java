package io.shardline.examples.broker;

import java.util.Arrays;

/**
 * A partition's in-memory index: for each batch in its log, in log order, the Kafka base offset and the
 * max timestamp. Owned by the partition's shard; not thread-safe.
 *
 * <p>Batch {@code i} of the index is log record {@code firstLogOffset + i}, since a partition's log holds
 * one record per batch and appends keep their order; rebuilt by a scan when the log opens. Sixteen bytes
 * per batch: a producer's batches hold many records each, so this stays small against the data.
 */
final class BatchIndex {
    private long[] bases = new long[64];
    private long[] maxTimestamps = new long[64];
    /** Entries {@code [head, head + size)} are live; retention moves {@code head}. */
    private int head;
    private int size;
    /** The log offset of entry {@code head}. */
    private long firstLogOffset;

    BatchIndex(long firstLogOffset) {
        this.firstLogOffset = firstLogOffset;
    }

    int size() {
        return size;
    }

    void add(long baseOffset, long maxTimestamp) {
        if (head + size == bases.length) {
            if (head > bases.length / 2) {
                System.arraycopy(bases, head, bases, 0, size);
                System.arraycopy(maxTimestamps, head, maxTimestamps, 0, size);
                head = 0;
            } else {
                bases = Arrays.copyOf(bases, bases.length * 2);
                maxTimestamps = Arrays.copyOf(maxTimestamps, maxTimestamps.length * 2);
            }
        }
        bases[head + size] = baseOffset;
        maxTimestamps[head + size] = maxTimestamp;
        size++;
    }

    /** Takes back the last entry (an append the log refused at once). */
    void removeLast() {
        size--;
    }

    /** Drops the entries of log records before {@code logStart} (segments retention deleted). */
    void trimTo(long logStart) {
        long drop = Math.min(size, Math.max(0, logStart - firstLogOffset));
        head += (int) drop;
        size -= (int) drop;
        firstLogOffset += drop;
    }

    long base(int i) {
        return bases[head + i];
    }

    long maxTimestamp(int i) {
        return maxTimestamps[head + i];
    }

    long logOffset(int i) {
        return firstLogOffset + i;
    }

    /** The last batch whose base offset is at most {@code offset}, or -1 if none. */
    int floor(long offset) {
        int lo = 0;
        int hi = size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (bases[head + mid] <= offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The first batch whose max timestamp is at least {@code ts}, or -1 (a linear scan: ListOffsets is rare). */
    int firstWithMaxTimestampAtLeast(long ts) {
        for (int i = 0; i < size; i++) {
            if (maxTimestamps[head + i] >= ts) {
                return i;
            }
        }
        return -1;
    }

    /** The batch with the largest max timestamp (the first of equals), or -1 if empty. */
    int withLargestTimestamp() {
        int best = -1;
        for (int i = 0; i < size; i++) {
            if (best < 0 || maxTimestamps[head + i] > maxTimestamps[head + best]) {
                best = i;
            }
        }
        return best;
    }
}
