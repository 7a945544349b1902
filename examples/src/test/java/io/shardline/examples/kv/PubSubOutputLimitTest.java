package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A subscriber that never reads is disconnected at the pub/sub output limit (here made small), by
 * the hard limit at once, by the soft one only after it has been exceeded for its seconds on the
 * server's clock, which the test moves by hand; its subscriptions go with it.
 */
class PubSubOutputLimitTest {
    private static final String MESSAGE;

    static {
        char[] m = new char[64 * 1024];
        Arrays.fill(m, 'm');
        MESSAGE = new String(m);
    }

    /** Subscribes over a raw socket that then never reads; returns it. */
    private static Socket stalledSubscriber(KvServer server, String channel) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress(JedisSupport.HOST, server.port()));
        s.setSoTimeout(JedisSupport.TIMEOUT_MILLIS);
        s.getOutputStream().write(RawResp.encode("SUBSCRIBE", channel));
        s.getOutputStream().flush();
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$" + channel.length() + "\r\n" + channel + "\r\n:1\r\n",
                RawResp.readReply(s.getInputStream()));
        return s;
    }

    /** Reads what the server had sent, to its end: the server closed the connection. */
    private static void assertClosedByServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[64 * 1024];
        try {
            while (in.read(buf) >= 0) {
                // what was queued before the cut
            }
        } catch (SocketException reset) {
            // an abortive close: reset by peer, closed as well
        }
    }

    @Test
    void hardLimitDisconnectsANonReadingSubscriber() throws Exception {
        PubSubLimits limits = new PubSubLimits(256 * 1024, 0, 0);
        try (KvServer server = KvServer.start(KvConfig.inMemory(3).withPubSubLimits(limits));
                Socket sub = stalledSubscriber(server, "flood");
                Jedis pub = connect(server)) {
            int delivered = 0;
            long receivers = 1;
            for (int i = 0; i < 5000 && receivers != 0; i++) {
                receivers = pub.publish("flood", MESSAGE);
                delivered += (int) receivers;
            }
            assertEquals(0, receivers, "the subscriber was never cut off");
            // Kernel socket buffers take some megabytes first; past them, at most the limit queues.
            assertTrue(delivered > 4, "cut off before the limit: after " + delivered + " messages");
            assertEquals(0L, pub.pubsubNumSub("flood").get("flood"));
            assertClosedByServer(sub);
        }
    }

    @Test
    void softLimitDisconnectsOnlyAfterItsSecondsPass() throws Exception {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        PubSubLimits limits = new PubSubLimits(0, 128 * 1024, 10);
        KvConfig config = KvConfig.inMemory(3).withClock(now::get).withPubSubLimits(limits);
        try (KvServer server = KvServer.start(config); Socket sub = stalledSubscriber(server, "slow");
                Jedis pub = connect(server)) {
            // More than the kernel buffers hold (some megabytes): the rest queues above the soft limit, and
            // stays; less than the transport's own 16 MiB limit, which has no hard pub/sub limit above it here.
            for (int i = 0; i < 150; i++) {
                assertEquals(1, pub.publish("slow", MESSAGE), "cut off before the soft limit's seconds passed");
            }
            assertEquals(1L, pub.pubsubNumSub("slow").get("slow"));
            now.addAndGet(10_000); // exactly the limit's seconds: still allowed, as in Redis
            assertEquals(1, pub.publish("slow", MESSAGE));
            now.addAndGet(1_001);
            long receivers = 1;
            for (int i = 0; i < 1000 && receivers != 0; i++) {
                receivers = pub.publish("slow", "after");
            }
            assertEquals(0, receivers, "the subscriber was not cut off once the soft limit's seconds passed");
            assertEquals(0L, pub.pubsubNumSub("slow").get("slow"));
            assertClosedByServer(sub);
        }
    }
}
