package io.shardline.examples.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wire protocol byte by byte: ApiVersions, framing, bad input, in-order responses, acks=0, long-polling. */
class BrokerProtocolTest {
    @TempDir
    Path dir;
    BrokerServer broker;

    @BeforeEach
    void start() throws Exception {
        broker = BrokerServer.start(BrokerConfig.defaults(dir, 2).withNumPartitions(2));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** The api key -> {min, max} of an ApiVersions response read past its error code. */
    private static Map<Integer, int[]> apis(ByteBuffer r, boolean compact) {
        int n = compact ? (r.get() & 0xFF) - 1 : r.getInt();
        Map<Integer, int[]> out = new HashMap<>();
        for (int i = 0; i < n; i++) {
            out.put((int) r.getShort(), new int[] {r.getShort(), r.getShort()});
            if (compact) {
                assertEquals(0, r.get(), "no tags per entry");
            }
        }
        return out;
    }

    @Test
    void apiVersionsListsWhatIsImplemented() throws Exception {
        try (RawKafka c = new RawKafka(broker.port())) {
            c.send(RawKafka.request(18, 0, 7, false, new byte[0]));
            ByteBuffer r = c.receive();
            assertEquals(7, r.getInt());
            assertEquals(0, r.getShort());
            Map<Integer, int[]> apis = apis(r, false);
            assertEquals(Api.values().length, apis.size());
            assertEquals(3, apis.get(0)[0]);
            assertEquals(9, apis.get(0)[1]);
            assertEquals(12, apis.get(1)[1]);
            assertEquals(0, apis.get(3)[0]);
            assertEquals(4, apis.get(22)[1]); // InitProducerId
            assertEquals(2, apis.get(23)[0]); // OffsetForLeaderEpoch
            assertEquals(4, apis.get(23)[1]);
            assertFalse(r.hasRemaining(), "v0 has no throttle time");

            // v3: request header v2 and compact strings, response header still v0, compact array and tags.
            byte[] sw = {4, 'r', 'a', 'w', 4, '1', '.', '0', 0};
            c.send(RawKafka.request(18, 3, 8, true, sw));
            r = c.receive();
            assertEquals(8, r.getInt());
            assertEquals(0, r.getShort(), "no tag byte after the correlation id: header v0");
            assertEquals(Api.values().length, apis(r, true).size());
            assertEquals(0, r.getInt()); // throttle
            assertEquals(0, r.get()); // tags
            assertFalse(r.hasRemaining());
        }
    }

    @Test
    void unsupportedApiVersionsVersionGetsAV0ErrorWithTheFullList() throws Exception {
        try (RawKafka c = new RawKafka(broker.port())) {
            c.send(RawKafka.request(18, 99, 3, true, new byte[] {0}));
            ByteBuffer r = c.receive();
            assertEquals(3, r.getInt());
            assertEquals(35, r.getShort()); // UNSUPPORTED_VERSION
            assertEquals(Api.values().length, apis(r, false).size());
            assertFalse(r.hasRemaining());
        }
    }

    @Test
    void unknownApiOrVersionClosesTheConnection() throws Exception {
        try (RawKafka c = new RawKafka(broker.port())) {
            c.send(RawKafka.request(9999, 0, 1, false, new byte[0]));
            assertTrue(c.closedByPeer());
        }
        try (RawKafka c = new RawKafka(broker.port())) {
            c.send(RawKafka.request(3, 99, 1, false, new byte[0])); // Metadata v99
            assertTrue(c.closedByPeer());
        }
        try (RawKafka c = new RawKafka(broker.port())) {
            c.send(RawKafka.request(3, 1, 1, false, new byte[] {0, 0})); // Metadata v1 cut short
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void oversizeOrNegativeFrameClosesTheConnection() throws Exception {
        try (RawKafka c = new RawKafka(broker.port())) {
            c.send(ByteBuffer.allocate(4).putInt(BrokerConfig.DEFAULT_MAX_REQUEST_BYTES + 1).array());
            assertTrue(c.closedByPeer());
        }
        try (RawKafka c = new RawKafka(broker.port())) {
            c.send(ByteBuffer.allocate(4).putInt(-5).array());
            assertTrue(c.closedByPeer());
        }
    }

    /** Reads a Produce v3 response of one partition: {error, base offset}. */
    @Test
    void aRequestSplitAcrossManyReadsIsGathered() throws Exception {
        try (RawKafka c = new RawKafka(broker.port())) {
            byte[] value = new byte[200_000];
            new java.util.Random(1).nextBytes(value);
            byte[] frame = RawKafka.request(0, 3, 9, false,
                    RawKafka.produceV3("split", 0, (short) 1, RawKafka.batch(1, value, 1000)));
            for (int at = 0; at < frame.length; ) {
                int n = Math.min(frame.length - at, at < 16 ? 1 : 7919);
                c.send(java.util.Arrays.copyOfRange(frame, at, at + n));
                at += n;
            }
            assertEquals(0, RawKafka.produceResult(c.receive(), 9)[0]);
        }
    }

    @Test
    void badCrcIsCorruptMessageAndTheConnectionGoesOn() throws Exception {
        try (RawKafka c = new RawKafka(broker.port())) {
            byte[] good = RawKafka.batch(3, "hello".getBytes(StandardCharsets.UTF_8), 1000);
            c.send(RawKafka.request(0, 3, 1, false, RawKafka.produceV3("crc", 0, (short) 1, good)));
            assertEquals(0, RawKafka.produceResult(c.receive(), 1)[0]);
            byte[] bad = RawKafka.batch(3, "hello".getBytes(StandardCharsets.UTF_8), 1000);
            bad[bad.length - 3] ^= 1;
            c.send(RawKafka.request(0, 3, 2, false, RawKafka.produceV3("crc", 0, (short) 1, bad)));
            assertEquals(2, RawKafka.produceResult(c.receive(), 2)[0]); // CORRUPT_MESSAGE
            c.send(RawKafka.request(0, 3, 3, false, RawKafka.produceV3("crc", 0, (short) 1, good)));
            long[] third = RawKafka.produceResult(c.receive(), 3);
            assertEquals(0, third[0]);
            assertEquals(3, third[1], "the corrupt batch took no offsets");
        }
    }

    @Test
    void acksZeroHasNoResponseButIsAppended() throws Exception {
        try (RawKafka c = new RawKafka(broker.port())) {
            byte[] b = RawKafka.batch(2, "x".getBytes(StandardCharsets.UTF_8), 1000);
            c.send(RawKafka.request(0, 3, 1, false, RawKafka.produceV3("zero", 0, (short) 1, b)));
            assertEquals(0, RawKafka.produceResult(c.receive(), 1)[1]);
            c.send(RawKafka.request(0, 3, 2, false, RawKafka.produceV3("zero", 0, (short) 0, b)));
            c.send(RawKafka.request(0, 3, 3, false, RawKafka.produceV3("zero", 0, (short) 1, b)));
            long[] r = RawKafka.produceResult(c.receive(), 3); // correlation 2 never answers
            assertEquals(4, r[1]);
            byte[] bad = b.clone();
            bad[bad.length - 1] ^= 1;
            c.send(RawKafka.request(0, 3, 4, false, RawKafka.produceV3("zero", 0, (short) 0, bad)));
            assertTrue(c.closedByPeer(), "an acks=0 produce that fails closes the connection, as Kafka does");
        }
    }

    @Test
    void responsesComeInRequestOrderAcrossShards() throws Exception {
        try (RawKafka c = new RawKafka(broker.port())) {
            byte[] b = RawKafka.batch(1, "y".getBytes(StandardCharsets.UTF_8), 1000);
            c.send(RawKafka.request(0, 3, 1, false, RawKafka.produceV3("order", 0, (short) 1, b)));
            RawKafka.produceResult(c.receive(), 1); // creates the topic: two partitions on two shards
            for (int round = 0; round < 20; round++) {
                int base = 10 + round * 3;
                c.send(RawKafka.request(0, 3, base, false, RawKafka.produceV3("order", 0, (short) -1, b)));
                c.send(RawKafka.request(0, 3, base + 1, false, RawKafka.produceV3("order", 1, (short) -1, b)));
                c.send(RawKafka.request(18, 0, base + 2, false, new byte[0]));
                assertEquals(0, RawKafka.produceResult(c.receive(), base)[0]);
                assertEquals(0, RawKafka.produceResult(c.receive(), base + 1)[0]);
                assertEquals(base + 2, c.receive().getInt());
            }
        }
    }

    /** A Fetch v4 body for one partition. */
    private static byte[] fetchV4(String topic, int partition, long offset, int maxWaitMs, int minBytes) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 4 + 4 + 1 + 4 + 2 + t.length + 4 + 4 + 8 + 4);
        b.putInt(-1).putInt(maxWaitMs).putInt(minBytes).putInt(1 << 20).put((byte) 0).putInt(1).putShort((short) t.length)
                .put(t).putInt(1).putInt(partition).putLong(offset).putInt(1 << 20);
        return b.array();
    }

    @Test
    void fetchLongPollsUntilDataArrives() throws Exception {
        try (RawKafka producer = new RawKafka(broker.port()); RawKafka consumer = new RawKafka(broker.port())) {
            byte[] b = RawKafka.batch(1, "first".getBytes(StandardCharsets.UTF_8), 1000);
            producer.send(RawKafka.request(0, 3, 1, false, RawKafka.produceV3("poll", 1, (short) 1, b)));
            RawKafka.produceResult(producer.receive(), 1);
            // Waits up to 10 minutes for data past offset 1: only the produce below can end it within the read timeout.
            consumer.send(RawKafka.request(1, 4, 5, false, fetchV4("poll", 1, 1, 600_000, 1)));
            producer.send(RawKafka.request(0, 3, 2, false, RawKafka.produceV3("poll", 1, (short) 1, b)));
            assertEquals(1, RawKafka.produceResult(producer.receive(), 2)[1]);
            ByteBuffer r = consumer.receive();
            assertEquals(5, r.getInt());
            r.getInt(); // throttle
            assertEquals(1, r.getInt());
            r.position(r.position() + 2 + r.getShort(r.position()));
            assertEquals(1, r.getInt());
            assertEquals(1, r.getInt()); // partition
            assertEquals(0, r.getShort());
            assertEquals(2, r.getLong()); // high watermark
            r.getLong(); // last stable offset
            assertEquals(-1, r.getInt()); // aborted transactions: null
            int size = r.getInt();
            assertEquals(b.length, size);
            assertEquals(1, r.getLong(r.position()), "the batch's base offset is the broker's");
        }
    }

    @Test
    void aLongPollOverPartitionsOnTwoShardsWakesForEither() throws Exception {
        assertTrue(BrokerShard.ownerOf("two", 0, 2) != BrokerShard.ownerOf("two", 1, 2), "one partition per shard");
        try (RawKafka producer = new RawKafka(broker.port()); RawKafka consumer = new RawKafka(broker.port())) {
            byte[] b = RawKafka.batch(1, "a".getBytes(StandardCharsets.UTF_8), 1000);
            producer.send(RawKafka.request(0, 3, 1, false, RawKafka.produceV3("two", 0, (short) 1, b)));
            RawKafka.produceResult(producer.receive(), 1); // partition 0 now ends at 1, partition 1 at 0
            for (int round = 0; round < 2; round++) {
                // Every fetch offset is its partition's end: only the produce below can answer within the read timeout.
                consumer.send(RawKafka.request(1, 4, 20 + round, false, fetchTwoFrom(round)));
                int partition = round == 0 ? 1 : 0;
                producer.send(RawKafka.request(0, 3, 2 + round, false, RawKafka.produceV3("two", partition, (short) 1, b)));
                RawKafka.produceResult(producer.receive(), 2 + round);
                ByteBuffer r = consumer.receive();
                assertEquals(20 + round, r.getInt());
            }
        }
    }

    /** Round 0: partition 0 from 1, partition 1 from 0; round 1: partition 0 from 1, partition 1 from 1 (each its end). */
    private static byte[] fetchTwoFrom(int round) {
        byte[] t = "two".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 4 + 4 + 1 + 4 + 2 + t.length + 4 + 2 * (4 + 8 + 4));
        b.putInt(-1).putInt(600_000).putInt(1).putInt(1 << 20).put((byte) 0).putInt(1).putShort((short) t.length)
                .put(t).putInt(2);
        b.putInt(0).putLong(1).putInt(1 << 20);
        b.putInt(1).putLong(round == 0 ? 0 : 1).putInt(1 << 20);
        return b.array();
    }

    @Test
    void withoutAutoCreationUnknownTopicsAreUnknown() throws Exception {
        broker.close();
        broker = BrokerServer.start(BrokerConfig.defaults(dir.resolve("no-auto"), 1).withAutoCreate(false));
        try (RawKafka c = new RawKafka(broker.port())) {
            byte[] b = RawKafka.batch(1, "n".getBytes(StandardCharsets.UTF_8), 1000);
            c.send(RawKafka.request(0, 3, 1, false, RawKafka.produceV3("nowhere", 0, (short) 1, b)));
            assertEquals(3, RawKafka.produceResult(c.receive(), 1)[0]); // UNKNOWN_TOPIC_OR_PARTITION
            // Metadata v1 naming the topic: error 3 for it, and no topic made.
            byte[] name = "nowhere".getBytes(StandardCharsets.UTF_8);
            ByteBuffer body = ByteBuffer.allocate(4 + 2 + name.length).putInt(1).putShort((short) name.length).put(name);
            c.send(RawKafka.request(3, 1, 2, false, body.array()));
            ByteBuffer r = c.receive();
            assertEquals(2, r.getInt());
            assertEquals(1, r.getInt()); // brokers
            r.getInt();
            r.position(r.position() + 2 + r.getShort(r.position()));
            r.getInt(); // port
            r.position(r.position() + 2); // rack: null
            assertEquals(0, r.getInt()); // controller id
            assertEquals(1, r.getInt());
            assertEquals(3, r.getShort());
        }
    }

    @Test
    void metadataV0EmptyListMeansAllTopics() throws Exception {
        try (RawKafka c = new RawKafka(broker.port())) {
            byte[] b = RawKafka.batch(1, "z".getBytes(StandardCharsets.UTF_8), 1000);
            c.send(RawKafka.request(0, 3, 1, false, RawKafka.produceV3("meta", 0, (short) 1, b)));
            RawKafka.produceResult(c.receive(), 1);
            c.send(RawKafka.request(3, 0, 2, false, new byte[] {0, 0, 0, 0}));
            ByteBuffer r = c.receive();
            assertEquals(2, r.getInt());
            assertEquals(1, r.getInt()); // one broker
            assertEquals(0, r.getInt());
            r.position(r.position() + 2 + r.getShort(r.position()));
            assertEquals(broker.port(), r.getInt());
            assertEquals(1, r.getInt()); // one topic
            assertEquals(0, r.getShort());
            short len = r.getShort();
            byte[] name = new byte[len];
            r.get(name);
            assertEquals("meta", new String(name, StandardCharsets.UTF_8));
            assertEquals(2, r.getInt()); // partitions
        }
    }
}
