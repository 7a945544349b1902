package io.shardline.shard;

import org.jctools.queues.SpscArrayQueue;

/**
 * The N×N bounded SPSC queues between shards, created at start and never resized. Immutable; each
 * queue i→j is offered to only by shard i and polled only by shard j.
 *
 * <p>Cost, stated up front as Glommio does: N² queues of 2×cap slots each (64 queues of 256 slots for
 * 8 shards at the default cap of 128). In exchange no queue is ever shared by two producers, so a send
 * is a plain store and an ordered index update, with no CAS. Requests i→j and replies to j's requests
 * share the queue i→j; since each direction holds at most cap slots in flight, an offer never fails.
 */
final class Mesh {
    private final int n;
    private final SpscArrayQueue<Envelope>[] queues;

    @SuppressWarnings({"unchecked", "rawtypes"}) // generic arrays
    Mesh(int n, int inflightPerPair) {
        this.n = n;
        this.queues = new SpscArrayQueue[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    queues[i * n + j] = new SpscArrayQueue<>(2 * inflightPerPair);
                }
            }
        }
    }

    SpscArrayQueue<Envelope> queue(int from, int to) {
        return queues[from * n + to];
    }
}
