package io.shardline.examples.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topics, offsets and data across a restart; retention by size drops whole old segments. */
class BrokerRestartTest {
    static final java.util.logging.Logger KAFKA_LOG = BrokerClientsTest.KAFKA_LOG;

    @TempDir
    Path dir;

    @Test
    void restartKeepsTopicsDataAndOffsets() throws Exception {
        int n = 1500;
        List<RecordMetadata> acked = new ArrayList<>();
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 2))) {
            try (Admin admin = BrokerClientsTest.admin(broker)) {
                admin.createTopics(List.of(new NewTopic("kept", 3, (short) 1), new NewTopic("empty", 2, (short) 1))).all().get();
            }
            try (KafkaProducer<byte[], byte[]> p = BrokerClientsTest.producer(broker, "all", "lz4")) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    sent.add(p.send(new ProducerRecord<>("kept", i % 3, null, BrokerClientsTest.value(i))));
                }
                for (Future<RecordMetadata> f : sent) {
                    acked.add(f.get());
                }
            }
        }
        // Started again on the same directory with another shard count: partitions move shards, data stays.
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 3))) {
            try (Admin admin = BrokerClientsTest.admin(broker)) {
                assertEquals(Set.of("kept", "empty"), admin.listTopics().names().get());
                assertEquals(3, admin.describeTopics(List.of("kept")).allTopicNames().get().get("kept").partitions().size());
            }
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> got = BrokerClientsTest.readAll(broker, "kept", 3, n);
            for (int i = 0; i < n; i++) {
                RecordMetadata m = acked.get(i);
                ConsumerRecord<byte[], byte[]> r = got.get(m.partition()).get((int) m.offset());
                assertEquals(m.offset(), r.offset());
                assertArrayEquals(BrokerClientsTest.value(i), r.value(), "record " + i);
            }
            try (KafkaConsumer<byte[], byte[]> c = BrokerClientsTest.consumer(broker)) {
                TopicPartition tp = new TopicPartition("kept", 0);
                assertEquals(0L, c.beginningOffsets(List.of(tp)).get(tp));
                assertEquals((long) n / 3, c.endOffsets(List.of(tp)).get(tp));
            }
            try (KafkaProducer<byte[], byte[]> p = BrokerClientsTest.producer(broker, "1", "none")) {
                assertEquals(n / 3, p.send(new ProducerRecord<>("kept", 0, null, new byte[] {1})).get().offset(),
                        "appends go on after the last offset");
            }
        }
    }

    @Test
    void partitionsOfATopicTheMetadataNoLongerNamesAreRemovedAtStart() throws Exception {
        java.nio.file.Path orphan = dir.resolve("gone-0." + "ab".repeat(16));
        java.nio.file.Path unrelated = dir.resolve("notes");
        java.nio.file.Files.createDirectories(orphan);
        java.nio.file.Files.writeString(orphan.resolve("00000000000000000000.log"), "old");
        java.nio.file.Files.createDirectories(unrelated);
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 1))) {
            try (KafkaProducer<byte[], byte[]> p = BrokerClientsTest.producer(broker, "1", "none")) {
                p.send(new ProducerRecord<>("live", 0, null, new byte[] {1})).get();
            }
        }
        assertTrue(java.nio.file.Files.notExists(orphan), "the orphan partition is gone");
        assertTrue(java.nio.file.Files.isDirectory(unrelated), "what is not a partition stays");
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 1))) {
            assertEquals(1L, broker.onShard(0, s -> s.partition("live", 0).highWatermark()).get(), "live data stays");
        }
    }

    @Test
    void retentionBySizeDropsOldSegmentsAndMovesTheLogStart() throws Exception {
        BrokerConfig config = BrokerConfig.defaults(dir, 1).withRetention(64 * 1024, -1, 16 * 1024);
        try (BrokerServer broker = BrokerServer.start(config)) {
            int n = 400;
            byte[] big = new byte[1000];
            try (KafkaProducer<byte[], byte[]> p = BrokerClientsTest.producer(broker, "1", "none")) {
                for (int i = 0; i < n; i++) {
                    big[0] = (byte) i;
                    p.send(new ProducerRecord<>("small", 0, null, big.clone())).get(); // one batch each
                }
            }
            TopicPartition tp = new TopicPartition("small", 0);
            try (KafkaConsumer<byte[], byte[]> c = BrokerClientsTest.consumer(broker)) {
                long start = c.beginningOffsets(List.of(tp)).get(tp);
                long end = c.endOffsets(List.of(tp)).get(tp);
                assertEquals(n, end);
                assertTrue(start > 0, "old segments were deleted, log start " + start);
                assertTrue(end - start < 100, "about 64 KiB of 1 KiB records is kept, not " + (end - start));
                c.assign(List.of(tp));
                c.seek(tp, start);
                List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (got.size() < end - start && System.nanoTime() < deadline) {
                    c.poll(Duration.ofMillis(200)).forEach(got::add);
                }
                assertEquals(end - start, got.size());
                for (int k = 0; k < got.size(); k++) {
                    assertEquals(start + k, got.get(k).offset());
                    assertEquals((byte) (start + k), got.get(k).value()[0]);
                }
            }
        }
    }
}
