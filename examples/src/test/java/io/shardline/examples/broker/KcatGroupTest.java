package io.shardline.examples.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shardline.examples.Polling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** librdkafka's balanced consumer: two {@code kcat -G} members share a topic's partitions. Skipped without kcat. */
class KcatGroupTest {
    static final java.util.logging.Logger KAFKA_LOG = BrokerClientsTest.KAFKA_LOG;

    @TempDir
    Path dir;
    BrokerServer broker;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(KcatTest.KCAT), "kcat is not installed");
        broker = BrokerServer.start(BrokerConfig.defaults(dir.resolve("data"), 2), GroupClientsTest.GROUPS);
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    private Path member(String group, String topic, int n) throws IOException {
        Path out = dir.resolve("member-" + n + ".txt");
        List<String> cmd = List.of(KcatTest.KCAT.toString(), "-b", "127.0.0.1:" + broker.port(), "-G", group, "-u",
                "-q", "-f", "%p %o %s\\n", "-X", "auto.offset.reset=earliest", "-X", "session.timeout.ms=6000",
                "-X", "heartbeat.interval.ms=300", topic);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(out.toFile()).start();
        started.add(p);
        return out;
    }

    private boolean stableWithTwo(String group) throws Exception {
        int shard = OffsetStore.coordinatorOf(group, broker.config().shards());
        return broker.onShard(shard, s -> {
            ConsumerGroup g = s.groups().group(group);
            return g != null && g.is(ConsumerGroup.State.STABLE) && g.members.size() == 2 && g.pendingSync.isEmpty();
        }).get(1, TimeUnit.MINUTES);
    }

    private static List<String> lines(Path f) throws IOException {
        String s = Files.readString(f, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String l : s.split("\n")) {
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void twoMembersShareTheTopic() throws Exception {
        String topic = "kg";
        int partitions = 4;
        int perPartition = 250;
        try (Admin admin = BrokerClientsTest.admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        Path a = member("kgroup", topic, 1);
        Path b = member("kgroup", topic, 2);
        // kcat processes join on their own time: nothing to wait on but the coordinator's view.
        Polling.await("the two kcat members form a stable group", Duration.ofSeconds(90), () -> stableWithTwo("kgroup"));
        try (KafkaProducer<byte[], byte[]> p = BrokerClientsTest.producer(broker, "all", "none")) {
            for (int i = 0; i < perPartition; i++) {
                for (int q = 0; q < partitions; q++) {
                    p.send(new ProducerRecord<>(topic, q, null, ("m-" + q + "-" + i).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        Set<String> all = new HashSet<>();
        Polling.await("the members read all " + partitions * perPartition + " messages", Duration.ofSeconds(90), () -> {
            all.clear();
            all.addAll(lines(a));
            all.addAll(lines(b));
            return all.size() >= partitions * perPartition;
        });
        Set<String> partitionsOfA = new HashSet<>();
        Set<String> partitionsOfB = new HashSet<>();
        for (String l : lines(a)) {
            partitionsOfA.add(l.split(" ")[0]);
        }
        for (String l : lines(b)) {
            partitionsOfB.add(l.split(" ")[0]);
        }
        assertFalse(partitionsOfA.isEmpty(), "the first member read nothing");
        assertFalse(partitionsOfB.isEmpty(), "the second member read nothing");
        Set<String> both = new HashSet<>(partitionsOfA);
        both.retainAll(partitionsOfB);
        assertTrue(both.isEmpty(), "partitions read by both members: " + both);
        for (int q = 0; q < partitions; q++) {
            for (int i = 0; i < perPartition; i++) {
                assertTrue(all.contains(q + " " + i + " m-" + q + "-" + i), "missing partition " + q + " offset " + i);
            }
        }
        assertEquals(partitions * perPartition, all.size());
    }
}
