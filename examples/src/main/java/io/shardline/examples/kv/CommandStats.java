package io.shardline.examples.kv;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owned by one shard; not thread-safe: how many times each command was dispatched on this shard and
 * how long that took, as Redis' INFO commandstats keeps {@code calls} and {@code usec}. Plain fields,
 * written only by the shard; the metrics exporter reads a {@link #copy} taken on the shard.
 *
 * <p>A command is counted on the shard of the connection that sent it, once however many shards it
 * touches. Its time is what dispatching it took on that shard: the whole command when it ran there,
 * only the hand-off when its key lives on another shard or it waits (a blocked BLPOP does not count
 * its wait, as in Redis).
 */
final class CommandStats {
    /** One command's counters; mutable, confined to the shard. */
    private static final class Counts {
        long calls;
        long nanos;
    }

    /** One command's counters as copied; immutable. */
    record Entry(String command, long calls, long nanos) {
    }

    /** By the command table's own instances: an identity lookup per command, allocation only the first time. */
    private final Map<CommandSpec, Counts> bySpec = new IdentityHashMap<>();

    void record(CommandSpec spec, long nanos) {
        Counts c = bySpec.get(spec);
        if (c == null) {
            c = new Counts();
            bySpec.put(spec, c);
        }
        c.calls++;
        c.nanos += nanos;
    }

    /** A copy of every command's counters, for another thread. */
    List<Entry> copy() {
        List<Entry> out = new ArrayList<>(bySpec.size());
        bySpec.forEach((spec, c) -> out.add(new Entry(spec.name(), c.calls, c.nanos)));
        return out;
    }
}
