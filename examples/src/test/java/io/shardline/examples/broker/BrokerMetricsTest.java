package io.shardline.examples.broker;

import static io.shardline.examples.Scrapes.assertPromtoolAccepts;
import static io.shardline.examples.Scrapes.scrape;
import static io.shardline.examples.Scrapes.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.net.metrics.MetricsServer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's /metrics: Produce and Fetch by topic move with the traffic, and promtool accepts the text. */
class BrokerMetricsTest {
    static final java.util.logging.Logger KAFKA_LOG = BrokerClientsTest.quiet();

    @TempDir
    Path dir;

    @Test
    void produceAndFetchCountersMoveByTopicAndPromtoolAcceptsTheText() throws Exception {
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 2));
             MetricsServer metrics = MetricsServer.start(broker.runtime(), new InetSocketAddress("127.0.0.1", 0),
                     List.of(new BrokerMetrics(broker)))) {
            byte[] batch = RawKafka.batch(1, "value".getBytes(StandardCharsets.UTF_8), 1000);
            try (RawKafka c = new RawKafka(broker.port())) {
                for (int i = 0; i < 10; i++) {
                    c.send(RawKafka.request(0, 3, i, false, RawKafka.produceV3("metered", 0, (short) 1, batch)));
                    ByteBuffer answer = c.receive();
                    assertEquals(i, answer.getInt(), "correlation id");
                }
                // A partition the topic does not have: answered with an error, counted as one.
                c.send(RawKafka.request(0, 3, 10, false, RawKafka.produceV3("metered", 7, (short) 1, batch)));
                c.receive();
            }
            String text = scrape(metrics.port());
            assertEquals(11, sum(text, "shardline_broker_produce_requests_total", "topic=\"metered\""), text);
            assertEquals(11.0 * batch.length, sum(text, "shardline_broker_produce_bytes_total", "topic=\"metered\""), text);
            assertEquals(1, sum(text, "shardline_broker_produce_errors_total", "topic=\"metered\""), text);
            assertEquals(0, sum(text, "shardline_broker_fetch_requests_total", "topic=\"metered\""), text);

            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + broker.port());
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            int got = 0;
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
                TopicPartition tp = new TopicPartition("metered", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (got < 10 && System.nanoTime() < deadline) {
                    got += consumer.poll(Duration.ofMillis(200)).count();
                }
            }
            assertEquals(10, got);
            String after = scrape(metrics.port());
            assertTrue(sum(after, "shardline_broker_fetch_requests_total", "topic=\"metered\"") >= 1, after);
            assertTrue(sum(after, "shardline_broker_fetch_bytes_total", "topic=\"metered\"") >= 10.0 * batch.length, after);
            assertEquals(11, sum(after, "shardline_broker_produce_requests_total", "topic=\"metered\""), after);
            assertPromtoolAccepts(after);
        }
    }
}
