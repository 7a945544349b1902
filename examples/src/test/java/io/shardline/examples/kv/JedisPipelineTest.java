package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.connectionShard;
import static io.shardline.examples.kv.JedisSupport.keyOn;
import static io.shardline.examples.kv.JedisSupport.shardOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Pipelines through Jedis against 4 shards: however the shards interleave, every reply comes back in
 * request order with the value a sequential run gives (checked against a model of the key space).
 */
@Timeout(60)
class JedisPipelineTest {
    static final int SHARDS = 4;
    static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    /** Expected in place of a reply: Redis' WRONGTYPE error. */
    static final Object WRONGTYPE_ERROR = new Object();

    static KvServer server;
    Jedis jedis;

    @BeforeAll
    static void start() throws Exception {
        server = KvServer.start(KvConfig.inMemory(SHARDS));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void open() {
        jedis = connect(server);
        jedis.flushAll();
    }

    @AfterEach
    void closeClient() {
        jedis.close();
    }

    /** A pipelined request and the reply a sequential Redis gives it. */
    record Expect(String request, Response<?> response, Object expected) {
    }

    /** What the key space holds, to predict each reply. Keys of each type have their own prefix. */
    static final class Model {
        final Map<String, String> strings = new HashMap<>();
        final Map<String, ArrayDeque<String>> lists = new HashMap<>();
        final Map<String, Set<String>> sets = new HashMap<>();
        final Map<String, Map<String, String>> hashes = new HashMap<>();
        final Map<String, Map<String, Double>> zsets = new HashMap<>();

        long size() {
            return strings.size() + lists.size() + sets.size() + hashes.size() + zsets.size();
        }
    }

    /** The reply; raw replies of sendCommand (simple and bulk strings) as text. */
    static Object actual(Expect e) {
        Object v = e.response().get();
        return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v;
    }

    @Test
    void tenThousandMixedCommandsOverAllShardsReplyInOrder() {
        Random rnd = new Random(42);
        Model m = new Model();
        Pipeline p = jedis.pipelined();
        List<Expect> expects = new ArrayList<>();
        BitSet shardsHit = new BitSet();
        int multiShard = 0;
        for (int i = 0; i < 10_000; i++) {
            String k = "p:k" + rnd.nextInt(300);
            String c = "p:c" + rnd.nextInt(32);
            String l = "p:l" + rnd.nextInt(24);
            String s = "p:s" + rnd.nextInt(24);
            String h = "p:h" + rnd.nextInt(24);
            String z = "p:z" + rnd.nextInt(24);
            for (String key : List.of(k, c, l, s, h, z)) {
                shardsHit.set(shardOf(key, SHARDS));
            }
            String v = "v" + i;
            int op = rnd.nextInt(24);
            switch (op) {
                case 0, 1 -> {
                    m.strings.put(k, v);
                    expects.add(new Expect("SET " + k, p.set(k, v), "OK"));
                }
                case 2, 3 -> expects.add(new Expect("GET " + k, p.get(k), m.strings.get(k)));
                case 4 -> {
                    long next = Long.parseLong(m.strings.getOrDefault(c, "0")) + 1;
                    m.strings.put(c, Long.toString(next));
                    expects.add(new Expect("INCR " + c, p.incr(c), next));
                }
                case 5 -> {
                    long by = rnd.nextInt(100) - 50;
                    long next = Long.parseLong(m.strings.getOrDefault(c, "0")) + by;
                    m.strings.put(c, Long.toString(next));
                    expects.add(new Expect("INCRBY " + c, p.incrBy(c, by), next));
                }
                case 6 -> {
                    ArrayDeque<String> list = m.lists.computeIfAbsent(l, x -> new ArrayDeque<>());
                    list.addLast(v);
                    expects.add(new Expect("RPUSH " + l, p.rpush(l, v), (long) list.size()));
                }
                case 7 -> {
                    ArrayDeque<String> list = m.lists.get(l);
                    String head = list == null ? null : list.pollFirst();
                    if (list != null && list.isEmpty()) {
                        m.lists.remove(l);
                    }
                    expects.add(new Expect("LPOP " + l, p.lpop(l), head));
                }
                case 8 -> {
                    ArrayDeque<String> list = m.lists.get(l);
                    expects.add(new Expect("LRANGE " + l, p.lrange(l, 0, -1), list == null ? List.of() : List.copyOf(list)));
                }
                case 9 -> {
                    String member = "m" + rnd.nextInt(20);
                    boolean added = m.sets.computeIfAbsent(s, x -> new HashSet<>()).add(member);
                    expects.add(new Expect("SADD " + s, p.sadd(s, member), added ? 1L : 0L));
                }
                case 10 -> {
                    String member = "m" + rnd.nextInt(20);
                    Set<String> set = m.sets.get(s);
                    expects.add(new Expect("SISMEMBER " + s, p.sismember(s, member), set != null && set.contains(member)));
                }
                case 11 -> {
                    String f = "f" + rnd.nextInt(10);
                    boolean added = m.hashes.computeIfAbsent(h, x -> new HashMap<>()).put(f, v) == null;
                    expects.add(new Expect("HSET " + h, p.hset(h, f, v), added ? 1L : 0L));
                }
                case 12 -> {
                    String f = "f" + rnd.nextInt(10);
                    Map<String, String> hash = m.hashes.get(h);
                    expects.add(new Expect("HGET " + h, p.hget(h, f), hash == null ? null : hash.get(f)));
                }
                case 13 -> {
                    String member = "m" + rnd.nextInt(10);
                    double score = rnd.nextInt(1000) / 4.0;
                    boolean added = m.zsets.computeIfAbsent(z, x -> new HashMap<>()).put(member, score) == null;
                    expects.add(new Expect("ZADD " + z, p.zadd(z, score, member), added ? 1L : 0L));
                }
                case 14 -> {
                    String member = "m" + rnd.nextInt(10);
                    Map<String, Double> zset = m.zsets.get(z);
                    expects.add(new Expect("ZSCORE " + z, p.zscore(z, member), zset == null ? null : zset.get(member)));
                }
                case 15 -> {
                    String[] keys = {k, "p:k" + rnd.nextInt(300), "p:k" + rnd.nextInt(300), l};
                    List<String> values = new ArrayList<>();
                    for (String key : keys) {
                        values.add(m.strings.get(key)); // a list key is nil to MGET
                    }
                    multiShard++;
                    expects.add(new Expect("MGET " + Arrays.toString(keys), p.mget(keys), values));
                }
                case 16 -> {
                    String k2 = "p:k" + rnd.nextInt(300);
                    m.strings.put(k, v + "a");
                    m.strings.put(k2, v + "b");
                    multiShard++;
                    expects.add(new Expect("MSET " + k + " " + k2, p.mset(k, v + "a", k2, v + "b"), "OK"));
                }
                case 17 -> {
                    String k2 = "p:k" + rnd.nextInt(300);
                    long n = (m.strings.remove(k) != null ? 1 : 0) + (m.strings.remove(k2) != null ? 1 : 0);
                    multiShard++;
                    expects.add(new Expect("DEL " + k + " " + k2, p.del(k, k2), n));
                }
                case 18 -> {
                    String[] keys = {k, c, l, s, h, z};
                    long n = 0;
                    for (String key : keys) {
                        n += m.strings.containsKey(key) || m.lists.containsKey(key) || m.sets.containsKey(key)
                                || m.hashes.containsKey(key) || m.zsets.containsKey(key) ? 1 : 0;
                    }
                    multiShard++;
                    expects.add(new Expect("EXISTS " + Arrays.toString(keys), p.exists(keys), n));
                }
                case 19 -> expects.add(new Expect("ECHO", p.sendCommand(Protocol.Command.ECHO, v), v));
                case 20 -> expects.add(new Expect("PING", p.sendCommand(Protocol.Command.PING, new String[0]), "PONG"));
                case 21 -> {
                    String key = List.of(k, c, l, s, h, z).get(rnd.nextInt(6));
                    String type = m.strings.containsKey(key) ? "string" : m.lists.containsKey(key) ? "list"
                            : m.sets.containsKey(key) ? "set" : m.hashes.containsKey(key) ? "hash"
                            : m.zsets.containsKey(key) ? "zset" : "none";
                    expects.add(new Expect("TYPE " + key, p.type(key), type));
                }
                case 22 -> {
                    // A wrong-type error in the middle of the pipeline takes its own place only.
                    Object expected = m.lists.containsKey(l) ? WRONGTYPE_ERROR : null;
                    expects.add(new Expect("GET " + l, p.get(l), expected));
                }
                case 23 -> {
                    Set<String> set = m.sets.get(s);
                    expects.add(new Expect("SCARD " + s, p.scard(s), set == null ? 0L : (long) set.size()));
                }
                default -> fail("op " + op);
            }
        }
        p.sync();
        assertEquals(10_000, expects.size());
        assertEquals(SHARDS, shardsHit.cardinality(), "the keys hit every shard");
        assertNotEquals(0, multiShard);
        int errors = 0;
        for (int i = 0; i < expects.size(); i++) {
            Expect e = expects.get(i);
            if (e.expected() == WRONGTYPE_ERROR) {
                JedisDataException ex = assertThrows(JedisDataException.class, e.response()::get, "#" + i + " " + e.request());
                assertEquals(WRONGTYPE, ex.getMessage());
                errors++;
            } else {
                assertEquals(e.expected(), actual(e), "reply #" + i + " to " + e.request());
            }
        }
        assertNotEquals(0, errors, "the pipeline had wrong-type errors in the middle");

        // What the pipeline left, read back without one.
        assertEquals(m.size(), jedis.dbSize());
        for (var e : m.strings.entrySet()) {
            assertEquals(e.getValue(), jedis.get(e.getKey()), e.getKey());
        }
        for (var e : m.lists.entrySet()) {
            assertEquals(List.copyOf(e.getValue()), jedis.lrange(e.getKey(), 0, -1), e.getKey());
        }
        for (var e : m.sets.entrySet()) {
            assertEquals(e.getValue(), jedis.smembers(e.getKey()), e.getKey());
        }
        for (var e : m.hashes.entrySet()) {
            assertEquals(e.getValue(), jedis.hgetAll(e.getKey()), e.getKey());
        }
        for (var e : m.zsets.entrySet()) {
            assertEquals(e.getValue().size(), jedis.zcard(e.getKey()), e.getKey());
        }
    }

    /**
     * Requests for the connection's own shard are answered at once, others after a hop to another
     * shard, multi-key ones after several: interleaved in one pipeline, the replies still come back in
     * request order, and each sees the writes before it.
     */
    @Test
    void localRemoteAndMultiKeyCommandsInOnePipeline() {
        int home = connectionShard(jedis);
        String local = keyOn("local:", home, SHARDS);
        String localCounter = keyOn("local-counter:", home, SHARDS);
        List<String> remote = new ArrayList<>();
        for (int s = 0; s < SHARDS; s++) {
            if (s != home) {
                remote.add(keyOn("remote:", s, SHARDS));
            }
        }
        String remoteCounter = keyOn("remote-counter:", (home + 1) % SHARDS, SHARDS);
        Pipeline p = jedis.pipelined();
        List<Expect> expects = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        int rounds = 1000;
        for (int i = 0; i < rounds; i++) {
            String r = remote.get(i % remote.size());
            String r2 = remote.get((i + 1) % remote.size());
            expects.add(new Expect("SET remote", p.set(r, "r" + i), "OK"));
            expects.add(new Expect("PING", p.sendCommand(Protocol.Command.PING, new String[0]), "PONG"));
            expects.add(new Expect("GET remote", p.get(r), "r" + i));
            values.put(r, "r" + i);
            expects.add(new Expect("SET local", p.set(local, "l" + i), "OK"));
            expects.add(new Expect("MGET", p.mget(r, local, "missing:" + i, r2),
                    Arrays.asList("r" + i, "l" + i, null, values.get(r2))));
            expects.add(new Expect("INCR remote", p.incr(remoteCounter), i + 1L));
            expects.add(new Expect("INCR local", p.incr(localCounter), i + 1L));
            expects.add(new Expect("MSET", p.mset(local, "m" + i, r2, "m" + i), "OK"));
            values.put(r2, "m" + i);
            expects.add(new Expect("GET local", p.get(local), "m" + i));
            expects.add(new Expect("GET remote after MSET", p.get(r2), "m" + i));
            expects.add(new Expect("EXISTS", p.exists(local, r, r2, "missing:" + i), 3L));
            expects.add(new Expect("ECHO", p.sendCommand(Protocol.Command.ECHO, "e" + i), "e" + i));
            if (i % 100 == 99) {
                expects.add(new Expect("DEL all", p.del(remote.toArray(new String[0])), (long) values.size()));
                values.clear();
                expects.add(new Expect("DBSIZE", p.dbSize(), 3L)); // local, both counters
            }
        }
        p.sync();
        for (int i = 0; i < expects.size(); i++) {
            Expect e = expects.get(i);
            assertEquals(e.expected(), actual(e), "reply #" + i + " to " + e.request());
        }
        assertEquals(Long.toString(rounds), jedis.get(localCounter));
        assertEquals(Long.toString(rounds), jedis.get(remoteCounter));
    }

    /**
     * DBSIZE and KEYS run on every shard; in a pipeline they must count exactly the writes before them,
     * as Redis runs a pipeline one request after another. The writes here go to the connection's own
     * shard, and to another shard.
     */
    @Test
    void dbsizeAndKeysInAPipelineSeeOnlyTheWritesBeforeThem() {
        int home = connectionShard(jedis);
        List<String> local = new ArrayList<>();
        for (int i = 0; local.size() < 3; i++) {
            String k = "ord:" + i;
            if (shardOf(k, SHARDS) == home) {
                local.add(k);
            }
        }
        String remote = keyOn("ord-remote:", (home + 1) % SHARDS, SHARDS);
        Pipeline p = jedis.pipelined();
        Response<Long> before = p.dbSize();
        p.set(local.get(0), "v");
        Response<Long> afterOne = p.dbSize();
        p.set(remote, "v");
        Response<Set<String>> keys = p.keys("ord*");
        p.set(local.get(1), "v");
        p.set(local.get(2), "v");
        Response<Long> afterAll = p.dbSize();
        p.sync();
        assertEquals(0L, before.get(), "DBSIZE before any write of the pipeline");
        assertEquals(1L, afterOne.get(), "DBSIZE after one write of the pipeline");
        assertEquals(Set.of(local.get(0), remote), keys.get(), "KEYS after two writes of the pipeline");
        assertEquals(4L, afterAll.get());
    }

    /** FLUSHALL in a pipeline removes what was written before it, and nothing written after it. */
    @Test
    void flushallInAPipelineKeepsTheWritesAfterIt() {
        int home = connectionShard(jedis);
        String local = keyOn("fl-local:", home, SHARDS);
        String remote = keyOn("fl-remote:", (home + 1) % SHARDS, SHARDS);
        jedis.set(local, "old");
        jedis.set(remote, "old");
        Pipeline p = jedis.pipelined();
        Response<Object> flushed = p.sendCommand(Protocol.Command.FLUSHALL, new String[0]);
        Response<String> setLocal = p.set(local, "new");
        Response<String> setRemote = p.set(remote, "new");
        p.sync();
        assertEquals("OK", new String((byte[]) flushed.get(), StandardCharsets.UTF_8));
        assertEquals("OK", setLocal.get());
        assertEquals("OK", setRemote.get());
        assertEquals("new", jedis.get(remote), "a write after FLUSHALL on another shard survives");
        assertEquals("new", jedis.get(local), "a write after FLUSHALL on the connection's own shard survives");
        assertEquals(2, jedis.dbSize());
    }

    /** Big replies pile up faster than the client reads them: the server pauses and resumes, losing nothing. */
    @Test
    void largeRepliesInALongPipeline() {
        List<String> lists = JedisSupport.keys("big:l", 16, SHARDS);
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            elements.add("element-" + i + "-" + "x".repeat(20));
        }
        for (String l : lists) {
            jedis.rpush(l, elements.toArray(new String[0]));
        }
        Pipeline p = jedis.pipelined();
        List<Response<List<String>>> replies = new ArrayList<>();
        List<Response<Long>> lengths = new ArrayList<>();
        for (int i = 0; i < 5000; i++) { // about 17 MB of replies
            replies.add(p.lrange(lists.get(i % lists.size()), 0, -1));
            lengths.add(p.llen(lists.get((i + 3) % lists.size())));
        }
        p.sync();
        for (int i = 0; i < replies.size(); i++) {
            assertEquals(elements, replies.get(i).get(), "LRANGE #" + i);
            assertEquals(100L, lengths.get(i).get(), "LLEN #" + i);
        }
        assertEquals("PONG", jedis.ping());
    }
}
