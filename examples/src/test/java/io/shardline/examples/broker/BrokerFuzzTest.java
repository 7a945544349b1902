package io.shardline.examples.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random, mutated and truncated frames from many connections: the broker stays up, a client connected the
 * whole time keeps getting answers, and the real clients still produce and consume on every shard.
 */
class BrokerFuzzTest {
    static final java.util.logging.Logger KAFKA_LOG = BrokerClientsTest.KAFKA_LOG;
    private static final int[][] APIS = {{0, 3, 9}, {1, 4, 12}, {2, 1, 7}, {3, 0, 12}, {18, 0, 3}, {19, 2, 7}, {20, 1, 6},
        {32, 1, 4}, {22, 0, 4}, {8, 2, 8}, {9, 1, 8}, {10, 0, 4}, {11, 0, 7}, {12, 0, 4}, {13, 0, 4}, {14, 0, 5}, {15, 0, 5}, {16, 0, 5}};

    @TempDir
    Path dir;

    private static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** One hostile frame: random bytes, a real header with a random body, or a valid request cut short or bit-flipped. */
    private static byte[] fuzzFrame(Random rnd) {
        switch (rnd.nextInt(4)) {
            case 0 -> {
                byte[] body = randomBytes(rnd, rnd.nextInt(64));
                return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
            }
            case 1 -> {
                int[] api = APIS[rnd.nextInt(APIS.length)];
                int version = api[1] + rnd.nextInt(api[2] - api[1] + 1);
                return RawKafka.request(api[0], version, rnd.nextInt(), rnd.nextBoolean(), randomBytes(rnd, rnd.nextInt(200)));
            }
            default -> {
                byte[] batch = RawKafka.batch(1 + rnd.nextInt(3), "fuzz".getBytes(StandardCharsets.UTF_8), 1000);
                byte[] frame = RawKafka.request(0, 3, rnd.nextInt(), false,
                        RawKafka.produceV3("fuzz", rnd.nextInt(3) - 1, (short) 1, batch));
                if (rnd.nextBoolean()) {
                    int cut = 6 + rnd.nextInt(frame.length - 6);
                    ByteBuffer b = ByteBuffer.allocate(cut).put(frame, 0, cut);
                    return b.putInt(0, cut - 4).array(); // the size says the request ends early
                }
                for (int k = rnd.nextInt(4); k >= 0; k--) {
                    int at = 4 + rnd.nextInt(frame.length - 4);
                    frame[at] ^= (byte) (1 << rnd.nextInt(8));
                }
                return frame;
            }
        }
    }

    @Test
    void hostileFramesNeverTakeTheBrokerDown() throws Exception {
        Random rnd = new Random(18);
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.defaults(dir, 2).withNumPartitions(2));
                RawKafka witness = new RawKafka(broker.port())) {
            for (int round = 0; round < 60; round++) {
                for (int c = 0; c < 20; c++) {
                    try (Socket s = new Socket("127.0.0.1", broker.port())) {
                        OutputStream out = s.getOutputStream();
                        for (int f = rnd.nextInt(4); f >= 0; f--) {
                            byte[] frame = fuzzFrame(rnd);
                            if (rnd.nextInt(5) == 0) {
                                out.write(frame, 0, rnd.nextInt(frame.length)); // cut mid-frame, then gone
                                break;
                            }
                            out.write(frame);
                        }
                        out.flush();
                    } catch (IOException closedUnderUs) {
                        // The broker closed it: what it does with bad input.
                    }
                }
                witness.send(RawKafka.request(18, 0, round, false, new byte[0]));
                ByteBuffer r = witness.receive();
                assertEquals(round, r.getInt());
                assertEquals(0, r.getShort());
            }
            try (KafkaProducer<byte[], byte[]> p = BrokerClientsTest.producer(broker, "all", "none")) {
                for (int i = 0; i < 20; i++) {
                    p.send(new ProducerRecord<>("after", i % 2, null, BrokerClientsTest.value(i))).get();
                }
            }
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> got = BrokerClientsTest.readAll(broker, "after", 2, 20);
            for (int i = 0; i < 20; i++) {
                assertArrayEquals(BrokerClientsTest.value(i), got.get(i % 2).get(i / 2).value());
            }
        }
    }
}
