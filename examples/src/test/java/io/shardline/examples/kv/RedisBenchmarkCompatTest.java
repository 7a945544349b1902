package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redis 7's redis-benchmark default suite runs against the KV server to completion with no error reply. */
class RedisBenchmarkCompatTest {
    static final List<String> TESTS = List.of("PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "LPUSH", "RPUSH", "LPOP",
            "RPOP", "SADD", "HSET", "SPOP", "ZADD", "ZPOPMIN", "LRANGE_100", "LRANGE_300", "LRANGE_500", "LRANGE_600",
            "MSET");

    @TempDir
    Path dir;

    @Test
    void theDefaultSuiteCompletesWithoutAnErrorReply() throws Exception {
        Path bench = RedisBinaries.find("redis-benchmark");
        Assumptions.assumeTrue(bench != null, "redis-benchmark is not installed");
        try (KvServer kv = KvServer.start(KvConfig.inMemory(2).withDataDir(dir))) {
            // Fewer requests than the default 100,000 keep CI short; the suite and its commands are the same.
            Process p = new ProcessBuilder(bench.toString(), "-h", "127.0.0.1", "-p", Integer.toString(kv.port()), "-q",
                    "-n", "5000", "-c", "20").redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "redis-benchmark did not finish");
            assertEquals(0, p.exitValue(), output);
            assertFalse(output.contains("Error") || output.contains("ERR") || output.contains("WRONGTYPE"), output);
            for (String test : TESTS) {
                // e.g. "SET: 51234.00 requests per second" or "LRANGE_100 (first 100 elements): 43859.65 requests..."
                java.util.regex.Pattern done = java.util.regex.Pattern.compile("(^|\\s)" + test
                        + "( \\([^)]*\\))?: [0-9.]+ requests per second");
                assertTrue(done.matcher(output).find(), "no result for " + test + " in:\n" + output);
            }
        }
    }
}
