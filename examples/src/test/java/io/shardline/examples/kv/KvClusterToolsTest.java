package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis' own cluster tools against cluster mode: {@code redis-cli -c} follows the redirections,
 * {@code redis-benchmark --cluster} runs with no error reply, and {@code redis-cli --cluster check}
 * finds every slot covered and every node agreeing. Skipped where redis-tools is not installed.
 */
@Timeout(300)
class KvClusterToolsTest {
    static KvServer server;

    @BeforeAll
    static void start() throws Exception {
        server = KvServer.start(KvConfig.inMemory(3), ClusterConfig.single("127.0.0.1", 0, 3));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String run(String... command) throws Exception {
        Path binary = RedisBinaries.find(command[0]);
        Assumptions.assumeTrue(binary != null, command[0] + " is not installed (Debian package redis-tools)");
        List<String> args = new ArrayList<>(List.of(command));
        args.set(0, binary.toString());
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(4, TimeUnit.MINUTES), command[0] + " did not finish");
        assertEquals(0, p.exitValue(), output);
        return output;
    }

    static String port() {
        return Integer.toString(server.port(0));
    }

    @Test
    void redisCliFollowsTheRedirections() throws Exception {
        for (int i = 0; i < 12; i++) {
            assertEquals("OK\n", run("redis-cli", "-c", "-p", port(), "SET", "cli-key-" + i, "value-" + i));
        }
        for (int i = 0; i < 12; i++) {
            assertEquals("value-" + i + "\n", run("redis-cli", "-c", "-p", port(), "GET", "cli-key-" + i));
        }
    }

    @Test
    void redisBenchmarkRunsInClusterModeWithoutAnError() throws Exception {
        String output = run("redis-benchmark", "--cluster", "-h", "127.0.0.1", "-p", port(), "-t", "set,get", "-n", "20000",
                "-P", "16", "-r", "100000", "-q");
        assertFalse(output.contains("ERR") || output.contains("MOVED") || output.contains("Error"), output);
        assertTrue(output.contains("Cluster has 3 master nodes"), output);
        assertTrue(output.matches("(?s).*SET: [0-9.]+ requests per second.*GET: [0-9.]+ requests per second.*"), output);
    }

    @Test
    void redisCliClusterCheckFindsEverySlotCovered() throws Exception {
        String output = run("redis-cli", "--cluster", "check", "127.0.0.1:" + port());
        assertTrue(output.contains("[OK] All nodes agree about slots configuration."), output);
        assertTrue(output.contains("[OK] All 16384 slots covered."), output);
        assertFalse(output.contains("[ERR]") || output.contains("[WARNING]"), output);
    }
}
