package io.shardline.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.examples.kv.ClusterConfig;
import io.shardline.examples.kv.KvConfig;
import io.shardline.examples.kv.KvServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kv suite's cluster pieces, for real (skipped where redis-server, redis-cli or redis-benchmark is
 * not installed): a Redis Cluster formed by redis-cli (3 nodes) and by hand (2 nodes, fewer than
 * redis-cli accepts), waited on until whole, driven by {@code redis-benchmark --cluster} with a few
 * requests that reach every node, and stopped; the same driver against an in-process Shardline cluster.
 */
class KvClusterBenchTest {
    private static final long REQUESTS = 3_000;

    @TempDir
    Path dir;
    private KvServers servers;
    private KvServer shardline;

    @BeforeEach
    void tools() {
        Assumptions.assumeTrue(KvServers.missing(System.getenv("PATH"), List.of(KvServers.REDIS_SERVER,
                RedisBenchmark.COMMAND, KvCluster.REDIS_CLI)).isEmpty(), "redis-server/redis-cli/redis-benchmark not installed");
        servers = new KvServers(dir, dir);
    }

    @AfterEach
    void stop() {
        servers.close();
        if (shardline != null) {
            shardline.close();
        }
    }

    @Test
    void aRedisClusterOfThreeIsCreatedByRedisCliAndEveryNodeTakesKeys() throws Exception {
        checkRedisCluster(3);
    }

    @Test
    void aRedisClusterOfTwoIsFormedByHandAndEveryNodeTakesKeys() throws Exception {
        checkRedisCluster(2);
    }

    private void checkRedisCluster(int nodes) throws Exception {
        List<ServerProcess> cluster = servers.redisCluster("redis cluster test", nodes);
        assertEquals(nodes, cluster.size());
        List<Integer> ports = cluster.stream().map(ServerProcess::port).toList();
        assertEquals(KvCluster.ports(ports.getFirst(), nodes), ports, "consecutive ports");
        for (int port : ports) {
            try (RespClient c = RespClient.connect(port)) {
                assertTrue(KvCluster.isWhole(c.call("CLUSTER", "INFO"), nodes), "node " + port);
            }
        }
        runBothTests(cluster.getFirst().port());
        everyNodeHoldsKeys(ports);
        servers.close();
        for (ServerProcess node : cluster) {
            assertFalse(node.alive(), node.name());
        }
    }

    @Test
    void redisBenchmarkClusterRunsAgainstAShardlineCluster() throws Exception {
        shardline = KvServer.start(KvConfig.inMemory(2), ClusterConfig.single("127.0.0.1", 0, 2));
        List<Integer> ports = new ArrayList<>(List.of(shardline.port(0), shardline.port(1)));
        KvCluster.awaitOk(ports);
        runBothTests(ports.getFirst());
        everyNodeHoldsKeys(ports);
    }

    /** redis-benchmark --cluster sent each SET to its slot's owner: every node holds some of the random keys. */
    private static void everyNodeHoldsKeys(List<Integer> ports) throws Exception {
        for (int port : ports) {
            try (RespClient c = RespClient.connect(port)) {
                assertTrue(Long.parseLong(c.call("DBSIZE")) > 0, "keys on node " + port);
            }
        }
    }

    /** SET then GET, -P 16 and -P 1, as the suite's cluster rows run them, with few requests. */
    private static void runBothTests(int port) throws Exception {
        for (KvWorkload w : KvWorkload.cluster()) {
            RedisBenchmark.Result r = RedisBenchmark.run("cluster", port, w.clusterArgs(), w.test(), REQUESTS, 60);
            assertTrue(r.ok(), w.key() + ": " + r.error());
            assertTrue(r.rps() > 0, w.key() + ": " + r);
        }
    }
}
