package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.shard.Shard;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a {@link KvConnection} hands replies to its socket: the replies of one read go out in one write,
 * in request order even when one of them comes from another shard, and QUIT closes only after its
 * reply. Driven in-process over a {@link LocalConnection} on shard 0 of a two-shard server.
 */
class KvConnectionOutboundTest {
    private final KvServer server = start();
    private KvConnection kv;
    private LocalConnection socket;

    private static KvServer start() {
        try {
            return KvServer.start(KvConfig.inMemory(2));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void repliesOfOneReadGoOutInOneWrite() throws Exception {
        String local = keyOn(0);
        onShard0(() -> {
            open();
            feed(cmd("SET", local, "v") + cmd("GET", local) + cmd("PING") + cmd("ECHO", "hi") + cmd("NOSUCH"));
            return null;
        });
        assertEquals("+OK\r\n$1\r\nv\r\n+PONG\r\n$2\r\nhi\r\n-ERR unknown command 'NOSUCH', with args beginning with: \r\n",
                replies());
        assertEquals(1L, onShard0(() -> socket.writes));
    }

    @Test
    void aReplyFromAnotherShardKeepsItsPlaceInThePipeline() throws Exception {
        String local = keyOn(0);
        String remote = keyOn(1);
        onShard0(() -> {
            open();
            feed(cmd("SET", local, "a") + cmd("SET", remote, "b") + cmd("GET", remote) + cmd("GET", local) + cmd("PING"));
            return null;
        });
        String expected = "+OK\r\n+OK\r\n$1\r\nb\r\n$1\r\na\r\n+PONG\r\n";
        awaitReplies(expected.length());
        assertEquals(expected, replies());
    }

    @Test
    void quitClosesAfterItsReplyAndRunsNothingAfterIt() throws Exception {
        String local = keyOn(0);
        onShard0(() -> {
            open();
            feed(cmd("SET", local, "1") + cmd("QUIT") + cmd("SET", local, "2"));
            return null;
        });
        assertEquals("+OK\r\n+OK\r\n", replies());
        assertFalse(onShard0(() -> socket.isOpen()));
        onShard0(() -> {
            open();
            feed(cmd("GET", local));
            return null;
        });
        assertEquals("$1\r\n1\r\n", replies(), "the SET after QUIT never ran");
    }

    @Test
    void helloChangesTheProtocolOfTheRepliesWrittenAfterIt() throws Exception {
        String local = keyOn(0);
        onShard0(() -> {
            open();
            feed(cmd("GET", local) + cmd("HELLO", "3") + cmd("GET", local));
            return null;
        });
        String out = replies();
        assertTrue(out.startsWith("$-1\r\n%"), out); // a RESP2 null, then HELLO's RESP3 map
        assertTrue(out.endsWith("_\r\n"), out); // the RESP3 null
    }

    /**
     * A socket write may drain the connection's queue and report it writable from inside the write
     * (io_uring's write-through does): the replies that drain sends must follow the ones being written,
     * whole, not land in the reply buffer while it is handed over.
     */
    @Test
    void turningWritableInsideAWriteKeepsTheRepliesWholeAndInOrder() throws Exception {
        String local = keyOn(0);
        String remote = keyOn(1);
        onShard0(() -> {
            open();
            feed(cmd("SET", local, "a") + cmd("SET", remote, "b"));
            kv.onWritabilityChanged(socket, false); // the socket is full: the connection stops reading
            boolean[] once = {true};
            socket.afterWrite = () -> {
                if (once[0]) {
                    once[0] = false;
                    kv.onWritabilityChanged(socket, true); // reported from inside the write
                }
            };
            feed(cmd("GET", local) + cmd("GET", remote) + cmd("PING"));
            return null;
        });
        String expected = "+OK\r\n+OK\r\n$1\r\na\r\n$1\r\nb\r\n+PONG\r\n";
        awaitReplies(expected.length());
        assertEquals(expected, replies());
        onShard0(() -> {
            feed(cmd("GET", local));
            return null;
        });
        awaitReplies(expected.length() + 7);
        assertEquals(expected + "$1\r\na\r\n", replies(), "reading went on after the drain");
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

    /** Waits (on the test thread, bounded, woken by each write) until {@code n} reply bytes are out: the remote reply's drain runs later. */
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

    private String keyOn(int shard) {
        for (int i = 0; ; i++) {
            String key = "key" + i;
            if (server.slots().shardOf(key.getBytes(StandardCharsets.UTF_8)) == shard) {
                return key;
            }
        }
    }

    private <T> T onShard0(java.util.concurrent.Callable<T> fn) throws Exception {
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
