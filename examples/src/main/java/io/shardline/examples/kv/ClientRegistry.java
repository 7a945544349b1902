package io.shardline.examples.kv;

import io.shardline.core.Loop;
import io.shardline.core.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The connections living on one shard, by client id, in the order they connected: what CLIENT LIST,
 * CLIENT KILL and the idle {@code timeout} walk on this shard (each shard answers for its own, gathered
 * over the mesh). Owned by its shard: every method runs on that shard's thread.
 */
final class ClientRegistry {
    /** Redis' clientsCron looks at idle clients about once a second. */
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);

    private final LinkedHashMap<Long, KvConnection> byId = new LinkedHashMap<>();
    private final ClientPause pause;
    private Timer idleCheck;

    ClientRegistry(Loop loop) {
        this.pause = new ClientPause(loop);
    }

    /** This shard's part of CLIENT PAUSE. */
    ClientPause pause() {
        return pause;
    }

    void add(KvConnection c) {
        byId.put(c.id, c);
    }

    void remove(KvConnection c) {
        byId.remove(c.id);
    }

    KvConnection get(long id) {
        return byId.get(id);
    }

    /** A copy: killing a client while walking them removes it. */
    List<KvConnection> all() {
        return new ArrayList<>(byId.values());
    }

    int size() {
        return byId.size();
    }

    /** Starts the once-a-second check that closes clients idle past {@code timeout} (read live from {@code config}). */
    void startIdleCheck(Loop loop, LiveConfig config, java.util.function.LongSupplier clock) {
        idleCheck = loop.schedulePeriodic(IDLE_CHECK, IDLE_CHECK, () -> closeIdle(config.timeoutSeconds(), clock.getAsLong()));
    }

    void stop() {
        if (idleCheck != null) {
            idleCheck.cancel();
        }
    }

    /**
     * Closes the clients idle for more than {@code seconds} (0: never), as Redis' clientsCronHandleTimeout:
     * not a RESP2 subscriber, not a client blocked in a command (its own timeout ends that wait) or
     * waiting for CLIENT PAUSE to end.
     */
    int closeIdle(long seconds, long nowMillis) {
        if (seconds <= 0) {
            return 0;
        }
        int closed = 0;
        for (KvConnection c : all()) {
            if (!c.subscribedResp2() && c.onClose == null && !c.parked && (nowMillis - c.lastInteractionMillis) / 1000 > seconds) {
                c.kill();
                closed++;
            }
        }
        return closed;
    }
}
