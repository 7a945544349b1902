package io.shardline.examples.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a broker process in the middle of acks=all produce, again and again: after each restart
 * every record the broker acknowledged is at the offset it was given, with the same bytes.
 */
class BrokerCrashTest {
    static final java.util.logging.Logger KAFKA_LOG = BrokerClientsTest.KAFKA_LOG;
    private static final Pattern LISTENING = Pattern.compile("shardline broker on [^:]+:(\\d+)");
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    private record Broker(Process process, int port) {
    }

    private Broker startChild() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), BrokerMain.class.getName(),
                "--port", "0", "--shards", "2", "--data", dir.toString(), "--num-partitions", Integer.toString(PARTITIONS)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
                return new Broker(p, Integer.parseInt(m.group(1)));
            }
        }
        throw new AssertionError("the broker process ended before listening, exit " + p.waitFor());
    }

    private static Properties common(int port) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        return p;
    }

    @Test
    void acknowledgedRecordsSurviveSigkill() throws Exception {
        int rounds = Integer.getInteger("broker.crash.rounds", 6);
        Map<String, byte[]> acked = new ConcurrentHashMap<>(); // "partition/offset" -> value
        int next = 0;
        for (int round = 0; round <= rounds; round++) {
            Broker b = startChild();
            try {
                verify(b.port(), acked);
                if (round == rounds) {
                    break;
                }
                Properties pp = common(b.port());
                pp.put(ProducerConfig.ACKS_CONFIG, "all");
                pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
                pp.put(ProducerConfig.LINGER_MS_CONFIG, "1");
                pp.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000");
                pp.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(),
                        new ByteArraySerializer());
                int killAfter = 300 + round * 37 % 200;
                CountDownLatch enough = new CountDownLatch(killAfter);
                // Sends until the kill: the records in flight then are the ones a crash may lose.
                for (int i = 0; enough.getCount() > 0 && i < 200_000; i++) {
                    byte[] value = ("r" + round + "-" + next++ + "-" + "v".repeat(next % 100)).getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>("crash", i % PARTITIONS, null, value), (m, e) -> {
                        if (e == null) {
                            acked.put(m.partition() + "/" + m.offset(), value);
                            enough.countDown();
                        }
                    });
                    if (i % 50 == 49) {
                        producer.flush();
                    }
                }
                assertTrue(enough.await(60, TimeUnit.SECONDS));
                for (int i = 0; i < 100; i++) { // more in flight as the process dies
                    byte[] value = ("late" + round + "-" + i).getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>("crash", i % PARTITIONS, null, value), (m, e) -> {
                        if (e == null) {
                            acked.put(m.partition() + "/" + m.offset(), value);
                        }
                    });
                }
                b.process().destroyForcibly(); // SIGKILL
                b.process().waitFor(30, TimeUnit.SECONDS);
                producer.close(Duration.ZERO); // what was not answered before the kill is failed, not waited for
            } finally {
                b.process().destroyForcibly();
                b.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
        assertTrue(acked.size() >= rounds * 300, "acknowledged " + acked.size());
    }

    /** Every acknowledged record is at its offset with its bytes. */
    private static void verify(int port, Map<String, byte[]> acked) {
        if (acked.isEmpty()) {
            return;
        }
        Properties cp = common(port);
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                tps.add(new TopicPartition("crash", p));
            }
            c.assign(tps);
            tps.forEach(tp -> c.seek(tp, 0));
            Map<TopicPartition, Long> ends = c.endOffsets(tps);
            Map<String, byte[]> seen = new ConcurrentHashMap<>();
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.size() < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    seen.put(r.partition() + "/" + r.offset(), r.value());
                }
            }
            assertEquals(total, seen.size(), "every offset below the end is readable");
            for (Map.Entry<String, byte[]> e : acked.entrySet()) {
                byte[] got = seen.get(e.getKey());
                assertNotNull(got, "acknowledged record " + e.getKey() + " is gone");
                assertArrayEquals(e.getValue(), got, "record " + e.getKey());
            }
        }
    }
}
