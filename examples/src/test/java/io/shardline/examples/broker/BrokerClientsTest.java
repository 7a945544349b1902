package io.shardline.examples.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The broker with the real Java Kafka clients: producer, consumer with assign+seek, AdminClient. */
class BrokerClientsTest {
    /** The clients log every config at INFO; held here so the setting is not collected away. */
    static final java.util.logging.Logger KAFKA_LOG = quiet();

    static java.util.logging.Logger quiet() {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger("org.apache.kafka");
        l.setLevel(java.util.logging.Level.WARNING);
        return l;
    }

    @TempDir
    Path dir;
    BrokerServer broker;

    @BeforeEach
    void start() throws Exception {
        broker = BrokerServer.start(BrokerConfig.defaults(dir, 2));
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    static String bootstrap(BrokerServer b) {
        return "127.0.0.1:" + b.port();
    }

    static KafkaProducer<byte[], byte[]> producer(BrokerServer b, String acks, String compression) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(b));
        p.put(ProducerConfig.ACKS_CONFIG, acks);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"); // InitProducerId comes in a later part
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static KafkaConsumer<byte[], byte[]> consumer(BrokerServer b) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(b));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static Admin admin(BrokerServer b) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(b));
        return Admin.create(p);
    }

    static byte[] value(int i) {
        return ("value-" + i + "-" + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {@code count} records of every partition from offset 0 with assign()+seek(). */
    static Map<Integer, List<ConsumerRecord<byte[], byte[]>>> readAll(BrokerServer b, String topic, int partitions, int count) {
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> got = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer(b)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
                got.put(p, new ArrayList<>());
            }
            c.assign(tps);
            tps.forEach(tp -> c.seek(tp, 0));
            int total = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (total < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    got.get(r.partition()).add(r);
                    total++;
                }
            }
        }
        return got;
    }

    @ParameterizedTest
    @CsvSource({"1,none", "all,none", "1,gzip", "all,lz4", "1,zstd", "all,snappy"})
    void everyRecordProducedIsReadBackInOrder(String acks, String compression) throws Exception {
        String topic = "t-" + compression + "-" + acks;
        try (Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        int n = 2000;
        Map<Integer, List<Long>> offsets = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> p = producer(broker, acks, compression)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sent.add(p.send(new ProducerRecord<>(topic, i % 3, ("k" + i).getBytes(StandardCharsets.UTF_8), value(i))));
            }
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get();
                offsets.computeIfAbsent(m.partition(), k -> new ArrayList<>()).add(m.offset());
            }
        }
        for (List<Long> o : offsets.values()) {
            for (int i = 0; i < o.size(); i++) {
                assertEquals(i, o.get(i), "offsets of a partition are dense from 0");
            }
        }
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> got = readAll(broker, topic, 3, n);
        for (int p = 0; p < 3; p++) {
            List<ConsumerRecord<byte[], byte[]>> records = got.get(p);
            assertEquals(offsets.get(p).size(), records.size(), "partition " + p);
            for (int k = 0; k < records.size(); k++) {
                int i = k * 3 + p;
                ConsumerRecord<byte[], byte[]> r = records.get(k);
                assertEquals(k, r.offset());
                assertEquals("k" + i, new String(r.key(), StandardCharsets.UTF_8));
                assertEquals(new String(value(i), StandardCharsets.UTF_8), new String(r.value(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void adminCreatesDescribesAndDeletesTopics() throws Exception {
        try (Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic("orders", 4, (short) 1), new NewTopic("audit", 1, (short) 1))).all().get();
            ExecutionException exists = assertThrows(ExecutionException.class,
                    () -> admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all().get());
            assertInstanceOf(TopicExistsException.class, exists.getCause());
            ExecutionException rf = assertThrows(ExecutionException.class,
                    () -> admin.createTopics(List.of(new NewTopic("replicated", 1, (short) 3))).all().get());
            assertInstanceOf(InvalidReplicationFactorException.class, rf.getCause());

            Map<String, TopicDescription> d = admin.describeTopics(List.of("orders", "audit")).allTopicNames().get();
            assertEquals(4, d.get("orders").partitions().size());
            assertEquals(1, d.get("audit").partitions().size());
            assertEquals(0, d.get("orders").partitions().get(2).leader().id());
            assertTrue(admin.listTopics().names().get().containsAll(Set.of("orders", "audit")));

            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, "orders");
            Config config = admin.describeConfigs(List.of(res)).all().get().get(res);
            assertEquals("delete", config.get("cleanup.policy").value());
            assertNotNull(admin.describeCluster().clusterId().get());
            assertEquals(0, admin.describeCluster().controller().get().id());

            admin.deleteTopics(List.of("orders")).all().get();
            assertEquals(Set.of("audit"), admin.listTopics().names().get());
            ExecutionException unknown = assertThrows(ExecutionException.class,
                    () -> admin.deleteTopics(List.of("orders")).all().get());
            assertInstanceOf(UnknownTopicOrPartitionException.class, unknown.getCause());

            // Created again, the topic starts empty: its old partitions went with the delete.
            admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1))).all().get();
            assertEquals(2, admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders").partitions().size());
        }
    }

    @Test
    void deletedTopicComesBackEmpty() throws Exception {
        try (KafkaProducer<byte[], byte[]> p = producer(broker, "all", "none")) {
            p.send(new ProducerRecord<>("again", 0, null, value(1))).get();
            p.send(new ProducerRecord<>("again", 0, null, value(2))).get();
        }
        try (Admin admin = admin(broker)) {
            admin.deleteTopics(List.of("again")).all().get();
            admin.createTopics(List.of(new NewTopic("again", 1, (short) 1))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> p = producer(broker, "all", "none")) {
            assertEquals(0, p.send(new ProducerRecord<>("again", 0, null, value(3))).get().offset());
        }
    }

    @Test
    void theDefaultProducerWithIdempotenceOnWorks() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(broker));
        List<RecordMetadata> acked = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 50; i++) {
                acked.add(producer.send(new ProducerRecord<>("idem", 0, null, value(i))).get());
            }
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(i, acked.get(i).offset());
        }
        List<ConsumerRecord<byte[], byte[]>> got = readAll(broker, "idem", 1, 50).get(0);
        assertEquals(50, got.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(new String(value(i), StandardCharsets.UTF_8), new String(got.get(i).value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void autoCreatedTopicGetsTheDefaultPartitions() throws Exception {
        try (KafkaProducer<byte[], byte[]> p = producer(broker, "1", "none")) {
            RecordMetadata m = p.send(new ProducerRecord<>("auto", null, value(7))).get();
            assertEquals(0, m.offset());
            assertEquals(1, p.partitionsFor("auto").size());
        }
        assertEquals(1, readAll(broker, "auto", 1, 1).get(0).size());
    }
}
