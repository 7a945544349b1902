package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.assertRedisError;
import static io.shardline.examples.kv.JedisSupport.command;
import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.infoField;
import static io.shardline.examples.kv.JedisSupport.sumShardField;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.args.FlushMode;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.CommandInfo;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * Every command the KV server implements, through the real Jedis client, on 4 shards: the values
 * Jedis returns and the error texts it surfaces are Redis 7's.
 */
@Timeout(60)
class JedisCommandsTest {
    static final int SHARDS = 4;
    static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    static final String NOT_FLOAT = "ERR value is not a valid float";
    static final String SYNTAX = "ERR syntax error";

    /** The server's wall clock: expiry tests move it instead of waiting. */
    static final java.util.concurrent.atomic.AtomicLong NOW = new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());
    static KvServer server;
    Jedis jedis;

    @BeforeAll
    static void start() throws Exception {
        server = KvServer.start(KvConfig.inMemory(SHARDS).withClock(NOW::get));
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
        assertEquals("OK", jedis.flushAll());
    }

    @AfterEach
    void closeClient() {
        jedis.close();
    }

    static String arity(String name) {
        return "ERR wrong number of arguments for '" + name + "' command";
    }

    // ---------------------------------------------------------------- connection and server

    @Test
    void pingEchoSelect() {
        assertEquals("PONG", jedis.ping());
        assertEquals("hello there", jedis.ping("hello there"));
        assertEquals("a\r\nb", jedis.echo("a\r\nb"));
        assertArrayEquals(new byte[] {0, 1, (byte) 0xFF}, jedis.echo(new byte[] {0, 1, (byte) 0xFF}));
        assertEquals("OK", jedis.select(0));
        assertEquals("OK", jedis.select(15));
        assertEquals("OK", jedis.select(0));
        assertRedisError("ERR DB index is out of range", () -> jedis.select(16));
        assertRedisError(NOT_INTEGER, () -> jedis.sendCommand(Protocol.Command.SELECT, "abc"));
        assertRedisError(arity("ping"), () -> jedis.sendCommand(Protocol.Command.PING, "a", "b"));
        assertRedisError(arity("echo"), () -> jedis.sendCommand(Protocol.Command.ECHO));
        assertEquals("PONG", jedis.ping(), "errors leave the connection usable");
    }

    @Test
    void quitRepliesOkThenClosesTheConnection() {
        jedis.set("before-quit", "v");
        Object reply = jedis.sendCommand(command("QUIT"));
        assertEquals("OK", new String((byte[]) reply, StandardCharsets.UTF_8));
        assertThrows(JedisConnectionException.class, () -> jedis.get("before-quit"));
        try (Jedis other = connect(server)) {
            assertEquals("v", other.get("before-quit"));
        }
    }

    @Test
    void authWithoutAConfiguredPassword() {
        assertRedisError("ERR AUTH <password> called without any password configured for the default user. "
                + "Are you sure your configuration is correct?", () -> jedis.auth("secret"));
        // Redis' default user is "nopass": AUTH default <anything> succeeds.
        assertEquals("OK", jedis.auth("default", "anything"));
        assertRedisError("WRONGPASS invalid username-password pair or user is disabled.",
                () -> jedis.auth("alice", "anything"));
        assertEquals("PONG", jedis.ping());
    }

    @Test
    void helloSwitchesToResp3AndRepliesFollowIt() throws Exception {
        try (Jedis resp3 = connect(server, DefaultJedisClientConfig.builder().timeoutMillis(JedisSupport.TIMEOUT_MILLIS)
                .autoNegotiateProtocol(false).protocol(RedisProtocol.RESP3).build())) {
            assertEquals(RedisProtocol.RESP3, resp3.getConnection().getRedisProtocol());
            assertEquals("OK", resp3.set("r3:s", "v"));
            assertEquals("v", resp3.get("r3:s"));
            assertEquals(2.5, resp3.incrByFloat("r3:f", 2.5));
            resp3.hset("r3:h", Map.of("a", "1", "b", "2"));
            assertEquals(Map.of("a", "1", "b", "2"), resp3.hgetAll("r3:h"));
            resp3.zadd("r3:z", Map.of("x", 1.5, "y", 0.5));
            assertEquals(List.of(new Tuple("y", 0.5), new Tuple("x", 1.5)), resp3.zrangeWithScores("r3:z", 0, -1));
            assertEquals(1.5, resp3.zscore("r3:z", "x"));
            assertEquals(2, resp3.sadd("r3:set", "a", "b"));
            assertEquals(Set.of("a", "b"), resp3.smembers("r3:set"));
            assertEquals(Arrays.asList(null, "v"), resp3.mget("r3:h", "r3:s"), "MGET across shards in RESP3");
            assertTrue(resp3.info("keyspace").contains("db0:keys=5"), "INFO in RESP3 (a verbatim string)");
            assertEquals(5, resp3.dbSize());
        }
        // The exact HELLO replies, on a raw connection.
        try (JedisSupport.RawClient raw = new JedisSupport.RawClient(server)) {
            long id = Long.parseLong(raw.command("CLIENT", "ID").reply().substring(1).trim());
            String hello3 = "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.2.4\r\n$5\r\nproto\r\n:3\r\n"
                    + "$2\r\nid\r\n:" + id + "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
                    + "$7\r\nmodules\r\n*0\r\n";
            assertEquals(hello3, raw.command("HELLO", "3").reply());
            assertEquals("%0\r\n", raw.command("HGETALL", "nosuch").reply(), "an empty map in RESP3");
            assertEquals("_\r\n", raw.command("GET", "nosuch").reply(), "RESP3 null");
            assertEquals("-NOPROTO unsupported protocol version\r\n", raw.command("HELLO", "4").reply());
            assertEquals("-ERR Protocol version is not an integer or out of range\r\n", raw.command("HELLO", "x").reply());
            String hello2 = raw.command("HELLO", "2", "SETNAME", "raw-client").reply();
            assertTrue(hello2.startsWith("*14\r\n$6\r\nserver\r\n"), hello2);
            assertTrue(hello2.contains("$5\r\nproto\r\n:2\r\n"), hello2);
            assertEquals("$-1\r\n", raw.command("GET", "nosuch").reply(), "back to RESP2 null");
            assertEquals("$10\r\nraw-client\r\n", raw.command("CLIENT", "GETNAME").reply());
        }
    }

    @Test
    void clientSetnameGetnameId() {
        assertNull(jedis.clientGetname());
        assertEquals("OK", jedis.clientSetname("worker-1"));
        assertEquals("worker-1", jedis.clientGetname());
        assertRedisError("ERR Client names cannot contain spaces, newlines or special characters.",
                () -> jedis.clientSetname("has space"));
        assertEquals("worker-1", jedis.clientGetname(), "a rejected name leaves the old one");
        long id = jedis.clientId();
        assertTrue(id > 0);
        assertEquals(id, jedis.clientId(), "an id is stable for a connection");
        try (Jedis other = connect(server)) {
            assertNotEquals(id, other.clientId());
            assertNull(other.clientGetname(), "names are per connection");
        }
        assertTrue(jedis.clientInfo().startsWith("id=" + id + " addr="), jedis.clientInfo());
        assertTrue(jedis.clientInfo().contains(" name=worker-1 "), jedis.clientInfo());
        assertRedisError("ERR unknown subcommand 'nope'. Try CLIENT HELP.",
                () -> jedis.sendCommand(Protocol.Command.CLIENT, "nope"));
    }

    @Test
    void commandCountInfoDocs() {
        long count = jedis.commandCount();
        assertEquals(CommandTable.all().size(), count);
        String[] implemented = {"ping", "echo", "quit", "select", "auth", "hello", "client", "command", "config", "info",
                "dbsize", "flushall", "flushdb", "get", "set", "getset", "setnx", "setex", "psetex", "append", "strlen",
                "incr", "decr", "incrby", "decrby", "incrbyfloat", "mget", "mset", "del", "unlink", "exists", "expire",
                "pexpire", "ttl", "pttl", "persist", "type", "keys", "scan", "lpush", "rpush", "lpop", "rpop", "lrange",
                "llen", "sadd", "srem", "smembers", "spop", "scard", "sismember", "hset", "hget", "hdel", "hgetall",
                "hincrby", "hlen", "zadd", "zrange", "zrem", "zscore", "zpopmin", "zcard"};
        Map<String, CommandInfo> described = jedis.commandInfo(implemented);
        for (String name : implemented) {
            assertNotNull(described.get(name), "COMMAND INFO " + name);
            assertEquals(name, described.get(name).getName());
        }

        Map<String, CommandInfo> info = jedis.commandInfo("get", "mset", "nosuchcommand");
        CommandInfo get = info.get("get");
        assertEquals("get", get.getName());
        assertEquals(2, get.getArity());
        assertEquals(List.of("readonly"), get.getFlags());
        assertEquals(1, get.getFirstKey());
        assertEquals(1, get.getLastKey());
        assertEquals(1, get.getStep());
        CommandInfo mset = info.get("mset");
        assertEquals(-3, mset.getArity());
        assertEquals(List.of("write"), mset.getFlags());
        assertEquals(-1, mset.getLastKey());
        assertEquals(2, mset.getStep());
        assertNull(info.get("nosuchcommand"));

        // No documentation is shipped: an empty reply, which clients accept.
        assertTrue(jedis.commandDocs("get").isEmpty());
        assertRedisError("ERR unknown subcommand 'nope'. Try COMMAND HELP.",
                () -> jedis.sendCommand(Protocol.Command.COMMAND, "nope"));
    }

    @Test
    void configGet() {
        assertEquals(Map.of("databases", "16"), jedis.configGet("databases"));
        assertEquals(Map.of("appendonly", "no"), jedis.configGet("appendonly"));
        assertEquals(Map.of("proto-max-bulk-len", Long.toString(KvConfig.DEFAULT_MAX_BULK)),
                jedis.configGet("proto-max-bulk-len"));
        assertEquals(Map.of("maxmemory", "0", "maxmemory-policy", "noeviction", "maxmemory-samples", "5", "maxmemory-clients", "0",
                "maxmemory-eviction-tenacity", "10"), jedis.configGet("maxmemory*"), "as Redis 7's maxmemory* parameters");
        assertEquals(Map.of("IO-THREADS", Integer.toString(SHARDS)), jedis.configGet("IO-THREADS"), "an exact name comes back as given, as Redis'");
        Map<String, String> all = jedis.configGet("*");
        assertTrue(all.keySet().containsAll(List.of("bind", "port", "save", "appendfsync", "timeout")), all.toString());
        assertTrue(jedis.configGet("nosuchparam").isEmpty());
        assertRedisError(arity("config|get"), () -> jedis.sendCommand(Protocol.Command.CONFIG, "GET"));
    }

    @Test
    void infoSections() {
        List<String> keys = JedisSupport.keys("info:", 40, SHARDS);
        for (String k : keys) {
            jedis.set(k, "v");
        }
        jedis.expire(keys.get(0), 1000);
        jedis.expire(keys.get(1), 1000);
        try (Jedis second = connect(server)) {
            second.ping();
            String info = jedis.info();
            assertTrue(info.startsWith("# Server\r\n"), info);
            assertTrue(info.contains("\r\nredis_version:7.2.4\r\n"), info);
            assertEquals(server.port(), infoField(info, "tcp_port"));
            assertEquals(SHARDS, infoField(info, "shards"));
            assertTrue(info.contains("\r\n# Clients\r\n"), info);
            assertTrue(infoField(info, "connected_clients") >= 2, info);
            assertTrue(info.contains("\r\n# Keyspace\r\ndb0:keys=40,expires=2,avg_ttl=0\r\n"), info);
            assertTrue(info.contains("\r\n# Shards\r\n"), info);
            for (int s = 0; s < SHARDS; s++) {
                assertTrue(info.contains("\r\nshard" + s + ":keys="), "shard " + s + " line in " + info);
            }
            assertEquals(40, sumShardField(info, "keys"), "the shards' keys add up to DBSIZE");
            assertEquals(2, sumShardField(info, "expires"));
        }
        String keyspace = jedis.info("keyspace");
        assertEquals("# Keyspace\r\ndb0:keys=40,expires=2,avg_ttl=0\r\n", keyspace);
        String server = jedis.info("server");
        assertTrue(server.startsWith("# Server\r\n") && !server.contains("# Keyspace") && !server.contains("# Clients"),
                server);
        String shards = jedis.info("shards");
        assertTrue(shards.startsWith("# Shards\r\n") && !shards.contains("# Server"), shards);
        assertEquals(SHARDS, shards.lines().filter(l -> l.startsWith("shard")).count(), shards);
        jedis.flushAll();
        assertEquals("# Keyspace\r\n", jedis.info("keyspace"), "no db0 line when empty");
    }

    @Test
    void dbsizeFlushallFlushdb() {
        List<String> keys = JedisSupport.keys("fl:", 200, SHARDS);
        for (String k : keys) {
            jedis.set(k, k);
        }
        jedis.rpush("fl:list", "a");
        assertEquals(201, jedis.dbSize());
        assertEquals("OK", jedis.flushDB());
        assertEquals(0, jedis.dbSize());
        for (String k : keys) {
            assertNull(jedis.get(k));
        }
        jedis.set("fl:again", "1");
        assertEquals(1, jedis.dbSize());
        assertEquals("OK", jedis.flushAll(FlushMode.ASYNC));
        assertEquals(0, jedis.dbSize());
        jedis.set("fl:again", "2");
        assertEquals("OK", jedis.flushAll(FlushMode.SYNC));
        assertEquals(0, jedis.dbSize());
        assertRedisError(SYNTAX, () -> jedis.sendCommand(Protocol.Command.FLUSHALL, "later"));
        assertRedisError(arity("dbsize"), () -> jedis.sendCommand(Protocol.Command.DBSIZE, "x"));
    }

    // ---------------------------------------------------------------- strings

    @Test
    void setAndItsOptions() {
        assertNull(jedis.get("s"));
        assertEquals("OK", jedis.set("s", "v1"));
        assertEquals("v1", jedis.get("s"));

        assertEquals("OK", jedis.set("s", "v2", SetParams.setParams().ex(100)));
        long ttl = jedis.ttl("s");
        assertTrue(ttl > 0 && ttl <= 100, "EX ttl " + ttl);
        assertEquals("OK", jedis.set("s", "v3", SetParams.setParams().px(5000)));
        long pttl = jedis.pttl("s");
        assertTrue(pttl > 0 && pttl <= 5000, "PX pttl " + pttl);

        assertEquals("OK", jedis.set("s", "v4", SetParams.setParams().keepTtl()));
        assertEquals("v4", jedis.get("s"));
        assertTrue(jedis.pttl("s") > 0, "KEEPTTL keeps the expiry");
        assertEquals("OK", jedis.set("s", "v5"));
        assertEquals(-1, jedis.ttl("s"), "a plain SET clears the expiry");

        assertNull(jedis.set("s", "nx", SetParams.setParams().nx()), "NX on an existing key: nil");
        assertEquals("v5", jedis.get("s"));
        assertEquals("OK", jedis.set("s-new", "nx", SetParams.setParams().nx()));
        assertEquals("nx", jedis.get("s-new"));
        assertNull(jedis.set("s-missing", "xx", SetParams.setParams().xx()), "XX on a missing key: nil");
        assertFalse(jedis.exists("s-missing"));
        assertEquals("OK", jedis.set("s", "xx", SetParams.setParams().xx()));
        assertEquals("xx", jedis.get("s"));

        assertEquals("xx", jedis.setGet("s", "got"), "SET ... GET returns the old value");
        assertEquals("got", jedis.get("s"));
        assertNull(jedis.setGet("s-none", "first"));
        assertEquals("first", jedis.get("s-none"));
        assertEquals("got", jedis.setGet("s", "both", SetParams.setParams().nx()), "NX GET: old value, no write");
        assertEquals("got", jedis.get("s"));

        jedis.rpush("s-list", "a");
        assertRedisError(WRONGTYPE, () -> jedis.setGet("s-list", "x"));
        assertEquals(List.of("a"), jedis.lrange("s-list", 0, -1), "SET GET on a list leaves it alone");
        assertRedisError("ERR invalid expire time in 'set' command", () -> jedis.set("s", "x", SetParams.setParams().ex(0)));
        assertRedisError(NOT_INTEGER, () -> jedis.sendCommand(Protocol.Command.SET, "s", "x", "EX", "abc"));
        assertRedisError(SYNTAX, () -> jedis.sendCommand(Protocol.Command.SET, "s", "x", "NX", "XX"));
        assertRedisError(SYNTAX, () -> jedis.sendCommand(Protocol.Command.SET, "s", "x", "EX", "10", "PX", "100"));
        assertRedisError(arity("set"), () -> jedis.sendCommand(Protocol.Command.SET, "s"));
        assertEquals("got", jedis.get("s"), "failed SETs change nothing");
    }

    @Test
    void getsetSetnxSetexPsetexAppendStrlen() {
        assertNull(jedis.getSet("g", "1"));
        assertEquals("1", jedis.getSet("g", "2"));
        assertEquals("2", jedis.get("g"));

        assertEquals(1, jedis.setnx("nx", "a"));
        assertEquals(0, jedis.setnx("nx", "b"));
        assertEquals("a", jedis.get("nx"));

        assertEquals("OK", jedis.setex("ex", 100, "v"));
        long ttl = jedis.ttl("ex");
        assertTrue(ttl > 0 && ttl <= 100, "SETEX ttl " + ttl);
        assertEquals("v", jedis.get("ex"));
        assertRedisError("ERR invalid expire time in 'setex' command", () -> jedis.setex("ex", 0, "v"));
        assertRedisError(NOT_INTEGER, () -> jedis.sendCommand(Protocol.Command.SETEX, "ex", "soon", "v"));
        assertEquals("OK", jedis.psetex("pex", 20_000, "pv"));
        long pttl = jedis.pttl("pex");
        assertTrue(pttl > 0 && pttl <= 20_000, "PSETEX pttl " + pttl);

        assertEquals(5, jedis.append("ap", "hello"));
        assertEquals(11, jedis.append("ap", " world"));
        assertEquals("hello world", jedis.get("ap"));
        assertEquals(11, jedis.strlen("ap"));
        assertEquals(0, jedis.strlen("nosuch"));
        jedis.sadd("set", "m");
        assertRedisError(WRONGTYPE, () -> jedis.append("set", "x"));
        assertRedisError(WRONGTYPE, () -> jedis.strlen("set"));
        assertRedisError(WRONGTYPE, () -> jedis.getSet("set", "x"));
        assertRedisError(WRONGTYPE, () -> jedis.get("set"));
    }

    @Test
    void counters() {
        assertEquals(1, jedis.incr("c"));
        assertEquals(11, jedis.incrBy("c", 10));
        assertEquals(10, jedis.decr("c"));
        assertEquals(-5, jedis.decrBy("c", 15));
        assertEquals("-5", jedis.get("c"));
        assertEquals(-1, jedis.decr("c-new"));
        assertEquals(10.5, jedis.incrByFloat("f", 10.5));
        assertEquals(10.6, jedis.incrByFloat("f", 0.1), 1e-12);
        assertEquals("10.6", jedis.get("f"), "INCRBYFLOAT stores Redis' %.17Lg text");
        assertEquals(5.6, jedis.incrByFloat("f", -5), 1e-12);
        assertEquals(0.5, jedis.incrByFloat("c", 5.5), "an integer string is a float too");

        jedis.set("text", "abc");
        assertRedisError(NOT_INTEGER, () -> jedis.incr("text"));
        assertRedisError(NOT_INTEGER, () -> jedis.decrBy("text", 2));
        assertRedisError(NOT_FLOAT, () -> jedis.incrByFloat("text", 1));
        assertRedisError(NOT_INTEGER, () -> jedis.sendCommand(Protocol.Command.INCRBY, "c2", "ten"));
        assertRedisError(NOT_FLOAT, () -> jedis.sendCommand(Protocol.Command.INCRBYFLOAT, "c2", "ten"));
        assertFalse(jedis.exists("c2"), "a rejected increment creates nothing");
        jedis.set("big", Long.toString(Long.MAX_VALUE));
        assertRedisError("ERR increment or decrement would overflow", () -> jedis.incr("big"));
        assertEquals(Long.toString(Long.MAX_VALUE), jedis.get("big"));
        jedis.rpush("list", "1");
        assertRedisError(WRONGTYPE, () -> jedis.incr("list"));
        assertRedisError(WRONGTYPE, () -> jedis.incrByFloat("list", 1));
    }

    // ---------------------------------------------------------------- multi-key, across shards

    @Test
    void msetMgetDelUnlinkExistsAcrossShards() {
        List<String> keys = JedisSupport.keys("mk:", 100, SHARDS);
        String[] kv = new String[2 * keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            kv[2 * i] = keys.get(i);
            kv[2 * i + 1] = "val-" + i;
        }
        assertEquals("OK", jedis.mset(kv));
        for (int i = 0; i < keys.size(); i++) {
            assertEquals("val-" + i, jedis.get(keys.get(i)), "MSET stored " + keys.get(i) + " on its own shard");
        }

        // MGET in argument order, with missing keys and a non-string (nil, as Redis) in between.
        jedis.rpush("mk:list", "x");
        List<String> ask = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            ask.add(keys.get(i));
            expected.add("val-" + i);
            if (i % 7 == 0) {
                ask.add("mk:missing" + i);
                expected.add(null);
            }
        }
        ask.add("mk:list");
        expected.add(null);
        assertEquals(expected, jedis.mget(ask.toArray(new String[0])));

        // EXISTS counts every argument, duplicates included.
        List<String> exists = new ArrayList<>(keys);
        exists.add(keys.get(3));
        exists.add("mk:missing");
        exists.add("mk:list");
        assertEquals(102, jedis.exists(exists.toArray(new String[0])));

        // MSET overwrites across shards; the later of two equal keys wins.
        assertEquals("OK", jedis.mset(keys.get(0), "a", keys.get(1), "b", keys.get(0), "c"));
        assertEquals(List.of("c", "b"), jedis.mget(keys.get(0), keys.get(1)));

        List<String> firstHalf = new ArrayList<>(keys.subList(0, 50));
        firstHalf.add("mk:missing");
        firstHalf.add(keys.get(0)); // a duplicate is deleted once
        assertEquals(50, jedis.del(firstHalf.toArray(new String[0])));
        assertEquals(51, jedis.dbSize());
        assertEquals(50, jedis.unlink(keys.subList(50, 100).toArray(new String[0])));
        assertEquals(0, jedis.exists(keys.toArray(new String[0])));
        assertEquals(1, jedis.dbSize());
        assertEquals(1, jedis.del("mk:list"), "DEL removes any type");
        assertEquals(0, jedis.del("mk:list"));

        assertRedisError(arity("mset"), () -> jedis.sendCommand(Protocol.Command.MSET, "a", "1", "b"));
        assertRedisError(arity("mget"), () -> jedis.sendCommand(Protocol.Command.MGET));
        assertRedisError(arity("del"), () -> jedis.sendCommand(Protocol.Command.DEL));
        assertRedisError(arity("exists"), () -> jedis.sendCommand(Protocol.Command.EXISTS));
        assertEquals(0, jedis.dbSize(), "a rejected MSET writes nothing");
    }

    // ---------------------------------------------------------------- keys and expiry

    @Test
    void expireTtlPersist() throws Exception {
        jedis.set("e", "v");
        assertEquals(-1, jedis.ttl("e"));
        assertEquals(-1, jedis.pttl("e"));
        assertEquals(-2, jedis.ttl("nosuch"));
        assertEquals(-2, jedis.pttl("nosuch"));
        assertEquals(0, jedis.expire("nosuch", 10));
        assertEquals(0, jedis.persist("nosuch"));

        assertEquals(1, jedis.expire("e", 100));
        long ttl = jedis.ttl("e");
        assertTrue(ttl > 0 && ttl <= 100, "ttl " + ttl);
        assertEquals(1, jedis.pexpire("e", 50_000));
        long pttl = jedis.pttl("e");
        assertTrue(pttl > 0 && pttl <= 50_000, "pttl " + pttl);
        assertEquals(1, jedis.persist("e"));
        assertEquals(0, jedis.persist("e"), "nothing left to persist");
        assertEquals(-1, jedis.ttl("e"));

        assertRedisError(NOT_INTEGER, () -> jedis.sendCommand(Protocol.Command.EXPIRE, "e", "abc"));
        assertRedisError(NOT_INTEGER, () -> jedis.sendCommand(Protocol.Command.PEXPIRE, "e", "1.5"));
        assertEquals(-1, jedis.ttl("e"));

        // A non-positive expire deletes at once.
        assertEquals(1, jedis.expire("e", -1));
        assertFalse(jedis.exists("e"));

        // A key with a short TTL really disappears, for GET, EXISTS and DBSIZE.
        jedis.set("short", "v");
        jedis.set("stays", "v");
        assertEquals(1, jedis.pexpire("short", 30));
        assertTrue(jedis.exists("short"));
        NOW.addAndGet(31);
        assertFalse(jedis.exists("short"), "a 30 ms TTL 31 ms later");
        assertNull(jedis.get("short"));
        assertEquals(-2, jedis.pttl("short"));
        assertEquals(1, jedis.dbSize());
    }

    @Test
    void typeOfEveryKind() {
        jedis.set("t:s", "v");
        jedis.rpush("t:l", "v");
        jedis.sadd("t:set", "v");
        jedis.hset("t:h", "f", "v");
        jedis.zadd("t:z", 1, "v");
        assertEquals("string", jedis.type("t:s"));
        assertEquals("list", jedis.type("t:l"));
        assertEquals("set", jedis.type("t:set"));
        assertEquals("hash", jedis.type("t:h"));
        assertEquals("zset", jedis.type("t:z"));
        assertEquals("none", jedis.type("t:none"));
    }

    @Test
    void keysAcrossShards() {
        List<String> users = JedisSupport.keys("user:", 200, SHARDS);
        Pipeline p = jedis.pipelined();
        for (String k : users) {
            p.set(k, "u");
        }
        for (int i = 0; i < 50; i++) {
            p.rpush("other:" + i, "o");
        }
        p.sync();
        assertEquals(new HashSet<>(users), jedis.keys("user:*"));
        Set<String> tens = new HashSet<>();
        for (int i = 10; i < 20; i++) {
            tens.add("user:" + i);
        }
        assertEquals(tens, jedis.keys("user:1?"));
        assertEquals(Set.of("user:1", "user:2"), jedis.keys("user:[12]"));
        assertEquals(250, jedis.keys("*").size());
        assertEquals(Set.of(), jedis.keys("nomatch*"));
    }

    @Test
    void scanVisitsEveryKeyOnEveryShard() {
        List<String> strings = JedisSupport.keys("scan:s:", 2000, SHARDS);
        List<String> lists = JedisSupport.keys("scan:l:", 600, SHARDS);
        List<String> hashes = JedisSupport.keys("scan:h:", 600, SHARDS);
        Pipeline p = jedis.pipelined();
        for (String k : strings) {
            p.set(k, "v");
        }
        for (String k : lists) {
            p.rpush(k, "v");
        }
        for (String k : hashes) {
            p.hset(k, "f", "v");
        }
        p.sync();
        Set<String> all = new HashSet<>(strings);
        all.addAll(lists);
        all.addAll(hashes);
        assertEquals(all.size(), jedis.dbSize());

        assertEquals(all, scanAll(new ScanParams().count(100), null, 10));
        assertEquals(all, scanAll(new ScanParams(), null, 100), "default COUNT");
        assertEquals(new HashSet<>(lists), scanAll(new ScanParams().match("scan:l:*").count(200), null, 4));
        assertEquals(new HashSet<>(hashes), scanAll(new ScanParams().count(150), "hash", 4));
        assertEquals(new HashSet<>(strings), scanAll(new ScanParams().count(500), "string", 4));
        Set<String> ones = new HashSet<>();
        for (String k : strings) {
            if (k.startsWith("scan:s:1")) {
                ones.add(k);
            }
        }
        assertEquals(ones, scanAll(new ScanParams().match("scan:s:1*").count(300), "string", 4));
        assertEquals(Set.of(), scanAll(new ScanParams().match("scan:s:*").count(1000), "list", 1));

        assertRedisError("ERR invalid cursor", () -> jedis.scan("abc"));
        assertRedisError(SYNTAX, () -> jedis.scan("0", new ScanParams().count(0)));
        assertRedisError(SYNTAX, () -> jedis.sendCommand(Protocol.Command.SCAN, "0", "BOGUS", "1"));
    }

    /** Scans to completion; every reply's cursor is followed; at least {@code minCalls} calls are needed. */
    private Set<String> scanAll(ScanParams params, String type, int minCalls) {
        Set<String> seen = new HashSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        int calls = 0;
        do {
            ScanResult<String> r = type == null ? jedis.scan(cursor, params) : jedis.scan(cursor, params, type);
            seen.addAll(r.getResult());
            cursor = r.getCursor();
            calls++;
            assertTrue(calls < 100_000, "SCAN does not terminate");
        } while (!cursor.equals("0"));
        assertTrue(calls >= minCalls, "only " + calls + " SCAN calls for " + seen.size() + " keys");
        return seen;
    }

    // ---------------------------------------------------------------- lists, sets, hashes, sorted sets

    @Test
    void lists() {
        assertEquals(3, jedis.lpush("l", "a", "b", "c"));
        assertEquals(List.of("c", "b", "a"), jedis.lrange("l", 0, -1));
        assertEquals(5, jedis.rpush("l", "d", "e"));
        assertEquals(List.of("c", "b", "a", "d", "e"), jedis.lrange("l", 0, -1));
        assertEquals(List.of("b", "a"), jedis.lrange("l", 1, 2));
        assertEquals(List.of("d", "e"), jedis.lrange("l", -2, 100));
        assertEquals(List.of(), jedis.lrange("l", 10, 20));
        assertEquals(5, jedis.llen("l"));
        assertEquals("c", jedis.lpop("l"));
        assertEquals("e", jedis.rpop("l"));
        assertEquals(List.of("b", "a"), jedis.lpop("l", 2));
        assertEquals(List.of("d"), jedis.rpop("l", 5));
        assertFalse(jedis.exists("l"), "an emptied list is deleted");
        assertEquals(0, jedis.llen("l"));
        assertNull(jedis.lpop("l"));
        assertNull(jedis.rpop("l"));
        assertEquals(List.of(), jedis.lrange("l", 0, -1));

        jedis.set("str", "v");
        assertRedisError(WRONGTYPE, () -> jedis.lpush("str", "x"));
        assertRedisError(WRONGTYPE, () -> jedis.rpush("str", "x"));
        assertRedisError(WRONGTYPE, () -> jedis.lrange("str", 0, -1));
        assertRedisError(WRONGTYPE, () -> jedis.llen("str"));
        assertRedisError(WRONGTYPE, () -> jedis.lpop("str"));
        assertRedisError(NOT_INTEGER, () -> jedis.sendCommand(Protocol.Command.LRANGE, "l", "a", "b"));
        assertRedisError(arity("lpush"), () -> jedis.sendCommand(Protocol.Command.LPUSH, "l"));
        assertRedisError(arity("lrange"), () -> jedis.sendCommand(Protocol.Command.LRANGE, "l", "0"));
    }

    @Test
    void sets() {
        assertEquals(3, jedis.sadd("s", "a", "b", "c", "a"));
        assertEquals(0, jedis.sadd("s", "b"));
        assertEquals(3, jedis.scard("s"));
        assertTrue(jedis.sismember("s", "a"));
        assertFalse(jedis.sismember("s", "z"));
        assertFalse(jedis.sismember("nosuch", "a"));
        assertEquals(Set.of("a", "b", "c"), jedis.smembers("s"));
        assertEquals(1, jedis.srem("s", "a", "zz"));
        assertEquals(Set.of("b", "c"), jedis.smembers("s"));
        String popped = jedis.spop("s");
        assertTrue(Set.of("b", "c").contains(popped), popped);
        assertFalse(jedis.sismember("s", popped));
        assertEquals(1, jedis.scard("s"));
        assertEquals(1, jedis.sadd("s", "d"));
        Set<String> rest = jedis.spop("s", 10);
        assertEquals(2, rest.size());
        assertFalse(rest.contains(popped));
        assertFalse(jedis.exists("s"), "an emptied set is deleted");
        assertNull(jedis.spop("s"));
        assertEquals(0, jedis.scard("s"));
        assertEquals(Set.of(), jedis.smembers("s"));

        jedis.set("str", "v");
        assertRedisError(WRONGTYPE, () -> jedis.sadd("str", "x"));
        assertRedisError(WRONGTYPE, () -> jedis.smembers("str"));
        assertRedisError(WRONGTYPE, () -> jedis.sismember("str", "x"));
        assertRedisError(arity("sismember"), () -> jedis.sendCommand(Protocol.Command.SISMEMBER, "s"));
    }

    @Test
    void hashes() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("f1", "v1");
        fields.put("f2", "v2");
        assertEquals(2, jedis.hset("h", fields));
        assertEquals(0, jedis.hset("h", "f1", "v1b"), "an update adds no field");
        assertEquals("v1b", jedis.hget("h", "f1"));
        assertNull(jedis.hget("h", "nope"));
        assertNull(jedis.hget("nosuch", "f1"));
        assertEquals(Map.of("f1", "v1b", "f2", "v2"), jedis.hgetAll("h"));
        assertEquals(2, jedis.hlen("h"));
        assertEquals(5, jedis.hincrBy("h", "n", 5));
        assertEquals(3, jedis.hincrBy("h", "n", -2));
        assertEquals("3", jedis.hget("h", "n"));
        assertEquals(3, jedis.hlen("h"));
        assertEquals(1, jedis.hdel("h", "f1", "nope"));
        assertEquals(Map.of("f2", "v2", "n", "3"), jedis.hgetAll("h"));
        assertRedisError("ERR hash value is not an integer", () -> jedis.hincrBy("h", "f2", 1));
        assertRedisError(NOT_INTEGER, () -> jedis.sendCommand(Protocol.Command.HINCRBY, "h", "n", "x"));
        assertEquals(2, jedis.hdel("h", "f2", "n"));
        assertFalse(jedis.exists("h"), "an emptied hash is deleted");
        assertEquals(Map.of(), jedis.hgetAll("h"));
        assertEquals(0, jedis.hlen("h"));

        jedis.set("str", "v");
        assertRedisError(WRONGTYPE, () -> jedis.hset("str", "f", "v"));
        assertRedisError(WRONGTYPE, () -> jedis.hgetAll("str"));
        assertRedisError(arity("hset"), () -> jedis.sendCommand(Protocol.Command.HSET, "h", "f"));
        assertRedisError(arity("hset"), () -> jedis.sendCommand(Protocol.Command.HSET, "h", "f", "v", "g"));
    }

    @Test
    void sortedSets() {
        assertEquals(1, jedis.zadd("z", 3, "a"));
        Map<String, Double> more = new LinkedHashMap<>();
        more.put("b", 2.0);
        more.put("c", 1.5);
        assertEquals(2, jedis.zadd("z", more));
        assertEquals(0, jedis.zadd("z", 4, "a"), "a score update adds nothing");
        assertEquals(3, jedis.zcard("z"));
        assertEquals(List.of("c", "b", "a"), jedis.zrange("z", 0, -1));
        assertEquals(List.of("b"), jedis.zrange("z", 1, 1));
        assertEquals(List.of(new Tuple("c", 1.5), new Tuple("b", 2.0), new Tuple("a", 4.0)),
                jedis.zrangeWithScores("z", 0, -1));
        assertEquals(4.0, jedis.zscore("z", "a"));
        assertNull(jedis.zscore("z", "nope"));
        assertNull(jedis.zscore("nosuch", "a"));
        assertEquals(1, jedis.zrem("z", "b", "nope"));
        assertEquals(new Tuple("c", 1.5), jedis.zpopmin("z"));
        assertEquals(1, jedis.zadd("z", -1e300, "tiny"));
        assertEquals(List.of(new Tuple("tiny", -1e300), new Tuple("a", 4.0)), jedis.zpopmin("z", 5));
        assertFalse(jedis.exists("z"), "an emptied sorted set is deleted");
        assertNull(jedis.zpopmin("z"));
        assertEquals(0, jedis.zcard("z"));

        assertRedisError(NOT_FLOAT, () -> jedis.sendCommand(Protocol.Command.ZADD, "z", "abc", "m"));
        jedis.set("str", "v");
        assertRedisError(WRONGTYPE, () -> jedis.zadd("str", 1, "m"));
        assertRedisError(WRONGTYPE, () -> jedis.zrange("str", 0, -1));
        assertRedisError(arity("zadd"), () -> jedis.sendCommand(Protocol.Command.ZADD, "z", "1"));
    }

    // ---------------------------------------------------------------- errors as Jedis surfaces them

    @Test
    void wrongTypeOnEveryFamilyLeavesTheKeyAlone() {
        jedis.set("k:string", "v");
        jedis.rpush("k:list", "v");
        jedis.sadd("k:set", "v");
        jedis.hset("k:hash", "f", "v");
        jedis.zadd("k:zset", 1, "v");
        Map<String, Function<String, Object>> ops = new LinkedHashMap<>();
        ops.put("string", k -> jedis.get(k));
        ops.put("list", k -> jedis.lpush(k, "x"));
        ops.put("set", k -> jedis.sadd(k, "x"));
        ops.put("hash", k -> jedis.hset(k, "f", "x"));
        ops.put("zset", k -> jedis.zadd(k, 2, "x"));
        for (String type : ops.keySet()) {
            for (var op : ops.entrySet()) {
                if (!op.getKey().equals(type)) {
                    String key = "k:" + type;
                    assertRedisError(WRONGTYPE, () -> op.getValue().apply(key));
                    assertEquals(type, jedis.type(key));
                }
            }
        }
        assertEquals(5, jedis.dbSize());
    }

    @Test
    void arityAndUnknownCommands() {
        assertRedisError(arity("get"), () -> jedis.sendCommand(Protocol.Command.GET));
        assertRedisError(arity("get"), () -> jedis.sendCommand(Protocol.Command.GET, "a", "b"));
        assertRedisError(arity("incr"), () -> jedis.sendCommand(Protocol.Command.INCR));
        assertRedisError(arity("expire"), () -> jedis.sendCommand(Protocol.Command.EXPIRE, "k"));
        assertRedisError(arity("keys"), () -> jedis.sendCommand(Protocol.Command.KEYS));
        assertRedisError(arity("zrange"), () -> jedis.sendCommand(Protocol.Command.ZRANGE, "z", "0"));
        assertRedisError("ERR unknown command 'FOO', with args beginning with: 'a' 'b' ",
                () -> jedis.sendCommand(command("FOO"), "a", "b"));
        assertRedisError("ERR unknown command 'nosuch', with args beginning with: ",
                () -> jedis.sendCommand(command("nosuch")));
        assertEquals("PONG", jedis.ping());
        assertEquals(0, jedis.dbSize());
    }

    @Test
    void binarySafeKeysAndValues() {
        byte[] key = {'b', 0, '\r', '\n', (byte) 0xC3};
        byte[] value = new byte[70_000]; // over the parser's 32 KiB "big argument" threshold
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 31);
        }
        assertEquals("OK", jedis.set(key, value));
        assertArrayEquals(value, jedis.get(key));
        assertEquals(value.length, jedis.strlen(key));
        assertTrue(jedis.exists(key));
        assertEquals(1, jedis.del(key));
        assertEquals(Arrays.asList((byte[]) null), jedis.mget(key));
    }
}
