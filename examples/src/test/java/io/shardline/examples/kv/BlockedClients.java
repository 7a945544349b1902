package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Follows the {@link KeyWaiters} of every shard of a test's server through their change hook, so a test
 * waits for "n clients blocked" on a monitor the shards notify rather than polling INFO or sleeping.
 * Made and read by the test thread; the shards write it under its lock.
 */
final class BlockedClients {
    private final int[] blocked;
    private final int[] entries;
    private final Object lock = new Object();

    private BlockedClients(int shards) {
        blocked = new int[shards];
        entries = new int[shards];
    }

    /** Hooks every shard of {@code server}; a server's shards each take one follower at a time. */
    static BlockedClients follow(KvServer server) throws Exception {
        int shards = server.config().shards();
        BlockedClients b = new BlockedClients(shards);
        for (int s = 0; s < shards; s++) {
            int shard = s;
            server.onShard(s, () -> {
                KeyWaiters w = server.shards().local().waiters();
                w.onChange = () -> {
                    synchronized (b.lock) {
                        b.blocked[shard] = w.size();
                        b.entries[shard] = w.entries();
                        b.lock.notifyAll();
                    }
                };
                w.onChange.run();
                return null;
            }).get(30, TimeUnit.SECONDS);
        }
        return b;
    }

    /** Waits until {@code n} clients are blocked over all shards, counted as INFO's blocked_clients counts them. */
    void await(int n) throws InterruptedException {
        await(() -> Arrays.stream(blocked).sum() == n, n + " blocked clients");
    }

    /** Waits until no shard keeps any waiter or blocked call. */
    void awaitNothingLeft() throws InterruptedException {
        await(() -> Arrays.stream(blocked).sum() == 0 && Arrays.stream(entries).sum() == 0, "no waiters left");
    }

    private void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a bound on a hung test, not a pace
        synchronized (lock) {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "timed out waiting for " + what + ": blocked " + Arrays.toString(blocked)
                        + " entries " + Arrays.toString(entries));
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }
}
