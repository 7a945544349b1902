package io.shardline.examples.kv;

import io.shardline.storage.Durability;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Settings of a KV server. Immutable, any thread.
 *
 * @param address where to listen
 * @param shards how many shards
 * @param dataDir where each shard keeps its log and snapshots; null keeps everything in memory only
 * @param durability Redis' appendfsync: always, everysec or no
 * @param fsyncName the --fsync value as given, for CONFIG GET and INFO
 * @param requirePass the password AUTH must give, or null
 * @param maxBulkBytes the largest bulk string a client may send
 * @param maxArguments the most arguments one request may have
 * @param compactBytes a shard snapshots its keyspace and truncates its log after this many logged bytes
 * @param clock the wall clock expiry times are kept in, epoch milliseconds (tests move a fake one)
 * @param maxMemory Redis' maxmemory in bytes: past it, commands that may grow memory get -OOM; 0 for
 *        none set, which leaves the limit {@link MemoryLimit} derives from the heap
 * @param pubsubLimits Redis' {@code client-output-buffer-limit pubsub}: when a subscriber that does not read is cut off
 * @param databases Redis' {@code databases}: how many numbered databases (SELECT 0..n-1) every shard holds
 */
public record KvConfig(InetSocketAddress address, int shards, Path dataDir, Durability durability, String fsyncName,
        String requirePass, long maxBulkBytes, int maxArguments, long compactBytes, LongSupplier clock, long maxMemory,
        PubSubLimits pubsubLimits, int databases) {

    public static final long DEFAULT_MAX_BULK = 512L * 1024 * 1024;
    public static final int DEFAULT_MAX_ARGUMENTS = 1024 * 1024;
    public static final long DEFAULT_COMPACT_BYTES = 64L << 20;
    /** Redis' default {@code databases}. */
    public static final int DEFAULT_DATABASES = 16;
    /** Most databases: each shard keeps an array slot per database (filled only when one is used). */
    public static final int MAX_DATABASES = 1 << 20;

    public KvConfig {
        if (databases < 1 || databases > MAX_DATABASES) {
            throw new IllegalArgumentException("databases must be 1.." + MAX_DATABASES + ", was " + databases);
        }
    }

    /** The settings before numbered databases were configurable: Redis' 16. */
    public KvConfig(InetSocketAddress address, int shards, Path dataDir, Durability durability, String fsyncName,
            String requirePass, long maxBulkBytes, int maxArguments, long compactBytes, LongSupplier clock, long maxMemory,
            PubSubLimits pubsubLimits) {
        this(address, shards, dataDir, durability, fsyncName, requirePass, maxBulkBytes, maxArguments, compactBytes, clock,
                maxMemory, pubsubLimits, DEFAULT_DATABASES);
    }

    /** In-memory settings for tests: 127.0.0.1, an ephemeral port. */
    public static KvConfig inMemory(int shards) {
        return new KvConfig(new InetSocketAddress("127.0.0.1", 0), shards, null, Durability.interval(java.time.Duration.ofSeconds(1)),
                "everysec", null, DEFAULT_MAX_BULK, DEFAULT_MAX_ARGUMENTS, DEFAULT_COMPACT_BYTES, System::currentTimeMillis, 0,
                PubSubLimits.REDIS);
    }

    public KvConfig withDataDir(Path dir) {
        return new KvConfig(address, shards, dir, durability, fsyncName, requirePass, maxBulkBytes, maxArguments, compactBytes, clock, maxMemory, pubsubLimits, databases);
    }

    public KvConfig withRequirePass(String pass) {
        return new KvConfig(address, shards, dataDir, durability, fsyncName, pass, maxBulkBytes, maxArguments, compactBytes, clock, maxMemory, pubsubLimits, databases);
    }

    public KvConfig withFsync(String name) {
        return new KvConfig(address, shards, dataDir, fsyncDurability(name), name, requirePass, maxBulkBytes, maxArguments,
                compactBytes, clock, maxMemory, pubsubLimits, databases);
    }

    public KvConfig withLimits(long bulk, int arguments) {
        return new KvConfig(address, shards, dataDir, durability, fsyncName, requirePass, bulk, arguments, compactBytes, clock, maxMemory, pubsubLimits, databases);
    }

    public KvConfig withCompactBytes(long bytes) {
        return new KvConfig(address, shards, dataDir, durability, fsyncName, requirePass, maxBulkBytes, maxArguments, bytes, clock, maxMemory, pubsubLimits, databases);
    }

    public KvConfig withClock(LongSupplier epochMillis) {
        return new KvConfig(address, shards, dataDir, durability, fsyncName, requirePass, maxBulkBytes, maxArguments,
                compactBytes, epochMillis, maxMemory, pubsubLimits, databases);
    }

    /** With Redis' maxmemory set to {@code bytes} (0: derived from the heap). */
    public KvConfig withMaxMemory(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxmemory must be >= 0, was " + bytes);
        }
        return new KvConfig(address, shards, dataDir, durability, fsyncName, requirePass, maxBulkBytes, maxArguments,
                compactBytes, clock, bytes, pubsubLimits, databases);
    }

    /** With Redis' {@code databases} set to {@code n}. */
    public KvConfig withDatabases(int n) {
        return new KvConfig(address, shards, dataDir, durability, fsyncName, requirePass, maxBulkBytes, maxArguments,
                compactBytes, clock, maxMemory, pubsubLimits, n);
    }

    public KvConfig withPubSubLimits(PubSubLimits limits) {
        return new KvConfig(address, shards, dataDir, durability, fsyncName, requirePass, maxBulkBytes, maxArguments,
                compactBytes, clock, maxMemory, limits, databases);
    }

    /** Redis' appendfsync names to a log durability; an {@link IllegalArgumentException} for others. */
    public static Durability fsyncDurability(String name) {
        return switch (name) {
            case "always" -> Durability.always();
            case "everysec" -> Durability.interval(java.time.Duration.ofSeconds(1));
            case "no" -> Durability.never();
            default -> throw new IllegalArgumentException("--fsync must be always, everysec or no, was " + name);
        };
    }
}
