package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Cluster mode in one process of three shards: each shard a master node on its own port, owning one
 * range of slots. Checked with raw replies (MOVED, CROSSSLOT, the CLUSTER subcommands' formats) and with
 * JedisCluster, which learns the slots from CLUSTER SLOTS and must then reach every key's owner.
 */
@Timeout(120)
class KvClusterTest {
    static final int SHARDS = 3;
    static KvServer server;

    @BeforeAll
    static void start() throws Exception {
        server = KvServer.start(KvConfig.inMemory(SHARDS), ClusterConfig.single("127.0.0.1", 0, SHARDS));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Jedis node(int shard) {
        return new Jedis("127.0.0.1", server.port(shard), JedisSupport.config());
    }

    /** One raw request's reply, its last CRLF cut. */
    static String call(RawClient c, String... args) throws java.io.IOException {
        c.out.write(RawResp.encode(args));
        c.out.flush();
        String reply = c.read();
        return reply.substring(0, reply.length() - 2);
    }

    static int slot(String key) {
        return HashSlot.of(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The shard whose node owns {@code key}: shard i owns slots [i * 16384 / n, (i + 1) * 16384 / n). */
    static int owner(String key) {
        return SlotTable.evenOwner(slot(key), SHARDS);
    }

    @Test
    void eachShardIsANodeOnItsOwnPortAndKnowsTheOthers() {
        Set<String> ids = new HashSet<>();
        for (int s = 0; s < SHARDS; s++) {
            try (Jedis j = node(s)) {
                String id = j.clusterMyId();
                assertTrue(id.matches("[0-9a-f]{40}"), id);
                assertTrue(j.clusterMyShardId().matches("[0-9a-f]{40}"));
                ids.add(id);
                String[] lines = j.clusterNodes().split("\n");
                assertEquals(SHARDS, lines.length);
                int port = server.port(s);
                String mine = null;
                for (String line : lines) {
                    String[] f = line.split(" ");
                    assertEquals("-", f[3]);
                    assertEquals("connected", f[7]);
                    int p = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                    assertEquals(p + 10000, Integer.parseInt(f[1].substring(f[1].indexOf('@') + 1)), "bus port");
                    if (f[2].equals("myself,master")) {
                        mine = line;
                        assertEquals(port, p);
                        assertEquals(id, f[0]);
                    } else {
                        assertEquals("master", f[2]);
                    }
                }
                assertTrue(mine != null, "a node marks itself");
                String info = j.clusterInfo();
                assertTrue(info.startsWith("cluster_state:ok\r\ncluster_slots_assigned:16384\r\n"), info);
                assertTrue(info.contains("cluster_known_nodes:3\r\ncluster_size:3\r\n"), info);
                assertTrue(info.contains("cluster_my_epoch:" + (s + 1) + "\r\n"), info);
                assertTrue(j.info("cluster").contains("cluster_enabled:1"));
            }
        }
        assertEquals(SHARDS, ids.size());
    }

    @Test
    void clusterSlotsAndShardsCoverEverySlotOnceInOrder() {
        try (Jedis j = node(1)) {
            List<Object> slots = j.clusterSlots();
            assertEquals(SHARDS, slots.size());
            int next = 0;
            for (int i = 0; i < SHARDS; i++) {
                List<?> range = (List<?>) slots.get(i);
                assertEquals((long) next, range.get(0));
                long end = (Long) range.get(1);
                assertEquals((long) ((i + 1) * 16384 / SHARDS - 1), end);
                List<?> master = (List<?>) range.get(2);
                assertEquals("127.0.0.1", new String((byte[]) master.get(0), StandardCharsets.UTF_8));
                assertEquals((long) server.port(i), master.get(1));
                assertEquals(4, master.size());
                next = (int) end + 1;
            }
            assertEquals(16384, next);
            List<Map<String, Object>> shards = j.clusterShards().stream().map(s -> Map.<String, Object>of(
                    "slots", s.getSlots(), "port", s.getNodes().get(0).getPort(), "role", s.getNodes().get(0).getRole(),
                    "health", s.getNodes().get(0).getHealth())).toList();
            assertEquals(SHARDS, shards.size());
            for (int i = 0; i < SHARDS; i++) {
                assertEquals(List.of(List.of((long) (i * 16384 / SHARDS), (long) ((i + 1) * 16384 / SHARDS - 1))),
                        shards.get(i).get("slots"));
                assertEquals((long) server.port(i), shards.get(i).get("port"));
                assertEquals("master", shards.get(i).get("role"));
                assertEquals("online", shards.get(i).get("health"));
            }
        }
    }

    @Test
    void aKeyOfAnotherNodeIsMovedThereAndMultiKeyCommandsNeedOneSlot() throws Exception {
        String key = "moved-key";
        int owner = owner(key);
        int other = (owner + 1) % SHARDS;
        try (Jedis j = node(other); Jedis right = node(owner)) {
            RawClient raw = new RawClient(server.port(other));
            RawClient rightRaw = new RawClient(server.port(owner));
            assertEquals("-MOVED " + slot(key) + " 127.0.0.1:" + server.port(owner), call(raw, "SET", key, "v"));
            assertEquals("+OK", call(rightRaw, "SET", key, "v"));
            assertEquals("-MOVED " + slot(key) + " 127.0.0.1:" + server.port(owner), call(raw, "GET", key));
            assertEquals("v", right.get(key));
            assertEquals("-CROSSSLOT Keys in request don't hash to the same slot", call(rightRaw, "MSET", "a", "1", "b", "2"));
            String tagged = "{user1}";
            try (Jedis t = node(owner(tagged))) {
                assertEquals("OK", t.mset(tagged + ".a", "1", tagged + ".b", "2"));
                assertEquals(List.of("1", "2"), t.mget(tagged + ".a", tagged + ".b"));
                assertEquals(2L, t.del(tagged + ".a", tagged + ".b"));
            }
            // Keyless commands run on any node; commands with their keys past a numkeys count are routed too.
            assertEquals("+PONG", call(raw, "PING"));
            String z = "zkey";
            int zo = owner(z);
            try (Jedis wrong = node((zo + 1) % SHARDS)) {
                assertEquals("-MOVED " + slot(z) + " 127.0.0.1:" + server.port(zo),
                        call(new RawClient(server.port((zo + 1) % SHARDS)), "ZUNIONSTORE", z, "1", z));
                assertEquals("-MOVED " + slot(z) + " 127.0.0.1:" + server.port(zo),
                        call(new RawClient(server.port((zo + 1) % SHARDS)), "BLPOP", z, "0"));
            }
            assertEquals("-CROSSSLOT Keys in request don't hash to the same slot",
                    call(raw, "XREAD", "STREAMS", "{a}1", "{b}2", "0", "0"));
        }
    }

    @Test
    void databaseCommandsAreRefusedAsInRedisCluster() throws Exception {
        String key = "dbkey";
        try (Jedis j = node(owner(key))) {
            RawClient raw = new RawClient(server.port(owner(key)));
            assertEquals("-ERR SELECT is not allowed in cluster mode", call(raw, "SELECT", "1"));
            assertEquals("+OK", call(raw, "SELECT", "0"));
            assertEquals("-ERR value is not an integer or out of range", call(raw, "SELECT", "x"));
            call(raw, "SET", key, "1");
            assertEquals("-ERR MOVE is not allowed in cluster mode", call(raw, "MOVE", key, "1"));
            assertEquals("-ERR SWAPDB is not allowed in cluster mode", call(raw, "SWAPDB", "0", "1"));
            assertEquals("+OK", call(raw, "READONLY"));
            assertEquals("+OK", call(raw, "READWRITE"));
            assertEquals("+OK", call(raw, "ASKING"));
            assertEquals("-ERR wrong number of arguments for 'asking' command", call(raw, "ASKING", "x"));
        }
    }

    @Test
    void clusterSubcommandErrorsAreRedis() throws Exception {
        try (Jedis j = node(0)) {
            RawClient raw = new RawClient(server.port(0));
            assertEquals("-ERR unknown subcommand 'foo'. Try CLUSTER HELP.", call(raw, "CLUSTER", "foo"));
            assertEquals("-ERR wrong number of arguments for 'cluster|slots' command", call(raw, "CLUSTER", "SLOTS", "x"));
            assertEquals("-ERR wrong number of arguments for 'cluster|getkeysinslot' command",
                    call(raw, "CLUSTER", "GETKEYSINSLOT", "1"));
            assertEquals("-ERR Invalid slot", call(raw, "CLUSTER", "COUNTKEYSINSLOT", "16384"));
            assertEquals("-ERR Invalid slot", call(raw, "CLUSTER", "COUNTKEYSINSLOT", "-1"));
            assertEquals("-ERR value is not an integer or out of range", call(raw, "CLUSTER", "COUNTKEYSINSLOT", "abc"));
            assertEquals("-ERR Invalid slot or number of keys", call(raw, "CLUSTER", "GETKEYSINSLOT", "5", "-1"));
            assertEquals("-ERR wrong number of arguments for 'cluster' command", call(raw, "CLUSTER"));
            assertEquals(":12182", call(raw, "CLUSTER", "KEYSLOT", "foo"));
        }
    }

    @Test
    void keysInASlotAreCountedAndListedOnTheirNode() {
        String tag = "{slotted}";
        int s = slot(tag);
        try (Jedis j = node(owner(tag))) {
            for (int i = 0; i < 25; i++) {
                j.set(tag + i, "v");
            }
            assertEquals(25L, j.clusterCountKeysInSlot(s));
            List<String> some = j.clusterGetKeysInSlot(s, 10);
            assertEquals(10, some.size());
            for (String k : some) {
                assertTrue(k.startsWith(tag), k);
            }
            assertEquals(25, j.clusterGetKeysInSlot(s, 100).size());
        }
        try (Jedis other = node((owner(tag) + 1) % SHARDS)) {
            assertEquals(0L, other.clusterCountKeysInSlot(s), "another node holds none of the slot's keys");
        }
    }

    @Test
    void dbsizeKeysAndScanAnswerForTheirNodeOnly() {
        Map<Integer, Set<String>> byNode = new HashMap<>();
        try (JedisCluster cluster = cluster()) {
            for (int i = 0; i < 300; i++) {
                String k = "scan-" + i;
                cluster.set(k, "x");
                byNode.computeIfAbsent(owner(k), n -> new HashSet<>()).add(k);
            }
        }
        for (int s = 0; s < SHARDS; s++) {
            try (Jedis j = node(s)) {
                Set<String> seen = new HashSet<>();
                String cursor = "0";
                do {
                    ScanResult<String> r = j.scan(cursor, new ScanParams().match("scan-*").count(50));
                    seen.addAll(r.getResult());
                    cursor = r.getCursor();
                } while (!cursor.equals("0"));
                assertEquals(byNode.get(s), seen, "node " + s + " scans its own keys");
                assertEquals(byNode.get(s), j.keys("scan-*"));
                assertTrue(j.dbSize() >= byNode.get(s).size());
            }
        }
    }

    static JedisCluster cluster() {
        return new JedisCluster(Set.of(new HostAndPort("127.0.0.1", server.port(0))), JedisSupport.config());
    }

    @Test
    void jedisClusterReachesEveryKeyOfEveryType() {
        try (JedisCluster c = cluster()) {
            for (int i = 0; i < 200; i++) {
                c.set("s" + i, "v" + i);
                c.rpush("l" + i, "a", "b", String.valueOf(i));
                c.hset("h" + i, Map.of("f", "v" + i));
                c.sadd("set" + i, "m" + i, "n");
                c.zadd("z" + i, i, "m");
                c.xadd("x" + i, redis.clients.jedis.StreamEntryID.NEW_ENTRY, Map.of("f", String.valueOf(i)));
            }
            for (int i = 0; i < 200; i++) {
                assertEquals("v" + i, c.get("s" + i));
                assertEquals(List.of("a", "b", String.valueOf(i)), c.lrange("l" + i, 0, -1));
                assertEquals("v" + i, c.hget("h" + i, "f"));
                assertEquals(Set.of("m" + i, "n"), c.smembers("set" + i));
                assertEquals((double) i, c.zscore("z" + i, "m"));
                List<StreamEntry> entries = c.xrange("x" + i, "-", "+");
                assertEquals(Map.of("f", String.valueOf(i)), entries.get(0).getFields());
            }
            assertEquals("OK", c.mset("{t}a", "1", "{t}b", "2"));
            assertEquals(List.of("1", "2"), c.mget("{t}a", "{t}b"));
            assertThrows(JedisDataException.class, () -> c.sendCommand(redis.clients.jedis.Protocol.Command.MSET,
                    "a", "1", "b", "2")); // Jedis routes by the first key; the node refuses the other slot
            try (ClusterPipeline p = c.pipelined()) {
                List<Response<String>> gets = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    p.set("p" + i, "pv" + i);
                    gets.add(p.get("p" + i));
                }
                p.sync();
                for (int i = 0; i < 500; i++) {
                    assertEquals("pv" + i, gets.get(i).get());
                }
            }
            assertNull(c.get("never-set"));
        }
    }

    @Test
    void withoutClusterModeTheClusterCommandsSayItIsDisabled() throws Exception {
        try (KvServer plain = KvServer.start(KvConfig.inMemory(2));
             Jedis j = new Jedis("127.0.0.1", plain.port(), JedisSupport.config())) {
            RawClient raw = new RawClient(plain.port());
            assertEquals("-ERR This instance has cluster support disabled", call(raw, "CLUSTER", "NODES"));
            assertEquals("-ERR This instance has cluster support disabled", call(raw, "READONLY"));
            assertEquals("-ERR This instance has cluster support disabled", call(raw, "ASKING"));
            assertEquals("+OK", call(raw, "MSET", "a", "1", "b", "2"), "no CROSSSLOT outside cluster mode");
            assertEquals("+OK", call(raw, "SELECT", "1"));
            assertTrue(j.info("cluster").contains("cluster_enabled:0"));
            assertNotEquals(-1, j.info("server").indexOf("redis_mode:standalone"));
        }
    }
}
