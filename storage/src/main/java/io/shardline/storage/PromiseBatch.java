package io.shardline.storage;

import io.shardline.core.Promise;
import java.util.Arrays;

/**
 * The futures of one batch of appends, whose records have consecutive offsets from {@link #first}.
 * Owned by a log's writer on its loop; not thread-safe. The writer keeps two and swaps them: one
 * fills while the other's write is in flight, and the array is reused, so a batch costs no
 * allocation once it has grown to the largest batch seen.
 */
final class PromiseBatch {
    @SuppressWarnings("unchecked")
    private Promise<Long>[] promises = (Promise<Long>[]) new Promise<?>[64];
    private int count;
    private long first;

    /** Adds the future of the record at {@code offset}, the batch's next offset. */
    void add(Promise<Long> promise, long offset) {
        if (count == 0) {
            first = offset;
        }
        if (count == promises.length) {
            promises = Arrays.copyOf(promises, count * 2);
        }
        promises[count++] = promise;
    }

    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** The offset after the batch's last record. */
    long end() {
        return first + count;
    }

    /**
     * Completes each future with its offset and empties the batch. The batch is empty before the
     * first future runs its continuations, so an append made from one lands in a fresh batch.
     */
    void succeedAll() {
        int n = count;
        long base = first;
        count = 0;
        for (int i = 0; i < n; i++) {
            Promise<Long> p = promises[i];
            promises[i] = null;
            p.trySucceed(base + i);
        }
    }

    /** Fails every future with {@code cause} and empties the batch. */
    void failAll(Throwable cause) {
        int n = count;
        count = 0;
        for (int i = 0; i < n; i++) {
            Promise<Long> p = promises[i];
            promises[i] = null;
            p.tryFail(cause);
        }
    }
}
