package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.keyOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Pushes to a RESP3 subscriber that has replies outstanding (pipelined commands on other shards) go
 * out whole, between replies, never ahead of a reply to an earlier request nor inside one; and a
 * publisher's messages arrive in its order.
 */
class PubSubPushOrderTest {
    static final int SHARDS = 3;
    static KvServer server;

    @BeforeAll
    static void start() throws Exception {
        server = KvServer.start(KvConfig.inMemory(SHARDS));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pushesInterleaveWithPendingRepliesInOrder() throws Exception {
        int requests = 400;
        int messages = 300;
        String channel = keyOn("pushorder", 1, SHARDS);
        List<String> keys = JedisSupport.keys("po", 30, SHARDS);
        try (JedisSupport.RawClient sub = new JedisSupport.RawClient(server); Jedis pub = JedisSupport.connect(server)) {
            for (String k : keys) {
                pub.set(k, "v-" + k);
            }
            sub.command("HELLO", "3");
            sub.reply();
            sub.command("SUBSCRIBE", channel);
            assertEquals(">3\r\n$9\r\nsubscribe\r\n$" + channel.length() + "\r\n" + channel + "\r\n:1\r\n", sub.reply());
            CountDownLatch go = new CountDownLatch(1);
            Thread publisher = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < messages; i++) {
                    assertEquals(1, pub.publish(channel, "m" + i));
                }
            });
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            for (int i = 0; i < requests; i++) {
                pipeline.writeBytes(RawResp.encode("GET", keys.get(i % keys.size())));
            }
            go.countDown();
            sub.send(pipeline.toByteArray());
            int replies = 0;
            List<String> pushed = new ArrayList<>();
            while (replies < requests || pushed.size() < messages) {
                String frame = sub.reply();
                if (frame.startsWith(">")) {
                    String prefix = ">3\r\n$7\r\nmessage\r\n$" + channel.length() + "\r\n" + channel + "\r\n";
                    assertTrue(frame.startsWith(prefix), frame);
                    pushed.add(frame.substring(frame.indexOf("\r\n", prefix.length()) + 2, frame.length() - 2));
                } else {
                    String key = keys.get(replies % keys.size());
                    assertEquals("$" + ("v-" + key).length() + "\r\nv-" + key + "\r\n", frame, "reply " + replies);
                    replies++;
                }
            }
            publisher.join();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                sent.add("m" + i);
            }
            assertEquals(sent, pushed);
        }
    }
}
