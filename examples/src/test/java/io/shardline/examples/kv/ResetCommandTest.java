package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** RESET drops a connection's subscriptions, protocol, name and, with a password set, its authentication. */
class ResetCommandTest {
    @Test
    void resetLeavesSubscribedModeAndRESP3() throws Exception {
        try (KvServer server = KvServer.start(KvConfig.inMemory(3)); JedisSupport.RawClient c = new JedisSupport.RawClient(server);
                Jedis pub = JedisSupport.connect(server)) {
            c.command("HELLO", "3");
            c.reply();
            c.command("CLIENT", "SETNAME", "before");
            assertEquals("+OK\r\n", c.reply());
            c.command("SUBSCRIBE", "r1", "r2");
            c.reply();
            c.reply();
            c.command("PSUBSCRIBE", "r*");
            c.reply();
            assertEquals(2, pub.publish("r1", "m"), "by channel and by pattern: counted twice");
            c.reply();
            c.reply();
            c.command("RESET");
            assertEquals("+RESET\r\n", c.reply());
            assertEquals(0, pub.publish("r1", "m"));
            assertEquals(0L, pub.pubsubNumPat());
            c.command("CLIENT", "GETNAME");
            assertEquals("$-1\r\n", c.reply(), "RESP2 again (RESP3 would be _) and no name");
            c.command("PING");
            assertEquals("+PONG\r\n", c.reply(), "not in subscribed mode");
        }
    }

    @Test
    void resetLogsOutWhenAPasswordIsSet() throws Exception {
        try (KvServer server = KvServer.start(KvConfig.inMemory(2).withRequirePass("secret"));
                JedisSupport.RawClient c = new JedisSupport.RawClient(server)) {
            c.command("RESET");
            assertEquals("+RESET\r\n", c.reply(), "RESET runs before authentication, as in Redis");
            c.command("AUTH", "secret");
            assertEquals("+OK\r\n", c.reply());
            c.command("SUBSCRIBE", "x");
            c.reply();
            c.command("RESET");
            assertEquals("+RESET\r\n", c.reply());
            c.command("GET", "x");
            assertEquals("-NOAUTH Authentication required.\r\n", c.reply());
        }
    }
}
