package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * BGREWRITEAOF: Redis's reply at once, every shard's log compacted (a snapshot each, seen in INFO
 * shards), and a restart afterwards brings back every key, those written after the rewrite too.
 */
class JedisRewriteAofTest {
    private static final int SHARDS = 3;

    @TempDir
    Path dir;

    @Test
    void rewriteCompactsEveryShardAndKeepsTheData() throws Exception {
        KvConfig config = KvConfig.inMemory(SHARDS).withDataDir(dir).withFsync("always");
        try (KvServer kv = KvServer.start(config); Jedis j = connect(kv)) {
            for (int i = 0; i < 30; i++) {
                j.set("k" + i, "v" + i);
            }
            assertEquals("Background append only file rewriting started", j.bgrewriteaof());
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (j.info("shards").split("snapshots=0").length > 1) { // polled: the rewrite runs in the background
                assertTrue(System.nanoTime() < deadline, () -> "a shard never compacted: " + j.info("shards"));
                Thread.onSpinWait();
            }
            assertEquals(SHARDS + 1, j.info("shards").split("snapshots=[1-9]").length, "one snapshot per shard");
            j.set("after", "rewrite");
        }
        try (KvServer kv = KvServer.start(config); Jedis j = connect(kv)) {
            for (int i = 0; i < 30; i++) {
                assertEquals("v" + i, j.get("k" + i));
            }
            assertEquals("rewrite", j.get("after"));
        }
    }
}
