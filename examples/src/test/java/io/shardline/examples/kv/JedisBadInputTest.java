package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.assertRedisError;
import static io.shardline.examples.kv.JedisSupport.command;
import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.connectionShard;
import static io.shardline.examples.kv.JedisSupport.infoField;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.examples.kv.JedisSupport.RawClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What Jedis would never send, on raw sockets, with Jedis connections alongside that must not notice:
 * malformed RESP, lengths over the limits, unknown commands, requests before AUTH, and a client that
 * pipelines without reading.
 */
@Timeout(60)
class JedisBadInputTest {
    static final int SHARDS = 2;
    static final int MAX_BULK = 1 << 20;
    static final int MAX_ARGS = 1000;
    static final String NOAUTH = "NOAUTH Authentication required.";
    static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

    static KvServer server;
    Jedis guard;

    @BeforeAll
    static void start() throws Exception {
        server = KvServer.start(KvConfig.inMemory(SHARDS).withLimits(MAX_BULK, MAX_ARGS));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A well-behaved client, open across the bad one's request, with data of its own. */
    @BeforeEach
    void openGuard() {
        guard = connect(server);
        guard.set("guard:string", "intact");
        guard.del("guard:list");
        guard.rpush("guard:list", "a", "b");
    }

    @AfterEach
    void checkGuard() {
        try {
            assertEquals("PONG", guard.ping(), "the other connection still works");
            assertEquals("intact", guard.get("guard:string"));
            assertEquals(List.of("a", "b"), guard.lrange("guard:list", 0, -1));
        } finally {
            guard.close();
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("a non-numeric bulk length", "*1\r\n$x\r\n", List.of("-ERR Protocol error: invalid bulk length")),
                Arguments.of("a negative bulk length", "*1\r\n$-1\r\n", List.of("-ERR Protocol error: invalid bulk length")),
                Arguments.of("a non-numeric multibulk count", "*abc\r\n",
                        List.of("-ERR Protocol error: invalid multibulk length")),
                Arguments.of("an argument that is not a bulk string", "*2\r\n+foo\r\n",
                        List.of("-ERR Protocol error: expected '$', got '+'")),
                Arguments.of("an unbalanced double quote inline", "SET \"abc\r\n",
                        List.of("-ERR Protocol error: unbalanced quotes in request")),
                Arguments.of("a closing quote not followed by a space", "SET 'a'b v\r\n",
                        List.of("-ERR Protocol error: unbalanced quotes in request")),
                Arguments.of("good requests, then a bad one", "SET bad:before 1\r\n*1\r\n$4\r\nPING\r\n*x\r\n",
                        List.of("+OK", "+PONG", "-ERR Protocol error: invalid multibulk length")));
    }

    /** Redis' exact protocol error, then the server closes that connection; the requests before it ran. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedRequestGetsTheProtocolErrorThenTheConnectionCloses(String what, String bytes, List<String> replies)
            throws IOException {
        try (RawClient raw = new RawClient(server)) {
            raw.send(bytes);
            for (String reply : replies) {
                assertEquals(reply, raw.line());
            }
            raw.assertClosedByServer();
        }
        if (bytes.startsWith("SET bad:before")) {
            assertEquals("1", guard.get("bad:before"));
            guard.del("bad:before");
        }
    }

    /**
     * Not a protocol error: a request that does not start with '*' is an inline command, so Redis runs
     * "$5" (unknown) and then "hello" (HELLO) and keeps the connection, as this does.
     */
    @Test
    void aBulkStringAsARequestStartIsAnInlineCommand() throws IOException {
        try (RawClient raw = new RawClient(server)) {
            raw.send("$5\r\nhello\r\n");
            assertEquals("-ERR unknown command '$5', with args beginning with: \r\n", raw.reply());
            String hello = raw.reply();
            assertTrue(hello.startsWith("*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n"), hello);
            assertEquals("+PONG\r\n", raw.command("PING").reply(), "the connection stays open");
        }
    }

    /** Blank lines and empty multibulk requests are skipped without a reply, as Redis does. */
    @Test
    void emptyRequestsAreIgnored() throws IOException {
        try (RawClient raw = new RawClient(server)) {
            raw.send("\r\n  \r\n*0\r\n*-1\r\nPING\r\n");
            assertEquals("+PONG\r\n", raw.reply());
        }
    }

    /** A declared length over proto-max-bulk-len fails at its header: the body is never awaited. */
    @Test
    void bulkLengthOverTheLimitIsRejectedAtItsHeader() throws IOException {
        assertEquals(Map.of("proto-max-bulk-len", Integer.toString(MAX_BULK)), guard.configGet("proto-max-bulk-len"));
        try (RawClient raw = new RawClient(server)) {
            raw.send("*3\r\n$3\r\nSET\r\n$8\r\nbig:over\r\n$" + (MAX_BULK + 1) + "\r\n"); // and no body
            assertEquals("-ERR Protocol error: invalid bulk length", raw.line());
            raw.assertClosedByServer();
        }
        try (RawClient raw = new RawClient(server)) {
            raw.send("*2\r\n$3\r\nGET\r\n$99999999999\r\n");
            assertEquals("-ERR Protocol error: invalid bulk length", raw.line());
            raw.assertClosedByServer();
        }
        assertFalse(guard.exists("big:over"));
        // Exactly at the limit is fine, through Jedis.
        byte[] value = new byte[MAX_BULK];
        value[0] = 1;
        value[MAX_BULK - 1] = 2;
        assertEquals("OK", guard.set("big:at".getBytes(StandardCharsets.UTF_8), value));
        assertArrayEquals(value, guard.get("big:at".getBytes(StandardCharsets.UTF_8)));
        guard.del("big:at");
    }

    @Test
    void argumentCountOverTheLimitIsRejectedAtItsHeader() throws IOException {
        try (RawClient raw = new RawClient(server)) {
            raw.send("*" + (MAX_ARGS + 1) + "\r\n"); // and no arguments
            assertEquals("-ERR Protocol error: invalid multibulk length", raw.line());
            raw.assertClosedByServer();
        }
        try (RawClient raw = new RawClient(server)) {
            raw.send("*99999999999999999999999\r\n");
            assertEquals("-ERR Protocol error: invalid multibulk length", raw.line());
            raw.assertClosedByServer();
        }
        // Exactly at the limit is fine, through Jedis: SADD key + 998 members.
        String[] members = new String[MAX_ARGS - 2];
        for (int i = 0; i < members.length; i++) {
            members[i] = "m" + i;
        }
        assertEquals(members.length, guard.sadd("args:at", members));
        guard.del("args:at");
        // One more, through Jedis: it gets the error, or (if the server closed before Jedis finished
        // writing the arguments) a broken pipe; either way the connection is gone.
        String[] tooMany = new String[MAX_ARGS - 1];
        for (int i = 0; i < tooMany.length; i++) {
            tooMany[i] = "m" + i;
        }
        Jedis j = connect(server);
        try {
            JedisException e = assertThrows(JedisException.class, () -> j.sadd("args:over", tooMany));
            if (e instanceof JedisDataException) {
                assertEquals("ERR Protocol error: invalid multibulk length", e.getMessage());
            } else {
                assertTrue(e instanceof JedisConnectionException, String.valueOf(e));
            }
            assertThrows(JedisConnectionException.class, j::ping);
        } finally {
            try {
                j.close();
            } catch (JedisConnectionException closedByServer) {
                // Jedis flushes on close; the server is gone already
            }
        }
        assertFalse(guard.exists("args:over"));
    }

    /** Unknown commands get Redis' error with up to 128 bytes of their arguments; the connection stays. */
    @Test
    void unknownCommands() throws IOException {
        try (RawClient raw = new RawClient(server)) {
            assertEquals("-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n",
                    raw.command("foo", "a", "b").reply());
            assertEquals("-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n",
                    raw.send("foo a b\r\n").reply(), "inline");
            assertEquals("-ERR unknown command 'FOO', with args beginning with: '" + "x".repeat(128) + "' \r\n",
                    raw.command("FOO", "x".repeat(200), "y").reply());
            String[] many = new String[101];
            many[0] = "FOO";
            for (int i = 1; i < many.length; i++) {
                many[i] = "a";
            }
            assertEquals("-ERR unknown command 'FOO', with args beginning with: " + "'a' ".repeat(32) + "\r\n",
                    raw.command(many).reply());
            assertEquals("+PONG\r\n", raw.command("PING").reply());
        }
        assertRedisError("ERR unknown command 'foo', with args beginning with: 'a' 'b' ",
                () -> guard.sendCommand(command("foo"), "a", "b"));
    }

    // ---------------------------------------------------------------- requirepass

    @Test
    void requirepassRefusesEverythingBeforeAuth() throws Exception {
        try (KvServer secured = KvServer.start(KvConfig.inMemory(SHARDS).withRequirePass("s3cret"))) {
            try (Jedis owner = connect(secured, JedisSupport.builder().password("s3cret").build())) {
                assertEquals("OK", owner.set("secret:key", "value"));
            }
            try (Jedis j = connect(secured)) { // no password: Jedis' own CLIENT SETINFO on connect is refused too
                List<Runnable> commands = List.of(j::ping, () -> j.get("secret:key"), () -> j.set("k", "v"), j::dbSize,
                        () -> j.info(), j::clientId, () -> j.keys("*"), () -> j.mget("a", "b"), j::flushAll,
                        () -> j.select(0), () -> j.echo("x"), () -> j.scan("0"), () -> j.configGet("port"),
                        () -> j.commandCount(), () -> j.del("secret:key"), () -> j.incr("n"));
                for (Runnable c : commands) {
                    assertRedisError(JedisAccessControlException.class, NOAUTH, c::run);
                }
                // Redis checks that the command exists and its arity before authentication.
                assertRedisError("ERR unknown command 'nosuch', with args beginning with: ",
                        () -> j.sendCommand(command("nosuch")));
                assertRedisError("ERR wrong number of arguments for 'get' command",
                        () -> j.sendCommand(Protocol.Command.GET));

                assertRedisError(JedisAccessControlException.class, WRONGPASS, () -> j.auth("wrong"));
                assertRedisError(JedisAccessControlException.class, WRONGPASS, () -> j.auth("default", "wrong"));
                assertRedisError(JedisAccessControlException.class, NOAUTH, () -> j.get("secret:key"));
                assertRedisError("ERR syntax error", () -> j.sendCommand(Protocol.Command.AUTH, "a", "b", "c"));

                assertEquals("OK", j.auth("s3cret"));
                assertEquals("value", j.get("secret:key"));
                assertEquals("OK", j.set("k", "v"));
                assertEquals(2, j.dbSize());
                assertEquals("OK", j.auth("default", "s3cret"));
                assertEquals("PONG", j.ping());
            }
            // HELLO needs authentication first, or its own AUTH option.
            try (RawClient raw = new RawClient(secured)) {
                assertEquals("-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
                        + "<proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
                        + "protocol version at the same time\r\n", raw.command("HELLO", "3").reply());
                assertEquals("-" + WRONGPASS + "\r\n", raw.command("HELLO", "3", "AUTH", "default", "nope").reply());
                assertEquals("-" + NOAUTH + "\r\n", raw.command("GET", "secret:key").reply());
                String hello = raw.command("HELLO", "3", "AUTH", "default", "s3cret").reply();
                assertTrue(hello.startsWith("%7\r\n"), hello);
                assertEquals("$5\r\nvalue\r\n", raw.command("GET", "secret:key").reply());
            }
            // QUIT is allowed before AUTH.
            try (RawClient raw = new RawClient(secured)) {
                assertEquals("+OK\r\n", raw.command("QUIT").reply());
                raw.assertClosedByServer();
            }
            // A wrong password in Jedis' configuration fails the connection's first use.
            JedisDataException e = assertThrows(JedisDataException.class, () -> {
                try (Jedis bad = connect(secured, JedisSupport.builder().password("wrong").build())) {
                    bad.ping();
                }
            });
            assertTrue(String.valueOf(e.getMessage()).contains("WRONGPASS")
                    || String.valueOf(e.getCause()).contains("WRONGPASS"), String.valueOf(e));
        }
    }

    // ---------------------------------------------------------------- a client that never reads

    /**
     * One client writes up to 50 MB of GETs (each answered with 1 KB) and never reads a reply. The
     * server stops reading from it once its replies back up, so the writer blocks long before 50 MB;
     * meanwhile other connections, on its shard and the other, answer as usual.
     */
    @Test
    void aClientThatPipelinesWithoutReadingDoesNotStallOthers() throws Exception {
        String value = "v".repeat(1024);
        guard.set("flood:value", value);
        List<Jedis> others = new ArrayList<>();
        try (RawClient flooder = new RawClient(server)) {
            String info = flooder.command("CLIENT", "INFO").reply();
            int floodShard = Integer.parseInt(info.replaceAll("(?s).*shard=(\\d+).*", "$1"));
            boolean sameShard = false;
            boolean otherShard = false;
            while (!(sameShard && otherShard) && others.size() < 16) {
                Jedis j = connect(server);
                others.add(j);
                boolean same = connectionShard(j) == floodShard;
                sameShard |= same;
                otherShard |= !same;
            }
            assertTrue(sameShard && otherShard, "connections on both shards");

            byte[] request = RawResp.encode("GET", "flood:value");
            byte[] chunk = new byte[(64 * 1024 / request.length) * request.length];
            for (int off = 0; off < chunk.length; off += request.length) {
                System.arraycopy(request, 0, chunk, off, request.length);
            }
            long limit = 50L << 20;
            AtomicLong written = new AtomicLong();
            AtomicReference<Throwable> writerEnd = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().name("flooder").start(() -> {
                try {
                    while (written.get() < limit) {
                        flooder.out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (Throwable e) {
                    writerEnd.set(e); // expected once the socket is closed under it
                }
            });

            // Wait until the writer is blocked: no progress for half a second (bounded by 20 s overall).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long last = -1;
            long stillSince = System.nanoTime();
            while (true) {
                long now = written.get();
                if (now != last) {
                    last = now;
                    stillSince = System.nanoTime();
                } else if (System.nanoTime() - stillSince > TimeUnit.MILLISECONDS.toNanos(500)) {
                    break;
                }
                if (!writer.isAlive() || System.nanoTime() > deadline) {
                    break;
                }
                writer.join(20); // waits on the writer itself: returns at once if it finishes
            }
            assertTrue(writer.isAlive(), "the writer got all " + written.get() + " bytes out: the server buffered "
                    + "every reply of a client that never reads (error: " + writerEnd.get() + ")");
            assertTrue(written.get() < limit, "written " + written.get());

            // Everyone else is served, on the flooder's shard and the other one.
            for (int round = 0; round < 20; round++) {
                for (Jedis j : others) {
                    String key = "flood:other:" + round;
                    assertEquals("OK", j.set(key, "x"));
                    assertEquals("x", j.get(key));
                    assertEquals(value, j.get("flood:value"));
                }
            }
            long clients = infoField(others.get(0).info("clients"), "connected_clients");
            assertTrue(clients >= others.size() + 2, "connected_clients " + clients);

            flooder.close();
            writer.join(TimeUnit.SECONDS.toMillis(10));
            assertTrue(!writer.isAlive(), "the writer is released once its socket closes");
        } finally {
            for (Jedis j : others) {
                j.close();
            }
        }
        // The server let go of the flooder: its count drops back (closes are seen asynchronously).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (infoField(guard.info("clients"), "connected_clients") > 1) {
            assertTrue(System.nanoTime() < deadline, "connections not released: " + guard.info("clients"));
            // No sleep: each INFO is a round trip to the server, which paces this bounded poll.
        }
        for (int i = 0; i < 20; i++) {
            guard.del("flood:other:" + i);
        }
        assertNull(guard.get("flood:other:0"));
        guard.del("flood:value");
    }
}
