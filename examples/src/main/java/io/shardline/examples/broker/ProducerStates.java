package io.shardline.examples.broker;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One partition's idempotent-producer state, as Kafka's ProducerStateManager keeps it: per producer id its
 * epoch and its last {@value #BATCHES_KEPT} batches (sequence range and offsets), so a retried batch gets its
 * first answer and a gap or a stale epoch is refused. Owned by the partition's shard; not thread-safe.
 *
 * <p>Nothing is written for it: the batch headers in the log carry every field, so a restart rebuilds it by
 * {@link #record replaying} them in the scan that rebuilds the partition's index.
 */
final class ProducerStates {
    /** Kafka's {@code ProducerStateEntry.NUM_BATCHES_TO_RETAIN}: the producer has at most 5 requests in flight. */
    static final int BATCHES_KEPT = 5;
    /** Kafka's {@code producer.id.expiration.ms} default: a producer silent this long is forgotten. */
    static final long EXPIRATION_MS = 86_400_000L;

    /** One producer: its epoch and a ring of its last batches, oldest first from {@code head - count}. */
    private static final class Entry {
        short epoch;
        final int[] firstSeq = new int[BATCHES_KEPT];
        final int[] lastSeq = new int[BATCHES_KEPT];
        final long[] baseOffset = new long[BATCHES_KEPT];
        int head;
        int count;
        long lastOffset;
        long lastTimestamp;

        int slot(int back) {
            return Math.floorMod(head - 1 - back, BATCHES_KEPT);
        }
    }

    private final Map<Long, Entry> producers = new HashMap<>();

    int size() {
        return producers.size();
    }

    /**
     * The base offset this producer's batch {@code [firstSeq, lastSeq]} got when first appended, if it is one
     * of the last kept ones of the same epoch; else -1.
     */
    long duplicateOf(long producerId, short epoch, int firstSeq, int lastSeq) {
        Entry e = producers.get(producerId);
        if (e == null || e.epoch != epoch) {
            return -1;
        }
        for (int i = 0; i < e.count; i++) {
            int s = e.slot(i);
            if (e.firstSeq[s] == firstSeq && e.lastSeq[s] == lastSeq) {
                return e.baseOffset[s];
            }
        }
        return -1;
    }

    /**
     * Kafka's epoch and sequence checks for a batch that is not a duplicate: an epoch older than the last
     * seen is fenced; a new epoch must start at sequence 0; the same epoch must go on from the last
     * sequence. A producer this partition does not know is taken at any sequence (since KIP-360 a broker no
     * longer answers UNKNOWN_PRODUCER_ID: the producer's batches may have been removed by retention).
     */
    short check(long producerId, short epoch, int firstSeq) {
        Entry e = producers.get(producerId);
        if (e == null) {
            return Errors.NONE;
        }
        if (epoch < e.epoch) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        if (epoch != e.epoch) {
            return firstSeq == 0 ? Errors.NONE : Errors.OUT_OF_ORDER_SEQUENCE_NUMBER;
        }
        if (e.count == 0) {
            return Errors.NONE;
        }
        int last = e.lastSeq[e.slot(0)];
        boolean inSequence = firstSeq == last + 1L || (firstSeq == 0 && last == Integer.MAX_VALUE);
        return inSequence ? Errors.NONE : Errors.OUT_OF_ORDER_SEQUENCE_NUMBER;
    }

    /** Notes an appended batch (or one found in the log at recovery); a new epoch forgets the old one's batches. */
    void record(long producerId, short epoch, int firstSeq, int lastSeq, long baseOffset, long lastOffset, long timestamp) {
        Entry e = producers.computeIfAbsent(producerId, id -> new Entry());
        if (e.epoch != epoch) {
            e.epoch = epoch;
            e.count = 0;
        }
        int s = e.head;
        e.firstSeq[s] = firstSeq;
        e.lastSeq[s] = lastSeq;
        e.baseOffset[s] = baseOffset;
        e.head = (s + 1) % BATCHES_KEPT;
        e.count = Math.min(e.count + 1, BATCHES_KEPT);
        e.lastOffset = lastOffset;
        e.lastTimestamp = Math.max(e.lastTimestamp, timestamp);
    }

    /**
     * Forgets producers whose last batch retention removed (before {@code logStartOffset}) or that have been
     * silent past {@link #EXPIRATION_MS}, as Kafka does, so the table is bounded by the live producers.
     */
    int expire(long logStartOffset, long nowMillis) {
        int removed = 0;
        for (Iterator<Entry> it = producers.values().iterator(); it.hasNext();) {
            Entry e = it.next();
            if (e.lastOffset < logStartOffset || nowMillis - e.lastTimestamp >= EXPIRATION_MS) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    /** The last sequence of a batch starting at {@code firstSeq} with {@code lastOffsetDelta}, wrapping as Kafka's does. */
    static int lastSequence(int firstSeq, int lastOffsetDelta) {
        return firstSeq > Integer.MAX_VALUE - lastOffsetDelta ? lastOffsetDelta - (Integer.MAX_VALUE - firstSeq) - 1
                : firstSeq + lastOffsetDelta;
    }
}
