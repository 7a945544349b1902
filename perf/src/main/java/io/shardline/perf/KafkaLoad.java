package io.shardline.perf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The broker suite's load, the same for both brokers: the Java {@code kafka-clients} producer and consumer
 * at their defaults apart from what a row sets (acks, the consumer's offsets), in this JVM. Each method
 * is called from the suite's thread and makes and closes its own clients.
 */
final class KafkaLoad {
    /** The clients log every setting and each failed readiness probe at INFO: held here so the level stays set. */
    private static final java.util.logging.Logger CLIENT_LOG = quiet();

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger("org.apache.kafka");
        l.setLevel(java.util.logging.Level.WARNING);
        return l;
    }

    /** A throughput trial: how many records moved in how long, and how many sends failed. */
    record Throughput(long records, long bytes, long nanos, long errors, String error) {
        double recordsPerSecond() {
            return error != null || nanos <= 0 ? Double.NaN : records * 1e9 / nanos;
        }

        double mibPerSecond() {
            return error != null || nanos <= 0 ? Double.NaN : bytes * 1e9 / nanos / (1 << 20);
        }
    }

    /** A latency trial: microseconds from send to receipt of every record after the first second, p50 and p99. */
    record Latency(long records, double p50Micros, double p99Micros, long missing, String error) {
    }

    private final String bootstrap;

    KafkaLoad(int port) {
        this.bootstrap = "127.0.0.1:" + port;
    }

    /** Whether the broker on {@code port} answers a cluster description (it is up and has a listener). */
    static boolean ready(int port) throws IOException {
        try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
            probe.getPort(); // listening: now ask it, without the client's warnings about a refused connection
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (Admin admin = Admin.create(p)) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(adminProps())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    void deleteTopics(List<String> topics) throws Exception {
        try (Admin admin = Admin.create(adminProps())) {
            admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    private Properties adminProps() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    private KafkaProducer<byte[], byte[]> producer(String acks) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, acks); // acks=all keeps the default idempotence; acks=1 turns it off
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Sends {@code records} values of {@code size} bytes (no key: the default partitioner spreads them) as
     * fast as the producer takes them, and times them from the first send to the last acknowledgement.
     */
    Throughput produce(String topic, String acks, int records, int size) throws Exception {
        byte[] value = new byte[size];
        new java.util.Random(records).nextBytes(value);
        AtomicLong errors = new AtomicLong();
        AtomicReference<Exception> first = new AtomicReference<>();
        CountDownLatch acked = new CountDownLatch(records);
        try (KafkaProducer<byte[], byte[]> p = producer(acks)) {
            p.partitionsFor(topic); // the metadata before the clock starts
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                p.send(new ProducerRecord<>(topic, value), (m, e) -> {
                    if (e != null) {
                        errors.incrementAndGet();
                        first.compareAndSet(null, e);
                    }
                    acked.countDown();
                });
            }
            if (!acked.await(10, TimeUnit.MINUTES)) {
                return new Throughput(0, 0, 0, errors.get(), "not all sends were answered in 10 minutes");
            }
            long nanos = System.nanoTime() - start;
            String error = first.get() == null ? null : errors.get() + " sends failed, the first with " + first.get();
            return new Throughput(records - errors.get(), (records - errors.get()) * (long) size, nanos, errors.get(), error);
        }
    }

    /** Reads {@code records} records of the topic's partitions from their beginning, and times it. */
    Throughput consume(String topic, int partitions, long records) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            tps.forEach(c::position); // the offset look-ups before the clock starts
            long got = 0;
            long bytes = 0;
            long start = System.nanoTime();
            long deadline = start + TimeUnit.MINUTES.toNanos(5);
            while (got < records && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    got++;
                    bytes += r.serializedValueSize();
                }
            }
            long nanos = System.nanoTime() - start;
            return new Throughput(got, bytes, nanos, 0, got < records ? "read " + got + " of " + records + " records" : null);
        }
    }

    /**
     * Sends {@code rate} records a second of {@code size} bytes for {@code millis} (the default producer:
     * acks=all, idempotent) while a consumer reads them; each value carries its send time, so the latency is
     * from the send call to the poll that returns it. The first second's records warm up and are not counted.
     */
    Latency endToEnd(String topic, int partitions, int rate, long millis, int size) throws Exception {
        int total = (int) (rate * millis / 1000);
        long interval = 1_000_000_000L / rate;
        Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer(); KafkaProducer<byte[], byte[]> p = producer("all")) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(topic, i));
            }
            c.assign(tps);
            c.seekToEnd(tps);
            tps.forEach(c::position);
            p.partitionsFor(topic);
            long[] counted = {0};
            long[] seen = {0};
            long start = System.nanoTime();
            long warm = start + TimeUnit.SECONDS.toNanos(1);
            Thread sender = Thread.ofPlatform().name("e2e-sender").start(() -> {
                for (int i = 0; i < total; i++) {
                    long due = start + i * interval;
                    long now;
                    while ((now = System.nanoTime()) < due) {
                        LockSupport.parkNanos(due - now);
                    }
                    byte[] v = new byte[size];
                    ByteBuffer.wrap(v).putLong(System.nanoTime());
                    p.send(new ProducerRecord<>(topic, v), (m, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
                }
            });
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(millis) + TimeUnit.SECONDS.toNanos(30);
            while (seen[0] < total && System.nanoTime() < deadline && failure.get() == null) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    long sent = ByteBuffer.wrap(r.value()).getLong();
                    seen[0]++;
                    if (sent >= warm) {
                        h.recordValue(Math.min(h.getHighestTrackableValue(), Math.max(0, (now - sent) / 1000)));
                        counted[0]++;
                    }
                }
            }
            sender.join();
            String error = failure.get() != null ? "a send failed: " + failure.get()
                    : seen[0] < total ? "received " + seen[0] + " of " + total : null;
            return new Latency(counted[0], h.getValueAtPercentile(50), h.getValueAtPercentile(99), total - seen[0], error);
        }
    }
}
