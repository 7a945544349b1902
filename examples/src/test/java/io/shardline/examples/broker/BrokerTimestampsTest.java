package io.shardline.examples.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Time in the broker: LogAppendTime topics, offsetsForTimes, retention by age on a manual clock. */
class BrokerTimestampsTest {
    static final java.util.logging.Logger KAFKA_LOG = BrokerClientsTest.KAFKA_LOG;

    @TempDir
    Path dir;

    @Test
    void logAppendTimeTopicsGetTheBrokersClock() throws Exception {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 2).withClock(now::get))) {
            try (Admin admin = BrokerClientsTest.admin(broker)) {
                admin.createTopics(List.of(new NewTopic("lat", 1, (short) 1)
                        .configs(Map.of("message.timestamp.type", "LogAppendTime")))).all().get();
            }
            RecordMetadata m;
            try (KafkaProducer<byte[], byte[]> p = BrokerClientsTest.producer(broker, "1", "gzip")) {
                m = p.send(new ProducerRecord<>("lat", 0, 5L, null, new byte[] {1})).get();
            }
            assertEquals(now.get(), m.timestamp());
            ConsumerRecord<byte[], byte[]> r = BrokerClientsTest.readAll(broker, "lat", 1, 1).get(0).get(0);
            assertEquals(TimestampType.LOG_APPEND_TIME, r.timestampType());
            assertEquals(now.get(), r.timestamp());
        }
    }

    @Test
    void offsetsForTimesFindsTheFirstRecordAtOrAfter() throws Exception {
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 1))) {
            try (KafkaProducer<byte[], byte[]> p = BrokerClientsTest.producer(broker, "1", "none")) {
                for (int i = 0; i < 30; i++) {
                    p.send(new ProducerRecord<>("times", 0, 1000L + i * 10, null, new byte[] {(byte) i}));
                }
                p.flush();
            }
            TopicPartition tp = new TopicPartition("times", 0);
            try (KafkaConsumer<byte[], byte[]> c = BrokerClientsTest.consumer(broker)) {
                Map<TopicPartition, OffsetAndTimestamp> at = c.offsetsForTimes(Map.of(tp, 1055L));
                assertEquals(6, at.get(tp).offset());
                assertEquals(1060L, at.get(tp).timestamp());
                assertEquals(0, c.offsetsForTimes(Map.of(tp, 0L)).get(tp).offset());
                assertNull(c.offsetsForTimes(Map.of(tp, 99_999L)).get(tp));
                assertEquals(30L, c.endOffsets(List.of(tp)).get(tp));
            }
        }
    }

    @Test
    void aTopicsOwnRetentionAndSegmentSizeOverrideTheBrokers() throws Exception {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 2).withClock(now::get))) {
            try (Admin admin = BrokerClientsTest.admin(broker)) {
                admin.createTopics(List.of(new NewTopic("own", 1, (short) 1).configs(Map.of("retention.ms", "60000",
                        "segment.bytes", "16384")), new NewTopic("keep", 1, (short) 1))).all().get();
                java.util.concurrent.ExecutionException bad = org.junit.jupiter.api.Assertions.assertThrows(
                        java.util.concurrent.ExecutionException.class, () -> admin.createTopics(List.of(
                                new NewTopic("bad", 1, (short) 1).configs(Map.of("retention.ms", "soon")))).all().get());
                org.junit.jupiter.api.Assertions.assertInstanceOf(
                        org.apache.kafka.common.errors.InvalidConfigurationException.class, bad.getCause());
                org.apache.kafka.common.config.ConfigResource res = new org.apache.kafka.common.config.ConfigResource(
                        org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "own");
                assertEquals("60000", admin.describeConfigs(List.of(res)).all().get().get(res).get("retention.ms").value());
            }
            try (KafkaProducer<byte[], byte[]> p = BrokerClientsTest.producer(broker, "1", "none")) {
                for (int i = 0; i < 100; i++) {
                    p.send(new ProducerRecord<>("own", 0, null, new byte[1000])).get();
                    p.send(new ProducerRecord<>("keep", 0, null, new byte[1000])).get();
                }
            }
            now.addAndGet(61_000);
            assertTrue(broker.applyRetention() > 0);
            try (KafkaConsumer<byte[], byte[]> c = BrokerClientsTest.consumer(broker)) {
                TopicPartition own = new TopicPartition("own", 0);
                TopicPartition keep = new TopicPartition("keep", 0);
                assertTrue(c.beginningOffsets(List.of(own)).get(own) > 50, "the topic's 60 s limit applied");
                assertEquals(0L, c.beginningOffsets(List.of(keep)).get(keep), "the broker keeps everything");
            }
        }
    }

    @Test
    void retentionByAgeDropsSegmentsOlderThanTheLimit() throws Exception {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        BrokerConfig config = BrokerConfig.defaults(dir, 2).withClock(now::get).withRetention(-1, 60_000, 16 * 1024);
        try (BrokerServer broker = BrokerServer.start(config)) {
            try (KafkaProducer<byte[], byte[]> p = BrokerClientsTest.producer(broker, "1", "none")) {
                for (int i = 0; i < 100; i++) {
                    p.send(new ProducerRecord<>("aged", 0, null, new byte[1000])).get();
                }
            }
            TopicPartition tp = new TopicPartition("aged", 0);
            try (KafkaConsumer<byte[], byte[]> c = BrokerClientsTest.consumer(broker)) {
                assertEquals(0L, broker.applyRetention(), "nothing is old yet");
                assertEquals(0L, c.beginningOffsets(List.of(tp)).get(tp));
                now.addAndGet(61_000);
                assertTrue(broker.applyRetention() > 0);
                long start = c.beginningOffsets(List.of(tp)).get(tp);
                assertTrue(start > 50, "only the active segment is left, log start " + start);
                assertEquals(100L, c.endOffsets(List.of(tp)).get(tp));
                c.assign(List.of(tp));
                c.seek(tp, 0); // below the log start: the consumer resets to it (auto.offset.reset=earliest)
                List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (got.size() < 100 - start && System.nanoTime() < deadline) {
                    c.poll(Duration.ofMillis(200)).forEach(got::add);
                }
                assertEquals(start, got.get(0).offset());
                assertEquals(100 - start, got.size());
            }
        }
    }
}
