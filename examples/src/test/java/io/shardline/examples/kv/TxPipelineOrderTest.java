package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardline.examples.Polling;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A connection's batches of pipelined transactions run in the order they were sent ({@link TxPipeline})
 * even when the first must wait for a lock on a lower shard: the test holds that lock, sends a
 * transaction over two shards, and, once it waits, a second transaction on its higher shard's key in a
 * second write, then a read of that key. The second may not overtake the first.
 */
class TxPipelineOrderTest {
    @Test
    void aLaterBatchWaitsForAnEarlierOneThatWaitsForALock() throws Exception {
        try (KvServer server = KvServer.start(KvConfig.inMemory(2))) {
            String a = JedisSupport.keyOn("low", 0, 2);
            String b = JedisSupport.keyOn("high", 1, 2);
            TxLocks.Key[] held = {new TxLocks.Key(0, a.getBytes(StandardCharsets.US_ASCII))};
            server.onShard(0, () -> {
                server.shards().local().locks().acquire(held, true, () -> {
                });
                return null;
            }).get(10, TimeUnit.SECONDS);
            try (Socket s = new Socket("127.0.0.1", server.port()); Socket watcher = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(10_000);
                watcher.setSoTimeout(10_000);
                InputStream in = new BufferedInputStream(s.getInputStream());
                InputStream watcherIn = new BufferedInputStream(watcher.getInputStream());
                send(s, "CLIENT SETNAME ordered", "MULTI", "SET " + a + " 1", "SET " + b + " 1", "EXEC");
                Polling.await("the first transaction waits for the lock", Duration.ofSeconds(10),
                        () -> server.onShard(0, () -> server.shards().local().locks().waiting()).get() == 1);
                send(s, "MULTI", "SET " + b + " 2", "EXEC", "GET " + b);
                Polling.await("the second write is read (its GET is the client's last command)", Duration.ofSeconds(10), () -> {
                    send(watcher, "CLIENT LIST");
                    return RawResp.readReply(watcherIn).matches("(?s).*name=ordered .*cmd=get .*");
                });
                server.onShard(0, () -> {
                    server.shards().local().locks().release(held);
                    return null;
                }).get(10, TimeUnit.SECONDS);
                for (String expected : new String[] {"+OK\r\n", "+OK\r\n", "+QUEUED\r\n", "+QUEUED\r\n", "*2\r\n+OK\r\n+OK\r\n",
                        "+OK\r\n", "+QUEUED\r\n", "*1\r\n+OK\r\n", "$1\r\n2\r\n"}) {
                    assertEquals(expected, RawResp.readReply(in));
                }
                send(s, "GET " + b); // every reply is in: the second transaction's write is the last one
                assertEquals("$1\r\n2\r\n", RawResp.readReply(in));
            }
        }
    }

    private static void send(Socket s, String... lines) throws java.io.IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String l : lines) {
            all.writeBytes(RawResp.encode(RawResp.split(l)));
        }
        s.getOutputStream().write(all.toByteArray());
        s.getOutputStream().flush();
    }
}
