package io.shardline.shard;

import org.jctools.queues.SpscArrayQueue;

/**
 * Immutable and shared by every shard, though each queue has one producer and one consumer: the
 * bounded SPSC queues between shards, created at start and never resized. A queue from i to j is
 * offered to only by shard i and polled only by shard j.
 *
 * <p>Each ordered pair (i, j) has two queues: i's requests to j, and i's replies to j's requests.
 * Keeping replies apart means a reply needs no envelope: a plain result travels alone and the
 * sender matches it to its oldest pending call. Cost, stated up front as Glommio does: 2·N·(N−1)
 * queues of cap slots each (112 queues of 128 slots for 8 shards at the default cap of 128). In
 * exchange no queue is ever shared by two producers, so a send is a plain store and an ordered index
 * update, with no CAS; since each direction holds at most cap messages in flight, an offer never
 * fails.
 */
final class Mesh {
    private final int n;
    private final SpscArrayQueue<Object>[] requests;
    private final SpscArrayQueue<Object>[] replies;

    Mesh(int n, int inflightPerPair) {
        this.n = n;
        this.requests = queues(n, inflightPerPair);
        this.replies = queues(n, inflightPerPair);
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // generic arrays
    private static SpscArrayQueue<Object>[] queues(int n, int capacity) {
        SpscArrayQueue<Object>[] queues = new SpscArrayQueue[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    queues[i * n + j] = new SpscArrayQueue<>(capacity);
                }
            }
        }
        return queues;
    }

    /** Requests from shard {@code from} to shard {@code to}. */
    SpscArrayQueue<Object> requests(int from, int to) {
        return requests[from * n + to];
    }

    /** Replies from shard {@code from} to the requests shard {@code to} sent it. */
    SpscArrayQueue<Object> replies(int from, int to) {
        return replies[from * n + to];
    }
}
