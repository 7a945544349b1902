package io.shardline.examples.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OffsetForLeaderEpoch v2-4 byte by byte, and the Java consumer's position validation that sends it. */
class BrokerOffsetForLeaderEpochTest {
    static final java.util.logging.Logger KAFKA_LOG = BrokerClientsTest.KAFKA_LOG;

    @TempDir
    Path dir;
    BrokerServer broker;

    @BeforeEach
    void start() throws Exception {
        broker = BrokerServer.start(BrokerConfig.defaults(dir, 2).withNumPartitions(2));
        try (KafkaProducer<byte[], byte[]> p = BrokerClientsTest.producer(broker, "all", "none")) {
            for (int i = 0; i < 5; i++) {
                p.send(new ProducerRecord<>("epochs", 0, null, BrokerClientsTest.value(i))).get();
            }
        }
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** {partition, current leader epoch, leader epoch} per partition of topic {@code epochs}. */
    private static byte[] requestV2(int[][] parts) {
        byte[] t = "epochs".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 2 + t.length + 4 + parts.length * 12);
        b.putInt(1).putShort((short) t.length).put(t).putInt(parts.length);
        for (int[] p : parts) {
            b.putInt(p[0]).putInt(p[1]).putInt(p[2]);
        }
        return b.array();
    }

    /** The partitions of a v2/v3 response: {error, partition, leader epoch, end offset} each. */
    private static List<long[]> responseV2(ByteBuffer r, int correlationId) {
        assertEquals(correlationId, r.getInt());
        assertEquals(0, r.getInt()); // throttle
        assertEquals(1, r.getInt());
        byte[] name = new byte[r.getShort()];
        r.get(name);
        assertEquals("epochs", new String(name, StandardCharsets.UTF_8));
        int n = r.getInt();
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new long[] {r.getShort(), r.getInt(), r.getInt(), r.getLong()});
        }
        assertFalse(r.hasRemaining());
        return out;
    }

    @Test
    void v2AnswersTheEndOfEpochZeroAndKafkasErrors() throws IOException {
        try (RawKafka c = new RawKafka(broker.port())) {
            c.send(RawKafka.request(23, 2, 1, false, requestV2(new int[][] {
                {0, -1, 0}, // epoch 0, no fencing: ends at the log end offset
                {1, 0, 0}, // the empty partition on the other shard
                {0, 0, 1}, // a later epoch than any: unknown
                {0, -1, -1}, // undefined epoch
                {0, -1, -5}, // before the first epoch: where the first known one starts
                {0, 1, 0}, // the client knows a newer leader epoch than the broker
                {0, -3, 0}, // an older one: fenced
                {7, -1, 0}, // no such partition
            })));
            List<long[]> r = responseV2(c.receive(), 1);
            assertArrayEquals(new long[] {0, 0, 0, 5}, r.get(0));
            assertArrayEquals(new long[] {0, 1, 0, 0}, r.get(1));
            assertArrayEquals(new long[] {0, 0, -1, -1}, r.get(2));
            assertArrayEquals(new long[] {0, 0, -1, -1}, r.get(3));
            assertArrayEquals(new long[] {0, 0, -5, 0}, r.get(4));
            assertArrayEquals(new long[] {76, 0, -1, -1}, r.get(5)); // UNKNOWN_LEADER_EPOCH
            assertArrayEquals(new long[] {74, 0, -1, -1}, r.get(6)); // FENCED_LEADER_EPOCH
            assertArrayEquals(new long[] {3, 7, -1, -1}, r.get(7)); // UNKNOWN_TOPIC_OR_PARTITION
        }
    }

    @Test
    void v3TakesAReplicaIdAndV4IsFlexible() throws IOException {
        try (RawKafka c = new RawKafka(broker.port())) {
            byte[] v2 = requestV2(new int[][] {{0, 0, 0}});
            c.send(RawKafka.request(23, 3, 2, false, ByteBuffer.allocate(4 + v2.length).putInt(-1).put(v2).array()));
            assertArrayEquals(new long[] {0, 0, 0, 5}, responseV2(c.receive(), 2).get(0));

            ByteBuffer b = ByteBuffer.allocate(64);
            b.putInt(-1).put((byte) 2).put((byte) 7).put("epochs".getBytes(StandardCharsets.UTF_8)).put((byte) 2);
            b.putInt(0).putInt(-1).putInt(0).put((byte) 0); // partition, current epoch, epoch, tags
            b.put((byte) 0).put((byte) 0); // topic tags, request tags
            c.send(RawKafka.request(23, 4, 3, true, java.util.Arrays.copyOf(b.array(), b.position())));
            ByteBuffer r = c.receive();
            assertEquals(3, r.getInt());
            assertEquals(0, r.get()); // response header v1
            assertEquals(0, r.getInt()); // throttle
            assertEquals(2, r.get()); // one topic
            assertEquals(7, r.get());
            r.position(r.position() + 6);
            assertEquals(2, r.get()); // one partition
            assertEquals(0, r.getShort());
            assertEquals(0, r.getInt());
            assertEquals(0, r.getInt());
            assertEquals(5, r.getLong());
            assertEquals(0, r.get());
            assertEquals(0, r.get());
            assertEquals(0, r.get());
            assertFalse(r.hasRemaining());
        }
    }

    @Test
    void theConsumerValidatesASeekWithALeaderEpochAndReadsOn() {
        try (KafkaConsumer<byte[], byte[]> c = BrokerClientsTest.consumer(broker)) {
            TopicPartition tp = new TopicPartition("epochs", 0);
            c.assign(List.of(tp));
            // A position with a leader epoch is checked with OffsetForLeaderEpoch before the consumer fetches.
            c.seek(tp, new OffsetAndMetadata(3, Optional.of(0), ""));
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (got.size() < 2 && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(got::add);
            }
            assertEquals(2, got.size());
            assertEquals(3, got.get(0).offset());
            assertArrayEquals(BrokerClientsTest.value(4), got.get(1).value());
            assertEquals(5, c.position(tp));
        }
    }
}
