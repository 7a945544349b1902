package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;

/**
 * Several processes, one cluster ({@code --cluster-nodes}): two servers of two shards each (in this JVM,
 * each with its own runtime and ports, as two processes would be), listed in the same order by both.
 * Every node answers for the whole cluster and redirects to nodes of the other process; the ids and the
 * slots persist; an inconsistent list is refused at start.
 */
@Timeout(120)
class KvClusterProcessesTest {

    /** Two free base ports, each with the port after it free too. */
    static int[] freeBases() throws IOException {
        List<Integer> bases = new ArrayList<>();
        while (bases.size() < 2) {
            int p = ThreadLocalRandom.current().nextInt(20000, 40000);
            if (free(p) && free(p + 1) && (bases.isEmpty() || Math.abs(bases.get(0) - p) > 2)) {
                bases.add(p);
            }
        }
        return new int[] {bases.get(0), bases.get(1)};
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static KvServer start(int port, String list, Path dir) throws Exception {
        KvConfig config = KvConfig.inMemory(2);
        config = new KvConfig(new InetSocketAddress("127.0.0.1", port), 2, dir, config.durability(), config.fsyncName(),
                null, config.maxBulkBytes(), config.maxArguments(), config.compactBytes(), config.clock(), 0,
                config.pubsubLimits());
        return KvServer.start(config, ClusterConfig.parse(list, "127.0.0.1", port, 2));
    }

    @Test
    void twoProcessesServeOneClusterAndRedirectToEachOther(@TempDir Path dir) throws Exception {
        int[] base = freeBases();
        String list = "127.0.0.1:" + base[0] + "/2,127.0.0.1:" + base[1] + "/2";
        List<String> idsBefore = new ArrayList<>();
        try (KvServer a = start(base[0], list, dir.resolve("a")); KvServer b = start(base[1], list, dir.resolve("b"))) {
            for (KvServer s : List.of(a, b)) {
                for (int shard = 0; shard < 2; shard++) {
                    try (Jedis j = new Jedis("127.0.0.1", s.port(shard), JedisSupport.config())) {
                        String nodes = j.clusterNodes();
                        assertEquals(4, nodes.split("\n").length, nodes);
                        assertTrue(j.clusterInfo().contains("cluster_known_nodes:4\r\n"));
                        idsBefore.add(j.clusterMyId());
                    }
                }
            }
            // The fourth node's slots, asked of the first: redirected to the other process.
            String key = keyOwnedBy(3, 4);
            try (RawClient first = new RawClient(a.port(0))) {
                assertEquals("-MOVED " + HashSlot.of(key.getBytes(StandardCharsets.UTF_8)) + " 127.0.0.1:" + (base[1] + 1) + "\r\n",
                        first.call("GET " + key));
            }
            try (Jedis j = new Jedis("127.0.0.1", a.port(0), JedisSupport.config())) {
                assertEquals(j.clusterNodes().replace("myself,", "").lines().map(l -> l.substring(0, 60)).sorted().toList(),
                        nodesOf(b).replace("myself,", "").lines().map(l -> l.substring(0, 60)).sorted().toList(),
                        "every node describes the same cluster");
            }
            try (JedisCluster jc = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", base[0])), JedisSupport.config())) {
                for (int i = 0; i < 400; i++) {
                    jc.set("k" + i, "v" + i);
                    jc.hset("h" + i, Map.of("f", String.valueOf(i)));
                }
                for (int i = 0; i < 400; i++) {
                    assertEquals("v" + i, jc.get("k" + i));
                    assertEquals(String.valueOf(i), jc.hget("h" + i, "f"));
                }
            }
            lettuce(base[1]);
            long total = 0;
            for (KvServer s : List.of(a, b)) {
                for (int shard = 0; shard < 2; shard++) {
                    try (Jedis j = new Jedis("127.0.0.1", s.port(shard), JedisSupport.config())) {
                        total += j.dbSize();
                    }
                }
            }
            assertEquals(800 + 300, total, "each key on exactly one node");
        }
        // Restarted on the same directories, the nodes keep their ids and their keys.
        List<String> idsAfter = new ArrayList<>();
        try (KvServer a = start(base[0], list, dir.resolve("a")); KvServer b = start(base[1], list, dir.resolve("b"))) {
            for (KvServer s : List.of(a, b)) {
                for (int shard = 0; shard < 2; shard++) {
                    try (Jedis j = new Jedis("127.0.0.1", s.port(shard), JedisSupport.config())) {
                        idsAfter.add(j.clusterMyId());
                    }
                }
            }
            try (JedisCluster jc = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", base[1])), JedisSupport.config())) {
                for (int i = 0; i < 400; i++) {
                    assertEquals("v" + i, jc.get("k" + i));
                }
            }
        }
        assertEquals(idsBefore, idsAfter);
        assertTrue(Files.exists(dir.resolve("a").resolve(ClusterTopology.FILE)));
    }

    private static String nodesOf(KvServer s) {
        try (Jedis j = new Jedis("127.0.0.1", s.port(0), JedisSupport.config())) {
            return j.clusterNodes();
        }
    }

    /** Lettuce's cluster client learns the topology from one node and reaches all four. */
    private static void lettuce(int port) {
        RedisClusterClient client = RedisClusterClient.create(RedisURI.create("127.0.0.1", port));
        try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
            RedisAdvancedClusterCommands<String, String> cmd = c.sync();
            for (int i = 0; i < 300; i++) {
                cmd.set("lettuce:" + i, "x" + i);
            }
            for (int i = 0; i < 300; i++) {
                assertEquals("x" + i, cmd.get("lettuce:" + i));
            }
            assertEquals(4, cmd.clusterSlots().size());
            closeQuietly(c);
        } finally {
            client.shutdown();
        }
    }

    private static void closeQuietly(StatefulConnection<?, ?> c) {
        c.close();
    }

    /** A key whose slot node {@code node} of {@code nodes} owns. */
    private static String keyOwnedBy(int node, int nodes) {
        for (int i = 0; ; i++) {
            String k = "owned" + i;
            if (SlotTable.evenOwner(HashSlot.of(k.getBytes(StandardCharsets.UTF_8)), nodes) == node) {
                return k;
            }
        }
    }

    @Test
    void anInconsistentNodeListIsRefusedWithAClearError(@TempDir Path dir) throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ClusterConfig.parse("127.0.0.1:7000/2,127.0.0.1:7100/2", "127.0.0.1", 7200, 2));
        assertEquals("--cluster-nodes does not list this process (127.0.0.1:7200/2)", missing.getMessage());
        IllegalArgumentException shards = assertThrows(IllegalArgumentException.class,
                () -> ClusterConfig.parse("127.0.0.1:7000/3,127.0.0.1:7100/2", "127.0.0.1", 7000, 2));
        assertTrue(shards.getMessage().contains("with 3 shards, but it runs 2"), shards.getMessage());
        IllegalArgumentException overlap = assertThrows(IllegalArgumentException.class,
                () -> ClusterConfig.parse("127.0.0.1:7000/2,127.0.0.1:7001/2", "127.0.0.1", 7000, 2));
        assertTrue(overlap.getMessage().contains("use the same ports"), overlap.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClusterConfig.parse("127.0.0.1:x/2", "127.0.0.1", 7000, 2));
        assertThrows(IllegalArgumentException.class,
                () -> ClusterConfig.parse("127.0.0.1:7000/2,127.0.0.1:7000/2", "127.0.0.1", 7000, 2));
        // A data directory of one cluster is not taken over by another list.
        int[] base = freeBases();
        String list = "127.0.0.1:" + base[0] + "/2";
        try (KvServer s = start(base[0], list, dir)) {
            assertEquals(base[0], s.port(0));
        }
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> start(base[0], list + ",127.0.0.1:" + base[1] + "/2", dir));
        assertTrue(other.getMessage().contains("belongs to the cluster"), other.getMessage());
    }

    @Test
    void theCommandLineTakesTheClusterOptions() {
        KvMain main = new KvMain();
        picocli.CommandLine cl = new picocli.CommandLine(main);
        cl.parseArgs("--cluster-nodes", "127.0.0.1:7000/2,127.0.0.1:7100/2", "--port", "7100", "--shards", "2");
        ClusterConfig c = main.clusterConfig();
        assertEquals(1, c.self());
        assertEquals(2, c.firstLocalNode());
        KvMain bad = new KvMain();
        new picocli.CommandLine(bad).parseArgs("--cluster-nodes", "127.0.0.1:7000/2", "--port", "7100", "--shards", "2");
        assertThrows(picocli.CommandLine.ParameterException.class, bad::clusterConfig);
        KvMain plain = new KvMain();
        new picocli.CommandLine(plain).parseArgs("--port", "7100");
        assertEquals(null, plain.clusterConfig());
        KvMain single = new KvMain();
        new picocli.CommandLine(single).parseArgs("--cluster", "--port", "7100", "--shards", "3");
        assertEquals(3, single.clusterConfig().nodes());
    }
}
