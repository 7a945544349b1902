package io.shardline.examples.kv;

import static io.shardline.examples.Scrapes.assertPromtoolAccepts;
import static io.shardline.examples.Scrapes.scrape;
import static io.shardline.examples.Scrapes.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.net.metrics.MetricsServer;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** The KV server's /metrics: commands by name move with the traffic, and promtool accepts the text. */
class KvMetricsTest {

    @Test
    void commandCountersMoveWithTheTrafficAndPromtoolAcceptsTheText() throws Exception {
        try (KvServer server = KvServer.start(KvConfig.inMemory(3));
             MetricsServer metrics = MetricsServer.start(server.runtime(), new InetSocketAddress("127.0.0.1", 0),
                     List.of(new KvMetrics(server)));
             Jedis jedis = JedisSupport.connect(server)) {
            for (int i = 0; i < 10; i++) {
                jedis.set("key:" + i, "v" + i); // spread over the shards by hash slot
            }
            for (int i = 0; i < 3; i++) {
                assertEquals("v" + i, jedis.get("key:" + i));
            }
            assertThrows(JedisDataException.class, () -> jedis.sendCommand(JedisSupport.command("NOSUCHCOMMAND")));

            String text = scrape(metrics.port());
            assertEquals(10, sum(text, "shardline_kv_commands_total", "cmd=\"set\""), text);
            assertEquals(3, sum(text, "shardline_kv_commands_total", "cmd=\"get\""), text);
            assertTrue(sum(text, "shardline_kv_command_seconds_total", "cmd=\"set\"") > 0, text);
            assertEquals(1, sum(text, "shardline_kv_rejected_commands_total", ""), text);
            assertEquals(10, sum(text, "shardline_kv_keys", ""), text);
            assertEquals(1, sum(text, "shardline_kv_connected_clients", ""), text);
            assertEquals(3, sum(text, "shardline_metrics_shard_up", ""), "every shard answered: " + text);
            assertTrue(sum(text, "shardline_net_read_bytes_total", "") > 0, text);
            assertTrue(text.contains("shardline_mesh_messages_sent_total{from=\"0\",to=\"2\"}"), text);
            assertPromtoolAccepts(text);

            for (int i = 0; i < 5; i++) {
                jedis.set("more:" + i, "v");
            }
            jedis.del("key:0");
            String after = scrape(metrics.port());
            assertEquals(15, sum(after, "shardline_kv_commands_total", "cmd=\"set\""), after);
            assertEquals(1, sum(after, "shardline_kv_commands_total", "cmd=\"del\""), after);
            assertEquals(14, sum(after, "shardline_kv_keys", ""), after);
        }
    }
}
