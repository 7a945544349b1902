package io.shardline.examples.kv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The differential tests' fixture: a redis-server child process and a 3-shard in-memory KV server side
 * by side. Owned by one test class (started in its @BeforeAll, closed in its @AfterAll); not thread-safe.
 */
final class RedisPair implements AutoCloseable {
    final Process redis;
    final int redisPort;
    final KvServer kv;

    private RedisPair(Process redis, int redisPort, KvServer kv) {
        this.redis = redis;
        this.redisPort = redisPort;
        this.kv = kv;
    }

    /**
     * Starts redis-server (no persistence, files in {@code dir}, then {@code extraArgs}) and waits until it
     * accepts connections, then the KV server; skips the calling test where redis-server is not installed.
     */
    static RedisPair start(Path dir, String... extraArgs) throws Exception {
        Path binary = RedisBinaries.find("redis-server");
        Assumptions.assumeTrue(binary != null, "redis-server is not installed");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(List.of(extraArgs));
        Process redis = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            awaitReady(redis);
            return new RedisPair(redis, port, KvServer.start(KvConfig.inMemory(3)));
        } catch (Exception | Error e) {
            stop(redis);
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            kv.close();
        } finally {
            stop(redis);
        }
    }

    static void stop(Process redis) throws InterruptedException {
        redis.destroy();
        redis.waitFor(10, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Reads redis-server's log until it says it accepts connections; then drains the rest in the background. */
    static void awaitReady(Process p) throws IOException {
        BufferedReader log = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = log.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.contains("Ready to accept connections")) {
                Thread.ofPlatform().daemon().start(() -> log.lines().forEach(l -> { }));
                return;
            }
        }
        throw new IllegalStateException("redis-server exited before it was ready:\n" + seen);
    }

    /**
     * A pair for a whole test class, as a JUnit extension: started before its first test (in a temporary
     * directory of its own, with {@code extraArgs} for redis-server), closed after its last. Used from the
     * test thread only.
     */
    static final class Fixture implements org.junit.jupiter.api.extension.BeforeAllCallback,
            org.junit.jupiter.api.extension.AfterAllCallback {
        private final String[] extraArgs;
        private Path dir;
        private RedisPair pair;

        Fixture(String... extraArgs) {
            this.extraArgs = extraArgs;
        }

        RedisPair pair() {
            return pair;
        }

        @Override
        public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
            dir = java.nio.file.Files.createTempDirectory("redis-pair");
            pair = start(dir, extraArgs);
        }

        @Override
        public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
            try {
                if (pair != null) {
                    pair.close();
                }
            } finally {
                try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }
}
