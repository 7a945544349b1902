package io.shardline.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * The {@code broker} suite's servers, each a process of its own with its data under the suite's directory
 * (the same disk for both): Shardline's broker through the repository's {@code ./shardline} launcher, as a
 * user runs it, and Apache Kafka as one KRaft node (broker and controller in one JVM, forked with this
 * JVM's class path, which holds {@code kafka_2.13}), its storage formatted first by Kafka's own
 * {@code StorageTool} with a random cluster id. Made by the suite's thread; {@link #close()} may also run on
 * its shutdown hook's thread.
 */
final class BrokerServers implements AutoCloseable {
    /**
     * Kafka's own start script's JVM settings ({@code kafka-server-start.sh}: a 1 GiB heap;
     * {@code kafka-run-class.sh}: G1 with a 20 ms pause goal).
     */
    static final List<String> KAFKA_JVM = List.of("-Xmx1G", "-Xms1G", "-server", "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
            "-Djava.awt.headless=true");

    private final Path root;
    private final Path dir;
    /** The servers started and not yet stopped: kept as the kv suite keeps its own. */
    private final KvServers running;

    BrokerServers(Path root, Path dir) {
        this.root = root;
        this.dir = dir;
        this.running = new KvServers(root, dir);
    }

    /** Shardline's broker at its defaults (a shard per CPU), data in the suite's directory. */
    ServerProcess shardline(String name) throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        Path data = dir.resolve(KvServers.slug(name) + "-data");
        List<String> command = List.of(root.resolve("shardline").toString(), "broker", "--port", Integer.toString(port),
                "--data", data.toString());
        return running.track(ServerProcess.start(name, port, command, root, dir.resolve(KvServers.slug(name) + ".log"),
                KafkaLoad::ready));
    }

    /**
     * Kafka's settings for one combined node: its roles, id, quorum of itself and listeners, and replication
     * factors of 1 for the internal topics (their defaults of 3 cannot be met by one node); all else default.
     */
    static String kafkaProperties(int port, int controllerPort, Path logDir) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + logDir,
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "");
    }

    /** Apache Kafka, one KRaft node: its storage formatted, then {@code kafka.Kafka} in a JVM of its own. */
    ServerProcess kafka(String name) throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        int controllerPort = ServerProcess.freePort();
        String slug = KvServers.slug(name);
        Path data = Files.createDirectories(dir.resolve(slug + "-data"));
        Path config = dir.resolve(slug + ".properties");
        Files.writeString(config, kafkaProperties(port, controllerPort, data), StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        Path formatLog = dir.resolve(slug + "-format.log");
        Process format = new ProcessBuilder(java, "-cp", classPath, "kafka.tools.StorageTool", "format", "-t",
                Uuid.randomUuid().toString(), "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(formatLog.toFile()).start();
        if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IOException("formatting Kafka's storage failed: " + Files.readString(formatLog));
        }
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(KAFKA_JVM);
        command.addAll(List.of("-cp", classPath, "kafka.Kafka", config.toString()));
        return running.track(ServerProcess.start(name, port, command, dir, dir.resolve(slug + ".log"), KafkaLoad::ready));
    }

    /** Stops every server still running; with {@code forGood}, also every server started from now on. */
    void close(boolean forGood) {
        running.close(forGood);
    }

    @Override
    public void close() {
        running.close();
    }
}
