package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.assertRedisError;
import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.connectionShard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * CLIENT LIST, INFO, KILL, ID, SETNAME, GETNAME, SETINFO, REPLY, NO-EVICT, NO-TOUCH, PAUSE and UNPAUSE
 * through Jedis on a 3-shard server (more shards than the machine's cores): every shard's clients are
 * listed and killed from any shard, with Redis' fields and errors.
 */
class JedisClientCommandsTest {
    static KvServer server;

    @BeforeAll
    static void start() throws Exception {
        server = KvServer.start(KvConfig.inMemory(3));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The key=value fields of one CLIENT LIST line, in order. */
    static Map<String, String> fields(String line) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String pair : line.trim().split(" ")) {
            int eq = pair.indexOf('=');
            f.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return f;
    }

    /** Connections until one lands on each shard. */
    static List<Jedis> onEveryShard() {
        List<Jedis> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 300 && seen.size() < 3; i++) {
            Jedis j = connect(server);
            if (seen.add(connectionShard(j))) {
                out.add(j);
            } else {
                j.close();
            }
        }
        assertEquals(3, out.size(), "connections did not land on every shard");
        return out;
    }

    @Test
    void clientInfoHasRedisFieldsInRedisOrder() {
        try (Jedis j = connect(server)) {
            j.clientSetname("info-me");
            j.select(3);
            String info = j.clientInfo();
            assertTrue(info.endsWith("\n"), info);
            Map<String, String> f = fields(info);
            assertEquals(List.of("id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub", "ssub",
                    "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem", "tot-mem",
                    "events", "cmd", "user", "redir", "resp", "lib-name", "lib-ver", "shard"), new ArrayList<>(f.keySet()));
            assertEquals(Long.toString(j.clientId()), f.get("id"));
            assertEquals("info-me", f.get("name"));
            assertEquals("3", f.get("db"));
            assertEquals("N", f.get("flags"));
            assertEquals("client|info", f.get("cmd"));
            assertEquals("default", f.get("user"));
            assertEquals("2", f.get("resp"));
            assertEquals("127.0.0.1:" + server.port(), f.get("laddr"));
            assertTrue(f.get("addr").startsWith("127.0.0.1:"), f.get("addr"));
            assertTrue(Long.parseLong(f.get("argv-mem")) > 0, info);
        }
    }

    @Test
    void listShowsEveryShardsClientsFromAnyShardAndFilters() {
        List<Jedis> clients = onEveryShard();
        try {
            Set<String> ids = new HashSet<>();
            for (Jedis j : clients) {
                ids.add(Long.toString(j.clientId()));
            }
            for (Jedis asker : clients) {
                String list = asker.clientList();
                Set<String> listed = new HashSet<>();
                long previous = 0;
                for (String line : list.split("\n")) {
                    Map<String, String> f = fields(line);
                    listed.add(f.get("id"));
                    long id = Long.parseLong(f.get("id"));
                    assertTrue(id > previous, "CLIENT LIST is in id order: " + list);
                    previous = id;
                }
                assertTrue(listed.containsAll(ids), "shard " + connectionShard(asker) + " listed " + list);
            }
            Jedis a = clients.get(0);
            Jedis b = clients.get(1);
            String byId = new String((byte[]) b.sendCommand(Protocol.Command.CLIENT, "LIST", "ID", Long.toString(a.clientId())));
            assertEquals(1, byId.split("\n").length, byId);
            assertEquals(Long.toString(a.clientId()), fields(byId).get("id"));
            assertEquals("", b.sendCommand(Protocol.Command.CLIENT, "LIST", "ID", "999999999") instanceof byte[] bytes
                    ? new String(bytes) : "?");
            assertRedisError("ERR Invalid client ID", () -> b.sendCommand(Protocol.Command.CLIENT, "LIST", "ID", "x"));
            assertRedisError("ERR Unknown client type 'x'", () -> b.sendCommand(Protocol.Command.CLIENT, "LIST", "TYPE", "x"));
            assertRedisError("ERR syntax error", () -> b.sendCommand(Protocol.Command.CLIENT, "LIST", "foo"));
            String normal = new String((byte[]) b.sendCommand(Protocol.Command.CLIENT, "LIST", "TYPE", "normal"));
            assertTrue(normal.contains("id=" + a.clientId() + " "), normal);
            String pubsub = new String((byte[]) b.sendCommand(Protocol.Command.CLIENT, "LIST", "TYPE", "pubsub"));
            assertFalse(pubsub.contains("id=" + a.clientId() + " "), pubsub);
        } finally {
            clients.forEach(Jedis::close);
        }
    }

    @Test
    void aSubscriberIsListedAsPubsubWithItsCounts() throws Exception {
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        AtomicLong subscriberId = new AtomicLong();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onPSubscribe(String pattern, int count) {
                subscribed.complete(null);
            }
        };
        try (Jedis sub = connect(server); Jedis j = connect(server)) {
            subscriberId.set(sub.clientId());
            Thread t = new Thread(() -> subscribeUntilKilled(sub, new JedisPubSub() {
                @Override
                public void onSubscribe(String channel, int count) {
                    if (count == 2) {
                        psubscribe("p*");
                    }
                }

                @Override
                public void onPSubscribe(String pattern, int count) {
                    listener.onPSubscribe(pattern, count);
                }
            }));
            t.start();
            subscribed.get(10, TimeUnit.SECONDS);
            String pubsub = new String((byte[]) j.sendCommand(Protocol.Command.CLIENT, "LIST", "TYPE", "pubsub"));
            Map<String, String> f = fields(pubsub.split("\n")[0]);
            assertEquals(Long.toString(subscriberId.get()), f.get("id"));
            assertEquals("P", f.get("flags"));
            assertEquals("2", f.get("sub"));
            assertEquals("1", f.get("psub"));
            assertEquals(1L, j.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub"));
            t.join(10_000);
            assertFalse(t.isAlive(), "the killed subscriber's connection ended");
        }
    }

    /** Subscribes {@code sub} to c1 and c2 until the server kills its connection, which ends the wait. */
    private static void subscribeUntilKilled(Jedis sub, JedisPubSub listener) {
        try {
            sub.subscribe(listener, "c1", "c2");
        } catch (JedisConnectionException killed) {
            // expected: CLIENT KILL TYPE pubsub closed it
        }
    }

    @Test
    void killByIdReachesAClientOnAnotherShard() {
        List<Jedis> clients = onEveryShard();
        try {
            Jedis killer = clients.get(0);
            Jedis victim = clients.get(1);
            long id = victim.clientId();
            assertEquals(1L, killer.clientKill(new redis.clients.jedis.params.ClientKillParams().id(Long.toString(id))));
            assertThrows(JedisConnectionException.class, victim::ping);
            assertEquals(0L, killer.clientKill(new redis.clients.jedis.params.ClientKillParams().id(Long.toString(id))));
            assertEquals("PONG", killer.ping());
            assertRedisError("ERR client-id should be greater than 0", () -> killer.sendCommand(Protocol.Command.CLIENT, "KILL", "ID", "0"));
            assertRedisError("ERR Unknown client type 'foo'", () -> killer.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "foo"));
            assertRedisError("ERR No such user 'nobody'", () -> killer.sendCommand(Protocol.Command.CLIENT, "KILL", "USER", "nobody"));
            assertRedisError("ERR syntax error", () -> killer.sendCommand(Protocol.Command.CLIENT, "KILL", "SKIPME", "maybe"));
            assertRedisError("ERR syntax error", () -> killer.sendCommand(Protocol.Command.CLIENT, "KILL", "foo", "bar"));
            assertRedisError("ERR No such client", () -> killer.sendCommand(Protocol.Command.CLIENT, "KILL", "1.2.3.4:5"));
        } finally {
            clients.forEach(Jedis::close);
        }
    }

    @Test
    void killByAddressOldFormAndSkipMe() throws Exception {
        try (Jedis victim = connect(server); Jedis killer = connect(server)) {
            String addr = fields(victim.clientInfo()).get("addr");
            assertEquals("OK", killer.clientKill(addr));
            assertThrows(JedisConnectionException.class, victim::ping);
            String own = fields(killer.clientInfo()).get("addr");
            assertEquals(0L, killer.sendCommand(Protocol.Command.CLIENT, "KILL", "ADDR", own), "SKIPME yes by default");
            try (JedisSupport.RawClient raw = new JedisSupport.RawClient(server)) {
                raw.command("CLIENT", "INFO");
                String rawAddr = fields(raw.reply().split("\r\n")[1]).get("addr");
                raw.command("CLIENT", "KILL", "ADDR", rawAddr, "SKIPME", "no");
                assertEquals(":1\r\n", raw.reply());
                raw.assertClosedByServer();
            }
        }
    }

    @Test
    void setnameGetnameAndSetinfoValidateAsRedis() {
        try (Jedis j = connect(server)) {
            assertNull(j.clientGetname());
            assertRedisError(ClientCommand.BAD_NAME, () -> j.clientSetname("a b"));
            assertEquals("OK", j.clientSetname("x"));
            assertEquals("x", j.clientGetname());
            assertEquals("OK", j.clientSetname(""));
            assertNull(j.clientGetname());
            assertEquals("OK", j.sendCommand(Protocol.Command.CLIENT, "SETINFO", "LIB-NAME", "mylib") instanceof byte[] b ? new String(b) : "?");
            assertEquals("OK", new String((byte[]) j.sendCommand(Protocol.Command.CLIENT, "SETINFO", "lib-ver", "1.2.3")));
            Map<String, String> f = fields(j.clientInfo());
            assertEquals("mylib", f.get("lib-name"));
            assertEquals("1.2.3", f.get("lib-ver"));
            assertRedisError("ERR LIB-NAME cannot contain spaces, newlines or special characters.",
                    () -> j.sendCommand(Protocol.Command.CLIENT, "SETINFO", "LIB-NAME", "a b"));
            assertRedisError("ERR Unrecognized option 'foo'", () -> j.sendCommand(Protocol.Command.CLIENT, "SETINFO", "foo", "bar"));
            assertRedisError("ERR wrong number of arguments for 'client|setinfo' command",
                    () -> j.sendCommand(Protocol.Command.CLIENT, "SETINFO", "lib-name"));
            assertEquals("mylib", fields(j.clientInfo()).get("lib-name"), "a refused value changes nothing");
        }
    }

    @Test
    void replyOffSkipAndOn() throws Exception {
        try (JedisSupport.RawClient raw = new JedisSupport.RawClient(server)) {
            raw.command("CLIENT", "REPLY", "SKIP");
            raw.command("SET", "reply:k", "1"); // skipped
            raw.command("GET", "reply:k");
            assertEquals("$1\r\n1\r\n", raw.reply());
            raw.command("CLIENT", "REPLY", "OFF");
            raw.command("SET", "reply:k", "2");
            raw.command("GET", "reply:k");
            raw.command("CLIENT", "REPLY", "ON");
            assertEquals("+OK\r\n", raw.reply(), "nothing came while replies were off");
            raw.command("GET", "reply:k");
            assertEquals("$1\r\n2\r\n", raw.reply());
            raw.command("CLIENT", "REPLY", "maybe");
            assertEquals("-ERR syntax error\r\n", raw.reply());
        }
    }

    @Test
    void noEvictAndNoTouchShowInFlags() {
        try (Jedis j = connect(server)) {
            assertEquals("OK", new String((byte[]) j.sendCommand(Protocol.Command.CLIENT, "NO-EVICT", "on")));
            assertEquals("OK", new String((byte[]) j.sendCommand(Protocol.Command.CLIENT, "NO-TOUCH", "on")));
            assertEquals("eT", fields(j.clientInfo()).get("flags"));
            assertRedisError("ERR syntax error", () -> j.sendCommand(Protocol.Command.CLIENT, "NO-EVICT", "x"));
            j.sendCommand(Protocol.Command.CLIENT, "NO-EVICT", "off");
            j.sendCommand(Protocol.Command.CLIENT, "NO-TOUCH", "off");
            assertEquals("N", fields(j.clientInfo()).get("flags"));
        }
    }

    @Test
    void noTouchLeavesIdleTimeOnEveryShard() throws Exception {
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        try (KvServer kv = KvServer.start(KvConfig.inMemory(3).withClock(clock::get)); Jedis touching = connect(kv);
                Jedis quiet = connect(kv)) {
            assertEquals("OK", new String((byte[]) quiet.sendCommand(Protocol.Command.CLIENT, "NO-TOUCH", "ON")));
            for (int shard = 0; shard < 3; shard++) {
                String key = JedisSupport.keyOn("touch:", shard, 3);
                touching.set(key, "v");
                clock.addAndGet(100_000);
                assertEquals("v", quiet.get(key));
                assertTrue(touching.objectIdletime(key) >= 100, "a NO-TOUCH read left the key idle, shard " + shard);
                assertEquals(1L, quiet.touch(key), "TOUCH still touches");
                assertEquals(0L, touching.objectIdletime(key));
                clock.addAndGet(100_000);
                assertEquals("v", touching.get(key));
                assertEquals(0L, touching.objectIdletime(key), "a plain read touches");
            }
        }
    }

    @Test
    void pauseWriteHoldsWritesOnEveryShardUntilUnpause() throws Exception {
        List<Jedis> clients = onEveryShard();
        try {
            Jedis admin = clients.get(0);
            Jedis writer = clients.get(1);
            String key = JedisSupport.keyOn("pause:", 2, 3);
            assertRedisError("ERR CLIENT PAUSE mode must be WRITE or ALL", () -> admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", "10", "foo"));
            assertRedisError("ERR timeout is not an integer or out of range", () -> admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", "x"));
            assertRedisError("ERR timeout is negative", () -> admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", "-1"));
            assertEquals("OK", admin.clientPause(600_000, redis.clients.jedis.args.ClientPauseMode.WRITE));
            long writerId = writer.clientId();
            CompletableFuture<String> set = CompletableFuture.supplyAsync(() -> writer.set(key, "v"));
            // Reads still run while writes wait; the writer shows as blocked until the pause ends.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!fields(new String((byte[]) admin.sendCommand(Protocol.Command.CLIENT, "LIST", "ID", Long.toString(writerId))))
                    .get("flags").contains("b")) {
                assertTrue(System.nanoTime() < deadline, "the writer never waited");
                Thread.onSpinWait();
            }
            assertNull(admin.get(key), "the paused SET has not run");
            assertFalse(set.isDone());
            assertEquals("OK", admin.clientUnpause());
            assertEquals("OK", set.get(10, TimeUnit.SECONDS));
            assertEquals("v", admin.get(key));
        } finally {
            clients.forEach(Jedis::close);
        }
    }

    @Test
    void helpAndUnknownSubcommand() {
        try (Jedis j = connect(server)) {
            @SuppressWarnings("unchecked")
            List<Object> help = (List<Object>) j.sendCommand(Protocol.Command.CLIENT, "HELP");
            assertEquals("CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", new String((byte[]) help.get(0)));
            assertEquals("    Prints this help.", new String((byte[]) help.get(help.size() - 1)));
            assertRedisError("ERR unknown subcommand 'nope'. Try CLIENT HELP.", () -> j.sendCommand(Protocol.Command.CLIENT, "nope"));
            assertRedisError("ERR wrong number of arguments for 'client|id' command", () -> j.sendCommand(Protocol.Command.CLIENT, "ID", "5"));
        }
    }

    @Test
    void idleClientsAreClosedAfterTimeout() throws Exception {
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        try (KvServer kv = KvServer.start(KvConfig.inMemory(3).withClock(clock::get));
                Jedis admin = connect(kv); JedisSupport.RawClient idle = new JedisSupport.RawClient(kv)) {
            idle.command("PING");
            assertEquals("+PONG\r\n", idle.reply());
            assertEquals("OK", admin.configSet("timeout", "5"));
            clock.addAndGet(10_000); // both clients are idle for 10 s by the server's clock now
            idle.assertClosedByServer(); // the once-a-second check closes it
        }
    }
}
