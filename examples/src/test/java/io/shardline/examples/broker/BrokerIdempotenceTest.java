package io.shardline.examples.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idempotent producers: a retried batch gets its first offsets and is not appended twice, a sequence gap
 * and an old epoch are refused as Kafka refuses them, and all of it holds across a restart.
 */
class BrokerIdempotenceTest {
    static final java.util.logging.Logger KAFKA_LOG = BrokerClientsTest.KAFKA_LOG;
    private static final short OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
    private static final short INVALID_PRODUCER_EPOCH = 47;

    @TempDir
    Path dir;
    private int correlation;

    /** InitProducerId v0 for an idempotent producer: {producer id, epoch}. */
    private long[] initProducerId(RawKafka c) throws IOException {
        int id = ++correlation;
        c.send(RawKafka.request(22, 0, id, false, ByteBuffer.allocate(6).putShort((short) -1).putInt(60_000).array()));
        ByteBuffer r = c.receive();
        assertEquals(id, r.getInt());
        assertEquals(0, r.getInt()); // throttle
        assertEquals(0, r.getShort());
        return new long[] {r.getLong(), r.getShort()};
    }

    /** InitProducerId v3 (flexible) asking to bump {@code producerId}'s epoch: {producer id, epoch}. */
    private long[] bumpEpoch(RawKafka c, long producerId, short epoch) throws IOException {
        int id = ++correlation;
        ByteBuffer body = ByteBuffer.allocate(1 + 4 + 8 + 2 + 1).put((byte) 0).putInt(60_000).putLong(producerId)
                .putShort(epoch).put((byte) 0);
        c.send(RawKafka.request(22, 3, id, true, body.array()));
        ByteBuffer r = c.receive();
        assertEquals(id, r.getInt());
        assertEquals(0, r.get()); // response header v1 tags
        assertEquals(0, r.getInt());
        assertEquals(0, r.getShort());
        return new long[] {r.getLong(), r.getShort()};
    }

    /** Produce v3 with acks=all of {@code batch} to partition 0: {error, base offset}. */
    private long[] produce(RawKafka c, String topic, byte[] batch) throws IOException {
        int id = ++correlation;
        c.send(RawKafka.request(0, 3, id, false, RawKafka.produceV3(topic, 0, (short) -1, batch)));
        return RawKafka.produceResult(c.receive(), id);
    }

    private static byte[] batch(int count, long producerId, long epoch, int sequence) {
        return RawKafka.batch(count, ("seq-" + sequence).getBytes(StandardCharsets.UTF_8), System.currentTimeMillis(),
                producerId, (short) epoch, sequence);
    }

    private static long endOffset(BrokerServer b, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = BrokerClientsTest.consumer(b)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            return c.endOffsets(List.of(tp)).get(tp);
        }
    }

    @Test
    void aRetriedBatchGetsItsFirstOffsetsAndIsNotAppendedAgain() throws Exception {
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 2));
                RawKafka c = new RawKafka(broker.port())) {
            long[] pid = initProducerId(c);
            assertEquals(0, pid[1]);
            assertArrayEquals(new long[] {0, 0}, produce(c, "dup", batch(3, pid[0], 0, 0)));
            assertArrayEquals(new long[] {0, 3}, produce(c, "dup", batch(2, pid[0], 0, 3)));
            // Both retried, the older first: each answered with where it went the first time.
            assertArrayEquals(new long[] {0, 0}, produce(c, "dup", batch(3, pid[0], 0, 0)));
            assertArrayEquals(new long[] {0, 3}, produce(c, "dup", batch(2, pid[0], 0, 3)));
            assertArrayEquals(new long[] {0, 5}, produce(c, "dup", batch(1, pid[0], 0, 5)));
            assertEquals(6, endOffset(broker, "dup"));
            // Only the last 5 batches are remembered: after 5 more, the first is out of sequence, not a duplicate.
            for (int s = 6; s < 11; s++) {
                assertEquals(0, produce(c, "dup", batch(1, pid[0], 0, s))[0]);
            }
            assertEquals(OUT_OF_ORDER_SEQUENCE_NUMBER, produce(c, "dup", batch(1, pid[0], 0, 5))[0]);
            assertArrayEquals(new long[] {0, 10}, produce(c, "dup", batch(1, pid[0], 0, 10)));
            assertEquals(11, endOffset(broker, "dup"));
        }
    }

    @Test
    void aRealProducersBatchReplayedOnTheWireIsNotDuplicated() throws Exception {
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 2))) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerClientsTest.bootstrap(broker));
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            int n = 20;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < n; i++) {
                    assertEquals(i, producer.send(new ProducerRecord<>("real", 0, null, BrokerClientsTest.value(i))).get()
                            .offset());
                }
                try (RawKafka c = new RawKafka(broker.port())) {
                    // The producer's last batch as the log holds it (sent one record at a time), sent again as a
                    // producer retrying after a lost response would: same id, epoch and sequence.
                    byte[] last = lastBatch(c, "real", n - 1);
                    assertEquals(n - 1, ByteBuffer.wrap(last).getInt(RecordBatches.BASE_SEQUENCE_OFFSET));
                    assertArrayEquals(new long[] {0, n - 1}, produce(c, "real", last));
                }
                // The producer goes on in sequence after the replay.
                assertEquals(n, producer.send(new ProducerRecord<>("real", 0, null, BrokerClientsTest.value(n))).get()
                        .offset());
            }
            List<ConsumerRecord<byte[], byte[]>> got = BrokerClientsTest.readAll(broker, "real", 1, n + 1).get(0);
            assertEquals(n + 1, got.size());
            for (int i = 0; i <= n; i++) {
                assertEquals(i, got.get(i).offset());
                assertArrayEquals(BrokerClientsTest.value(i), got.get(i).value());
            }
            assertEquals(n + 1, endOffset(broker, "real"));
        }
    }

    /** Fetch v4 from {@code offset} of partition 0: the first batch it returns. */
    private byte[] lastBatch(RawKafka c, String topic, long offset) throws IOException {
        int id = ++correlation;
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 4 + 4 + 1 + 4 + 2 + t.length + 4 + 4 + 8 + 4);
        b.putInt(-1).putInt(0).putInt(0).putInt(1 << 20).put((byte) 0).putInt(1).putShort((short) t.length).put(t)
                .putInt(1).putInt(0).putLong(offset).putInt(1 << 20);
        c.send(RawKafka.request(1, 4, id, false, b.array()));
        ByteBuffer r = c.receive();
        assertEquals(id, r.getInt());
        r.getInt(); // throttle
        assertEquals(1, r.getInt());
        r.position(r.position() + 2 + r.getShort(r.position()));
        assertEquals(1, r.getInt());
        assertEquals(0, r.getInt()); // partition
        assertEquals(0, r.getShort()); // error
        r.getLong(); // high watermark
        r.getLong(); // last stable offset
        int aborted = r.getInt(); // aborted_transactions: none without transactions (null or empty)
        r.position(r.position() + Math.max(0, aborted) * 16);
        int size = r.getInt();
        byte[] records = new byte[size];
        r.get(records);
        int first = 12 + ByteBuffer.wrap(records).getInt(RecordBatches.LENGTH_OFFSET);
        return java.util.Arrays.copyOf(records, first);
    }

    @Test
    void aSequenceGapIsOutOfOrderAndAppendsNothing() throws Exception {
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 2));
                RawKafka c = new RawKafka(broker.port())) {
            long[] pid = initProducerId(c);
            assertArrayEquals(new long[] {0, 0}, produce(c, "gap", batch(2, pid[0], 0, 0)));
            assertArrayEquals(new long[] {OUT_OF_ORDER_SEQUENCE_NUMBER, -1}, produce(c, "gap", batch(1, pid[0], 0, 3)));
            assertArrayEquals(new long[] {OUT_OF_ORDER_SEQUENCE_NUMBER, -1}, produce(c, "gap", batch(1, pid[0], 0, 1)));
            assertEquals(2, endOffset(broker, "gap"));
            assertArrayEquals(new long[] {0, 2}, produce(c, "gap", batch(1, pid[0], 0, 2)));
            // Another producer on the same partition keeps its own sequence.
            long[] other = initProducerId(c);
            assertArrayEquals(new long[] {0, 3}, produce(c, "gap", batch(1, other[0], 0, 0)));
            assertEquals(4, endOffset(broker, "gap"));
        }
    }

    @Test
    void anOlderEpochIsFencedAndANewEpochStartsAtZero() throws Exception {
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 2));
                RawKafka c = new RawKafka(broker.port())) {
            long[] first = initProducerId(c);
            assertArrayEquals(new long[] {0, 0}, produce(c, "fence", batch(1, first[0], 0, 0)));
            long[] bumped = bumpEpoch(c, first[0], (short) first[1]);
            assertArrayEquals(new long[] {first[0], 1}, bumped);
            assertArrayEquals(new long[] {OUT_OF_ORDER_SEQUENCE_NUMBER, -1}, produce(c, "fence", batch(1, first[0], 1, 1)),
                    "a new epoch starts its sequence at 0");
            assertArrayEquals(new long[] {0, 1}, produce(c, "fence", batch(1, first[0], 1, 0)));
            assertArrayEquals(new long[] {INVALID_PRODUCER_EPOCH, -1}, produce(c, "fence", batch(1, first[0], 0, 1)));
            assertArrayEquals(new long[] {INVALID_PRODUCER_EPOCH, -1}, produce(c, "fence", batch(1, first[0], 0, 0)),
                    "a batch of the old epoch is not taken for a duplicate either");
            assertEquals(2, endOffset(broker, "fence"));
        }
    }

    @Test
    void producerStateIsRebuiltFromTheLogAtRestart() throws Exception {
        long[] pid;
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 2));
                RawKafka c = new RawKafka(broker.port())) {
            pid = initProducerId(c);
            for (int s = 0; s < 8; s++) {
                assertArrayEquals(new long[] {0, s * 2L}, produce(c, "kept", batch(2, pid[0], 0, s * 2)));
            }
        }
        // Another shard count: the partition moves to another shard and rebuilds its state there.
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 3));
                RawKafka c = new RawKafka(broker.port())) {
            assertArrayEquals(new long[] {0, 14}, produce(c, "kept", batch(2, pid[0], 0, 14)), "the last batch, retried");
            assertArrayEquals(new long[] {0, 6}, produce(c, "kept", batch(2, pid[0], 0, 6)), "the oldest kept, retried");
            assertArrayEquals(new long[] {OUT_OF_ORDER_SEQUENCE_NUMBER, -1}, produce(c, "kept", batch(2, pid[0], 0, 4)));
            assertArrayEquals(new long[] {OUT_OF_ORDER_SEQUENCE_NUMBER, -1}, produce(c, "kept", batch(1, pid[0], 0, 17)));
            assertArrayEquals(new long[] {0, 16}, produce(c, "kept", batch(1, pid[0], 0, 16)));
            assertEquals(17, endOffset(broker, "kept"));
            long[] fresh = initProducerId(c);
            org.junit.jupiter.api.Assertions.assertNotEquals(pid[0], fresh[0], "a later start hands out new ids");
        }
    }

    @Test
    void theJavaProducerGoesOnAcrossABrokerRestart() throws Exception {
        BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 2));
        int port = broker.port();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerClientsTest.bootstrap(broker));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        int n = 200;
        List<RecordMetadata> acked = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < n / 2; i++) {
                acked.add(producer.send(new ProducerRecord<>("across", 0, null, BrokerClientsTest.value(i))).get());
            }
            broker.close();
            broker = BrokerServer.start(BrokerConfig.defaults(dir, 3).withPort(port));
            // The same producer id and sequence go on: the restarted partition knows them from its log.
            List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = n / 2; i < n; i++) {
                sent.add(producer.send(new ProducerRecord<>("across", 0, null, BrokerClientsTest.value(i))));
            }
            for (java.util.concurrent.Future<RecordMetadata> f : sent) {
                acked.add(f.get());
            }
            producer.flush();
            for (int i = 0; i < n; i++) {
                assertEquals(i, acked.get(i).offset());
            }
            List<ConsumerRecord<byte[], byte[]>> got = BrokerClientsTest.readAll(broker, "across", 1, n).get(0);
            assertEquals(n, got.size());
            for (int i = 0; i < n; i++) {
                assertArrayEquals(BrokerClientsTest.value(i), got.get(i).value());
            }
        } finally {
            broker.close();
        }
    }
}
