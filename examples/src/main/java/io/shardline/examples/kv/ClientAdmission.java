package io.shardline.examples.kv;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Redis's {@code maxclients}: the count of client connections open on every shard, and the admission
 * check a new one passes. Owned by the {@link KvServer}; used from any shard's thread. It is the one
 * count the shards share, because the limit is the whole server's, as in Redis; it is touched only
 * when a connection opens or closes, never per request.
 */
final class ClientAdmission {
    static final String REFUSAL = "-ERR max number of clients reached\r\n";

    private final AtomicInteger open = new AtomicInteger();

    /** True, and the connection counted, if fewer than {@code maxClients} are open now. */
    boolean admit(long maxClients) {
        while (true) {
            int now = open.get();
            if (now >= maxClients) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** An admitted connection closed. */
    void left() {
        open.decrementAndGet();
    }
}
