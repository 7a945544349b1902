package io.shardline.examples.kv;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * INFO's memory section: Redis' field names for what this server counts (used_memory is the sum of
 * the shards' keyspace accounting: tables, entries, records, values), plus the JVM figures a
 * benchmark compares with Redis (heap live after the last collection, off-heap buffers). Stateless;
 * reads the JVM's management beans and /proc, so call it off the hot path (INFO), on any thread.
 */
final class MemoryInfo {
    private static final long PAGE = 4096;

    private MemoryInfo() {
    }

    /** The memory section, with CONFIG's live {@code maxMemory} (0: none set) and {@code policy}. */
    static void append(StringBuilder b, KvConfig config, long usedMemory, long maxMemory, String policy, String scripting) {
        long rss = rssBytes();
        Runtime rt = Runtime.getRuntime();
        long heapCommitted = rt.totalMemory();
        long heapUsed = heapCommitted - rt.freeMemory();
        b.append("# Memory\r\n");
        field(b, "used_memory", usedMemory);
        human(b, "used_memory_human", usedMemory);
        field(b, "used_memory_rss", rss);
        human(b, "used_memory_rss_human", rss);
        field(b, "used_memory_dataset", usedMemory);
        b.append(scripting); // the Lua and script-cache fields, where Redis has them (ScriptInfo)
        field(b, "maxmemory", maxMemory);
        human(b, "maxmemory_human", maxMemory);
        b.append("maxmemory_policy:").append(policy).append("\r\n");
        b.append("mem_fragmentation_ratio:")
                .append(usedMemory == 0 ? "0.00" : String.format(Locale.ROOT, "%.2f", (double) rss / usedMemory)).append("\r\n");
        b.append("mem_allocator:jvm-heap\r\n");
        field(b, "memory_limit", maxMemory > 0 ? maxMemory : MemoryLimit.total(config));
        field(b, "heap_used", heapUsed);
        field(b, "heap_committed", heapCommitted);
        field(b, "heap_max", rt.maxMemory());
        field(b, "heap_live_after_gc", liveAfterGc());
        field(b, "offheap_bytes", offHeapBytes());
        b.append("\r\n");
    }

    /** Heap bytes in use right after each pool's last collection: after a full GC, the live heap. */
    static long liveAfterGc() {
        long n = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
                    ? pool.getCollectionUsage() : null;
            if (after != null) {
                n += after.getUsed();
            }
        }
        return n;
    }

    /** Direct and mapped NIO buffers: memory outside the heap this process holds for data. */
    static long offHeapBytes() {
        long n = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            n += Math.max(0, pool.getMemoryUsed());
        }
        return n;
    }

    /** Resident set size from /proc/self/statm, 0 where there is none. */
    static long rssBytes() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * PAGE;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static void field(StringBuilder b, String name, long value) {
        b.append(name).append(':').append(value).append("\r\n");
    }

    /** Redis' bytesToHuman: B, K, M, G with two decimals. */
    static void human(StringBuilder b, String name, long n) {
        String text;
        if (n < 1024) {
            text = n + "B";
        } else if (n < 1024L * 1024) {
            text = String.format(Locale.ROOT, "%.2fK", n / 1024.0);
        } else if (n < 1024L * 1024 * 1024) {
            text = String.format(Locale.ROOT, "%.2fM", n / (1024.0 * 1024));
        } else {
            text = String.format(Locale.ROOT, "%.2fG", n / (1024.0 * 1024 * 1024));
        }
        b.append(name).append(':').append(text).append("\r\n");
    }
}
