package io.shardline.examples.router;

import io.shardline.net.NetStats;
import io.shardline.net.Transport;
import java.util.ArrayList;
import java.util.List;

/**
 * What a router holds in memory of the bytes passing through it, sampled from its shards' transport
 * counters: bytes read from its sockets less bytes written to them, summed over its shards (each
 * byte it relays is read once and written once, give or take a few bytes of re-chunking). Used
 * from one test thread; the counters it reads are published for any thread.
 */
final class RouterHeld {
    private final List<Transport> transports = new ArrayList<>();
    private long max;

    RouterHeld(RouterServer r) throws Exception {
        for (int i = 0; i < r.shards(); i++) {
            int shard = i;
            transports.add(r.runtime().submit(shard, () -> Transport.of(r.runtime().shard(shard).loop())).get());
        }
    }

    /** Takes one sample; returns the bytes held now. */
    long sample() {
        long held = 0;
        for (Transport t : transports) {
            NetStats s = t.stats();
            held += s.bytesIn() - s.bytesOut();
        }
        max = Math.max(max, held);
        return held;
    }

    /** The most held at any sample so far. */
    long max() {
        return max;
    }
}
