package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.shard.Shard;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single-key requests of one read for one other shard travel as one {@link Forwarded} run: one mesh
 * message, their replies back as one, each still in its place in the connection's line. Driven
 * in-process over a {@link LocalConnection} on shard 0 of a three-shard server, so a pipeline can mix
 * this shard with two others.
 */
class KvForwardedRunTest {
    private KvServer server;
    private KvConnection kv;
    private LocalConnection socket;

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aPipelinedBurstForAnotherShardIsOneMeshMessage() throws Exception {
        start(KvConfig.inMemory(3));
        String remote = keyOn(1, 0);
        StringBuilder in = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            in.append(cmd("SET", remote, "v" + i)).append(cmd("GET", remote));
            expected.append("+OK\r\n$").append(("v" + i).length()).append("\r\nv").append(i).append("\r\n");
        }
        long sentBefore = sent();
        onShard0(() -> {
            open();
            feed(in.toString());
            return null;
        });
        awaitReplies(expected.length());
        assertEquals(expected.toString(), replies());
        assertEquals(1, sent() - sentBefore, "32 requests for one other shard, one message");
    }

    @Test
    void runsForTwoShardsAndLocalRepliesKeepRequestOrder() throws Exception {
        start(KvConfig.inMemory(3));
        String local = keyOn(0, 0);
        String one = keyOn(1, 0);
        String two = keyOn(2, 0);
        String requests = cmd("SET", one, "a") + cmd("GET", one) // the run for shard 1
                + cmd("SET", local, "L") // here, at once
                + cmd("APPEND", one, "b") // shard 1's run again, after a reply from here
                + cmd("SET", two, "b") + cmd("APPEND", two, "c") // the run for shard 2
                + cmd("GET", one) // shard 1's run, after requests for shard 2
                + cmd("GET", local) + cmd("PING") + cmd("GET", two) // PING sends the runs gathered so far
                + cmd("MGET", one, local, two) // a multi-key request: the runs before it are sent first
                + cmd("GET", one); // a new run, after MGET's part on shard 1
        String expected = "+OK\r\n$1\r\na\r\n+OK\r\n:2\r\n+OK\r\n:2\r\n$2\r\nab\r\n$1\r\nL\r\n+PONG\r\n$2\r\nbc\r\n"
                + "*3\r\n$2\r\nab\r\n$1\r\nL\r\n$2\r\nbc\r\n$2\r\nab\r\n";
        long sentBefore = sent();
        onShard0(() -> {
            open();
            feed(requests);
            return null;
        });
        awaitReplies(expected.length());
        assertEquals(expected, replies());
        // PING, a command of the connection, sends what is gathered first: [SET, GET, APPEND, GET]→1 and
        // [SET, APPEND]→2; then [GET]→2 before MGET, MGET's parts for 1 and 2, and [GET]→1 at the end.
        assertEquals(6, sent() - sentBefore);
    }

    @Test
    void anErrorInTheMiddleOfARunTakesOnlyItsOwnPlace() throws Exception {
        start(KvConfig.inMemory(3));
        String remote = keyOn(1, 0);
        String requests = cmd("SET", remote, "x") + cmd("INCR", remote) + cmd("LPUSH", remote, "e")
                + cmd("GET", remote, "extra") + cmd("APPEND", remote, "y") + cmd("GET", remote);
        String expected = "+OK\r\n-ERR value is not an integer or out of range\r\n"
                + "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
                + "-ERR wrong number of arguments for 'get' command\r\n:2\r\n$2\r\nxy\r\n";
        onShard0(() -> {
            open();
            feed(requests);
            return null;
        });
        awaitReplies(expected.length());
        assertEquals(expected, replies());
    }

    @Test
    void quitInsideARunClosesAfterTheRunsRepliesAndRunsNothingAfterIt() throws Exception {
        start(KvConfig.inMemory(3));
        String remote = keyOn(1, 0);
        onShard0(() -> {
            open();
            feed(cmd("SET", remote, "1") + cmd("INCR", remote) + cmd("QUIT") + cmd("SET", remote, "3"));
            return null;
        });
        awaitReplies("+OK\r\n:2\r\n+OK\r\n".length());
        assertEquals("+OK\r\n:2\r\n+OK\r\n", replies());
        assertFalse(onShard0(() -> socket.isOpen()));
        onShard0(() -> {
            open();
            feed(cmd("GET", remote));
            return null;
        });
        awaitReplies(4);
        assertEquals("$1\r\n2\r\n", replies(), "the SET after QUIT never ran");
    }

    @Test
    void aLongPipelineIsCutIntoBoundedRunsAndPausedAtThePendingCap() throws Exception {
        start(KvConfig.inMemory(3));
        String remote = keyOn(1, 0);
        int n = 3 * KvConnection.MAX_PENDING;
        StringBuilder in = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < n; i++) {
            in.append(cmd("INCR", remote));
            expected.append(':').append(i + 1).append("\r\n");
        }
        long sentBefore = sent();
        onShard0(() -> {
            open();
            feed(in.toString());
            return null;
        });
        awaitReplies(expected.length());
        assertEquals(expected.toString(), replies());
        long messages = sent() - sentBefore;
        assertTrue(messages >= (n + Forwarded.MAX_REQUESTS - 1) / Forwarded.MAX_REQUESTS,
                messages + " messages: no run holds more than " + Forwarded.MAX_REQUESTS + " requests");
        assertTrue(messages <= n / 16, messages + " messages for " + n + " requests: they went in runs");
        assertTrue(onShard0(() -> socket.isOpen()));
    }

    @Test
    void withTheLogOnARunRepliesOnceItsWritesAreLogged() throws Exception {
        start(KvConfig.inMemory(3).withDataDir(Files.createDirectories(dir.resolve("data"))).withFsync("always"));
        String remote = keyOn(1, 0);
        String local = keyOn(0, 0);
        String requests = cmd("SET", remote, "a") + cmd("INCR", remote) + cmd("APPEND", remote, "b")
                + cmd("SET", local, "c") + cmd("GET", remote);
        String expected = "+OK\r\n-ERR value is not an integer or out of range\r\n:2\r\n+OK\r\n$2\r\nab\r\n";
        onShard0(() -> {
            open();
            feed(requests);
            return null;
        });
        awaitReplies(expected.length());
        assertEquals(expected, replies());
        server.close();
        // What the run wrote was logged on its shard: it is there after a restart.
        start(KvConfig.inMemory(3).withDataDir(dir.resolve("data")).withFsync("always"));
        onShard0(() -> {
            open();
            feed(cmd("GET", remote));
            return null;
        });
        awaitReplies(8);
        assertEquals("$2\r\nab\r\n", replies());
    }

    private void start(KvConfig config) throws Exception {
        server = KvServer.start(config);
    }

    private long sent() throws Exception {
        return onShard0(() -> Shard.current().stats().sent());
    }

    private void open() {
        kv = new KvConnection(server);
        socket = new LocalConnection(Shard.current().loop());
        socket.captured = new ByteArrayOutputStream();
        kv.onOpen(socket);
    }

    private void feed(String requests) {
        kv.onData(socket, ByteBuffer.wrap(requests.getBytes(StandardCharsets.UTF_8)));
    }

    private String replies() throws Exception {
        return onShard0(() -> socket.captured.toString(StandardCharsets.UTF_8));
    }

    /** Waits (on the test thread, bounded, woken by each write) until {@code n} reply bytes are out: remote replies drain later. */
    private void awaitReplies(int n) throws Exception {
        CountDownLatch out = new CountDownLatch(1);
        onShard0(() -> {
            socket.afterWrite = () -> {
                if (socket.captured.size() >= n) {
                    out.countDown();
                }
            };
            socket.afterWrite.run(); // the bytes may already be out
            return null;
        });
        assertTrue(out.await(30, TimeUnit.SECONDS), "timed out waiting for " + n + " reply bytes");
    }

    private String keyOn(int shard, int from) {
        for (int i = from; ; i++) {
            String key = "key" + i;
            if (server.slots().shardOf(key.getBytes(StandardCharsets.UTF_8)) == shard) {
                return key;
            }
        }
    }

    private <T> T onShard0(Callable<T> fn) throws Exception {
        return server.onShard(0, fn).get(30, TimeUnit.SECONDS);
    }

    private static String cmd(String... args) {
        StringBuilder s = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            s.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return s.toString();
    }
}
