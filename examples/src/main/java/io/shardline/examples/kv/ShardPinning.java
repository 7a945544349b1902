package io.shardline.examples.kv;

import java.util.Locale;

/**
 * Whether the KV server pins its shard threads to CPUs: a pure decision made once at start, on the
 * thread that builds the server; stateless, any thread.
 *
 * <p>By default ({@code auto}) shards are pinned only when the machine has a CPU left over for
 * everything else: the clients on the same host, the kernel's network work, the JVM's own threads.
 * With as many shards as CPUs a pinned shard cannot step aside: a client or a JIT thread that the
 * kernel put on its CPU delays every wake-up of that shard, and each cross-shard hop pays that delay.
 * Measured with redis-benchmark (50 clients, SET one key, {@code -P 1}) on 2 CPUs and 2 shards: pinned
 * 54-57k requests/s at 14.2 us of server CPU each, with redis-benchmark idle 37% of the time waiting
 * for replies; unpinned 82-90k/s at 10.6-11.8 us, redis-benchmark busy 87-92%. redis-server is not
 * pinned either. {@code -D}{@value #PROPERTY}{@code =true|false} overrides the rule.
 */
final class ShardPinning {
    /** System property: {@code auto} (the default), {@code true} (always pin) or {@code false} (never). */
    static final String PROPERTY = "shardline.kv.pin";

    private ShardPinning() {
    }

    /** Whether {@code shards} shards on {@code cpus} CPUs are pinned, given the property's value (null: auto). */
    static boolean pin(int shards, int cpus, String setting) {
        String s = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true" -> true;
            case "false" -> false;
            case "auto" -> shards < cpus;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be auto, true or false, not '"
                    + setting + "'");
        };
    }

    /** As {@link #pin(int, int, String)} for this machine and the system property. */
    static boolean pin(int shards) {
        return pin(shards, Runtime.getRuntime().availableProcessors(), System.getProperty(PROPERTY));
    }
}
