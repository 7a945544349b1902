package io.shardline.examples.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumer groups with the real Java client (classic protocol): three members over six partitions, a
 * rebalance when one leaves and when one dies (its session times out), committed offsets across a
 * restart, and DeleteTopics dropping a topic's offsets.
 */
class GroupClientsTest {
    static final java.util.logging.Logger KAFKA_LOG = BrokerClientsTest.KAFKA_LOG;
    /** Short sessions and a short initial delay, so rebalances take a fraction of Kafka's defaults. */
    static final GroupConfig GROUPS = GroupConfig.DEFAULTS.withMinSessionTimeoutMs(500).withInitialRebalanceDelayMs(100);

    @TempDir
    Path dir;
    final List<Member> members = new ArrayList<>();

    @AfterEach
    void stopMembers() throws Exception {
        for (Member m : members) {
            m.stop();
        }
    }

    static Properties consumerProps(BrokerServer b, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerClientsTest.bootstrap(b));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300");
        p.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, "200");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        return p;
    }

    /** A group member polling on its own thread; what it owns and what it read are published for the test. */
    static final class Member {
        final Thread thread;
        final AtomicReference<Set<Integer>> assigned = new AtomicReference<>(Set.of());
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean stop;

        Member(BrokerServer b, String group, String topic, Map<Integer, Set<Long>> seen) {
            thread = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps(b, group))) {
                    c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                        @Override
                        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                            assigned.set(Set.of());
                        }

                        @Override
                        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                            Set<Integer> s = new HashSet<>();
                            for (TopicPartition tp : c.assignment()) {
                                s.add(tp.partition());
                            }
                            assigned.set(Set.copyOf(s));
                        }
                    });
                    while (!stop) {
                        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                            seen.computeIfAbsent(r.partition(), k -> ConcurrentHashMap.newKeySet()).add(r.offset());
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "group-member");
            thread.start();
        }

        /** Closes the consumer (it leaves the group) and waits for its thread. */
        void stop() throws InterruptedException {
            stop = true;
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(thread.isAlive(), "member did not stop");
            assertNull(failure.get(), () -> "member failed: " + failure.get());
        }
    }

    /** Until the members' threads (which publish their state with no signal) show {@code done}. */
    static void await(String what, BooleanSupplier done) throws InterruptedException {
        io.shardline.examples.Polling.await(what, java.time.Duration.ofSeconds(90), done::getAsBoolean);
    }

    /** Whether the members' assignments are disjoint and together are exactly partitions 0..n-1. */
    static boolean partitionedAmong(List<Member> live, int n) {
        Set<Integer> union = new HashSet<>();
        int total = 0;
        for (Member m : live) {
            Set<Integer> a = m.assigned.get();
            if (a.isEmpty()) {
                return false;
            }
            total += a.size();
            union.addAll(a);
        }
        return total == n && union.size() == n;
    }

    static void produce(BrokerServer b, String topic, int partitions, int perPartition) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = BrokerClientsTest.producer(b, "all", "none")) {
            for (int i = 0; i < perPartition; i++) {
                for (int q = 0; q < partitions; q++) {
                    p.send(new ProducerRecord<>(topic, q, null, BrokerClientsTest.value(i)));
                }
            }
            p.flush();
        }
    }

    static boolean allSeen(Map<Integer, Set<Long>> seen, int partitions, int perPartition) {
        for (int q = 0; q < partitions; q++) {
            Set<Long> s = seen.get(q);
            if (s == null || s.size() < perPartition) {
                return false;
            }
        }
        return true;
    }

    @Test
    void threeMembersSixPartitionsRebalanceOnLeaveAndOnSessionTimeout() throws Exception {
        String topic = "six";
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 3), GROUPS)) {
            try (Admin admin = BrokerClientsTest.admin(broker)) {
                admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
            }
            Map<Integer, Set<Long>> seen = new ConcurrentHashMap<>();
            for (int i = 0; i < 3; i++) {
                members.add(new Member(broker, "g3", topic, seen));
            }
            await("three members split six partitions", () -> partitionedAmong(members, 6));
            for (Member m : members) {
                assertEquals(2, m.assigned.get().size(), "the range assignor gives each member two");
            }
            describedAsStableWithThree(broker);
            produce(broker, topic, 6, 100);
            await("every record of the first round is read", () -> allSeen(seen, 6, 100));

            // One member leaves (close sends LeaveGroup): the two others take its partitions.
            Member leaving = members.remove(2);
            leaving.stop();
            await("two members split six partitions", () -> partitionedAmong(members, 6));
            produce(broker, topic, 6, 100);
            await("every record of the second round is read", () -> allSeen(seen, 6, 200));

            // A member that joins, takes partitions and then goes silent: its session times out on the
            // coordinator's timer, and the two live members rebalance to cover all six again.
            Set<Integer> deadOnes = joinAndDie(broker, "g3", topic);
            assertEquals(2, deadOnes.size(), "the silent member got its share: " + deadOnes);
            await("the live members split six partitions again", () -> partitionedAmong(members, 6));
            produce(broker, topic, 6, 100);
            await("every record of the third round is read", () -> allSeen(seen, 6, 300));
            for (int q = 0; q < 6; q++) {
                assertEquals(300, seen.get(q).size());
                for (long o = 0; o < 300; o++) {
                    assertTrue(seen.get(q).contains(o), "partition " + q + " offset " + o);
                }
            }
            for (Member m : members) {
                m.stop(); // while the broker is up, so they leave the group instead of waiting for it
            }
        }
    }

    /** ListGroups and DescribeGroups through AdminClient: the group, Stable, three members of two partitions each. */
    private static void describedAsStableWithThree(BrokerServer broker) throws Exception {
        try (Admin admin = BrokerClientsTest.admin(broker)) {
            Set<String> listed = new HashSet<>();
            for (org.apache.kafka.clients.admin.GroupListing g : admin.listGroups().all().get()) {
                listed.add(g.groupId());
            }
            assertTrue(listed.contains("g3"), "listed: " + listed);
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of("g3")).all().get().get("g3");
            assertEquals(GroupState.STABLE, d.groupState());
            assertEquals("range", d.partitionAssignor());
            assertEquals(3, d.members().size());
            Set<TopicPartition> assigned = new HashSet<>();
            for (MemberDescription m : d.members()) {
                assertEquals(2, m.assignment().topicPartitions().size(), "member " + m.consumerId());
                assertEquals("/127.0.0.1", m.host());
                assigned.addAll(m.assignment().topicPartitions());
            }
            assertEquals(6, assigned.size());
            ConsumerGroupDescription none = admin.describeConsumerGroups(List.of("never-used")).all().get().get("never-used");
            assertEquals(GroupState.DEAD, none.groupState());
        }
    }

    /** Joins the group on the raw wire as a third consumer, syncs, and never heartbeats; gives its partitions. */
    private static Set<Integer> joinAndDie(BrokerServer broker, String group, String topic) throws Exception {
        ByteBuffer sub = ConsumerProtocol.serializeSubscription(new ConsumerPartitionAssignor.Subscription(List.of(topic)));
        byte[] meta = new byte[sub.remaining()];
        sub.get(meta);
        try (RawKafka c = new RawKafka(broker.port())) {
            GroupProtocolTest t = new GroupProtocolTest();
            GroupProtocolTest.Joined first = GroupProtocolTest.joined(t.call(c, 11, 5, GroupProtocolTest.join(group, "", null, 1000, meta)));
            assertEquals(Errors.MEMBER_ID_REQUIRED, first.error());
            GroupProtocolTest.Joined in = GroupProtocolTest.joined(t.call(c, 11, 5,
                    GroupProtocolTest.join(group, first.memberId(), null, 1000, meta)));
            assertEquals(Errors.NONE, in.error());
            ByteBuffer r = t.call(c, 14, 3, GroupProtocolTest.sync(group, in.generation(), in.memberId(), null, null));
            assertEquals(Errors.NONE, GroupProtocolTest.error(r));
            ByteBuffer assignment = ByteBuffer.wrap(GroupProtocolTest.bytes(r));
            Set<Integer> mine = new HashSet<>();
            for (TopicPartition tp : ConsumerProtocol.deserializeAssignment(assignment).partitions()) {
                mine.add(tp.partition());
            }
            return mine;
        }
    }

    @Test
    void committedOffsetsSurviveARestart() throws Exception {
        String topic = "resume";
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 2), GROUPS)) {
            try (Admin admin = BrokerClientsTest.admin(broker)) {
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            }
            produce(broker, topic, 2, 50);
            Properties p = consumerProps(broker, "rg");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
                c.subscribe(List.of(topic));
                Map<Integer, Long> next = new HashMap<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (next.getOrDefault(0, 0L) < 50 || next.getOrDefault(1, 0L) < 50) {
                    assertTrue(System.nanoTime() < deadline, "did not read both partitions: " + next);
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                        assertEquals(next.getOrDefault(r.partition(), 0L), r.offset());
                        next.put(r.partition(), r.offset() + 1);
                    }
                }
                c.commitSync(); // the positions: 50 and 50
                c.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(30, "half-way"),
                        new TopicPartition(topic, 1), new OffsetAndMetadata(20)));
            }
        }
        // Again on the same data, with another shard count: the group's coordinator moves, its offsets do not.
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 3), GROUPS)) {
            Properties p = consumerProps(broker, "rg");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"); // no committed offset would fail the poll
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
                TopicPartition p0 = new TopicPartition(topic, 0);
                TopicPartition p1 = new TopicPartition(topic, 1);
                Map<TopicPartition, OffsetAndMetadata> committed = c.committed(Set.of(p0, p1));
                assertEquals(30, committed.get(p0).offset());
                assertEquals("half-way", committed.get(p0).metadata());
                assertEquals(20, committed.get(p1).offset());
                c.subscribe(List.of(topic));
                Map<Integer, Long> first = new HashMap<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (first.size() < 2) {
                    assertTrue(System.nanoTime() < deadline, "did not resume both partitions: " + first);
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                        first.putIfAbsent(r.partition(), r.offset());
                    }
                }
                assertEquals(Map.of(0, 30L, 1, 20L), first, "resumed where the commits left off");
            }
        }
    }

    @Test
    void deletingATopicDropsItsCommittedOffsets() throws Exception {
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 2), GROUPS);
                Admin admin = BrokerClientsTest.admin(broker)) {
            admin.createTopics(List.of(new NewTopic("gone", 2, (short) 1), new NewTopic("kept", 1, (short) 1))).all().get();
            Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(new TopicPartition("gone", 0), new OffsetAndMetadata(5),
                    new TopicPartition("gone", 1), new OffsetAndMetadata(6), new TopicPartition("kept", 0), new OffsetAndMetadata(7));
            admin.alterConsumerGroupOffsets("dg", offsets).all().get();
            assertEquals(offsets, admin.listConsumerGroupOffsets("dg").partitionsToOffsetAndMetadata().get());

            admin.deleteTopics(List.of("gone")).all().get();
            admin.createTopics(List.of(new NewTopic("gone", 2, (short) 1))).all().get();
            assertEquals(Map.of(new TopicPartition("kept", 0), new OffsetAndMetadata(7)),
                    admin.listConsumerGroupOffsets("dg").partitionsToOffsetAndMetadata().get());
        }
    }
}
