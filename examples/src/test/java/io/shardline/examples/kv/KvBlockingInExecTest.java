package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardline.shard.Shard;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Blocking commands run by EXEC ({@link KvConnection#inExec}) never block, as Redis' CLIENT_DENY_BLOCKING:
 * nothing there answers the null array at once (BLMOVE and BRPOPLPUSH: LMOVE's null bulk), data there
 * is popped as usual, over one shard or several. Driven in-process over a {@link LocalConnection} on
 * shard 0 of a 3-shard server.
 */
class KvBlockingInExecTest {
    private final KvServer server = start();
    private KvConnection kv;
    private LocalConnection socket;

    private static KvServer start() {
        try {
            return KvServer.start(KvConfig.inMemory(3));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void insideExecNothingThereAnswersAtOnceAndNothingWaits() throws Exception {
        String a = JedisSupport.keyOn("ea", 0, 3);
        String b = JedisSupport.keyOn("eb", 1, 3);
        String c = JedisSupport.keyOn("ec", 2, 3);
        String expected = "*-1\r\n*-1\r\n*-1\r\n*-1\r\n*-1\r\n$-1\r\n$-1\r\n:1\r\n*2\r\n" + bulk(c) + "$1\r\nv\r\n" + "_\r\n";
        onShard0(() -> {
            kv = new KvConnection(server);
            socket = new LocalConnection(Shard.current().loop());
            socket.captured = new ByteArrayOutputStream();
            kv.onOpen(socket);
            kv.inExec = true;
            feed(cmd("BLPOP", a, "0") + cmd("BRPOP", b, "0") + cmd("BLPOP", a, b, c, "0") + cmd("BZPOPMIN", c, a, "0")
                    + cmd("BLMPOP", "0", "2", b, c, "LEFT") + cmd("BLMOVE", b, c, "LEFT", "RIGHT", "0")
                    + cmd("BRPOPLPUSH", a, a, "0") + cmd("RPUSH", c, "v") + cmd("BLPOP", a, b, c, "0") + cmd("HELLO", "3"));
            return null;
        });
        awaitReplies(expected.length() - 3);
        onShard0(() -> {
            feed(cmd("BZMPOP", "0", "3", a, b, c, "MAX"));
            return null;
        });
        String out = awaitReplies(-1);
        String withoutHello = out.substring(0, out.indexOf('%')) + out.substring(out.lastIndexOf("_\r\n"));
        assertEquals(expected, withoutHello);
        for (int s = 0; s < 3; s++) {
            assertEquals(0, (int) server.onShard(s, () -> server.shards().local().waiters().entries()).get(30, TimeUnit.SECONDS));
        }
    }

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    private static String cmd(String... args) {
        return new String(RawResp.encode(args), StandardCharsets.UTF_8);
    }

    private void feed(String requests) {
        kv.onData(socket, ByteBuffer.wrap(requests.getBytes(StandardCharsets.UTF_8)));
    }

    /** Waits until {@code n} reply bytes are out (or, for -1, until the last request's RESP3 null), then returns them. */
    private String awaitReplies(int n) throws Exception {
        CountDownLatch out = new CountDownLatch(1);
        onShard0(() -> {
            socket.afterWrite = () -> {
                String s = socket.captured.toString(StandardCharsets.UTF_8);
                if (n >= 0 ? s.length() >= n : s.endsWith("_\r\n") && s.indexOf('%') >= 0 && s.lastIndexOf("_\r\n") > s.lastIndexOf('%')) {
                    out.countDown();
                }
            };
            socket.afterWrite.run();
            return null;
        });
        if (!out.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("replies so far: " + onShard0(() -> socket.captured.toString(StandardCharsets.UTF_8)));
        }
        return onShard0(() -> socket.captured.toString(StandardCharsets.UTF_8));
    }

    private <T> T onShard0(Callable<T> fn) throws Exception {
        return server.onShard(0, fn).get(30, TimeUnit.SECONDS);
    }
}
