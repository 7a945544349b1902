package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.connectionShard;
import static io.shardline.examples.kv.JedisSupport.infoField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The per-shard counters: each shard counts its own connections and refused requests, and INFO sums
 * them over every shard; client ids stay unique without a shared counter.
 */
class KvCountersTest {

    @Test
    void infoSumsEveryShardsCountersAndClientIdsAreUnique() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(3))) {
            List<Jedis> clients = new ArrayList<>();
            try {
                Set<Integer> shards = new HashSet<>();
                Set<Long> ids = new HashSet<>();
                // Connections until they live on at least two shards (the kernel spreads them; bounded).
                while (clients.size() < 4 || (shards.size() < 2 && clients.size() < 64)) {
                    Jedis j = connect(kv);
                    clients.add(j);
                    shards.add(connectionShard(j));
                    assertTrue(ids.add(j.clientId()), "client ids repeat: " + ids);
                }
                assertTrue(shards.size() >= 2, "all connections on one shard: " + shards);
                int refused = 0;
                for (Jedis j : clients) {
                    assertThrows(JedisDataException.class, () -> j.sendCommand(JedisSupport.command("NOSUCH")));
                    refused++;
                }
                assertThrows(JedisDataException.class, () -> clients.get(0).sendCommand(JedisSupport.command("GET")));
                refused++;
                String info = clients.get(0).info();
                assertEquals(clients.size(), infoField(info, "connected_clients"), info);
                assertEquals(clients.size(), infoField(info, "total_connections_received"), info);
                assertEquals(refused, infoField(info, "rejected_commands"), info);

                Jedis last = clients.remove(clients.size() - 1);
                last.close();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                // Closes are seen asynchronously; each INFO is a round trip, which paces this bounded poll.
                while (infoField(clients.get(0).info("clients"), "connected_clients") != clients.size()) {
                    assertTrue(System.nanoTime() < deadline, "the closed connection is still counted");
                }
                assertEquals(clients.size() + 1, infoField(clients.get(0).info("stats"), "total_connections_received"));
            } finally {
                for (Jedis j : clients) {
                    j.close();
                }
            }
        }
    }
}
