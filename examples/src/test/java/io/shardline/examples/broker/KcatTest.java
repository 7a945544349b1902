package io.shardline.examples.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** librdkafka's kcat against the broker: -L, then -P and -C -e of 10,000 messages. Skipped without kcat. */
class KcatTest {
    static final Path KCAT = Path.of("/usr/bin/kcat");

    @TempDir
    Path dir;
    BrokerServer broker;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(KCAT), "kcat is not installed");
        broker = BrokerServer.start(BrokerConfig.defaults(dir.resolve("data"), 2).withNumPartitions(3));
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private String run(Path stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(KCAT.toString());
        cmd.add("-b");
        cmd.add("127.0.0.1:" + broker.port());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Path out = dir.resolve("out-" + System.nanoTime());
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kcat " + String.join(" ", args) + " did not finish");
        assertEquals(0, p.exitValue(), "kcat " + String.join(" ", args));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void listProduceAndConsumeTenThousandMessages() throws Exception {
        int n = 10_000;
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < n; i++) {
            in.append("message-").append(i).append('-').append("p".repeat(i % 37)).append('\n');
        }
        Path input = dir.resolve("input.txt");
        Files.writeString(input, in.toString(), StandardCharsets.UTF_8);
        run(input, "-P", "-t", "kc", "-p", "0", "-X", "acks=all", "-z", "snappy");
        String meta = run(null, "-L", "-t", "kc");
        assertTrue(meta.contains("1 brokers:"), meta);
        assertTrue(meta.contains("topic \"kc\" with 3 partitions:"), meta);
        String consumed = run(null, "-C", "-t", "kc", "-p", "0", "-o", "beginning", "-e", "-f", "%o %s\\n");
        String[] lines = consumed.split("\n");
        assertEquals(n, lines.length);
        for (int i = 0; i < n; i++) {
            assertEquals(i + " message-" + i + "-" + "p".repeat(i % 37), lines[i]);
        }
    }
}
