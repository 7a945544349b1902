package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** Snapshots taken while commands run, and replies that keep the protocol of their request. */
class KvCompactionAndOrderingTest {
    @TempDir
    Path dir;

    @Test
    void aSnapshotAfterEveryWriteStillRestartsWithEveryKeyIncludingCollectionsPoppedEmpty() throws Exception {
        // compactBytes = 1: every logged write asks for a snapshot.
        KvConfig config = KvConfig.inMemory(2).withDataDir(dir).withFsync("always").withCompactBytes(1);
        try (KvServer kv = KvServer.start(config); Jedis j = JedisSupport.connect(kv)) {
            for (int i = 0; i < 50; i++) {
                j.rpush("q" + i, "a", "b");
                j.rpop("q" + i);
                j.rpop("q" + i); // empties the list: the key goes
                j.sadd("s" + i, "m");
                j.spop("s" + i);
                j.set("k" + i, "v" + i);
                j.incr("n");
            }
        }
        long snapshots;
        try (var files = java.nio.file.Files.find(dir, 4, (p, a) -> p.getFileName().toString().endsWith(".snap"))) {
            snapshots = files.count();
        }
        assertTrue(snapshots > 0, "no snapshot was taken");
        try (KvServer kv = KvServer.start(config); Jedis j = JedisSupport.connect(kv)) {
            assertEquals(51, j.dbSize());
            assertEquals("50", j.get("n"));
            for (int i = 0; i < 50; i++) {
                assertEquals("v" + i, j.get("k" + i));
                assertEquals(0, j.exists("q" + i, "s" + i));
            }
        }
    }

    @Test
    void aMultiKeyReplyKeepsTheProtocolOfItsRequestWhenHelloFollowsInThePipeline() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(4))) {
            List<String> keys = JedisSupport.keys("mk", 40, 4); // keys on every shard, none set
            String[] mget = new String[keys.size() + 1];
            mget[0] = "MGET";
            for (int i = 0; i < keys.size(); i++) {
                mget[i + 1] = keys.get(i);
            }
            try (Socket s = new Socket("127.0.0.1", kv.port())) {
                OutputStream out = s.getOutputStream();
                out.write(RawResp.encode(mget));
                out.write(RawResp.encode("HELLO", "3"));
                out.write(RawResp.encode("GET", keys.get(0)));
                out.flush();
                InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                assertEquals("*40\r\n" + "$-1\r\n".repeat(40), RawResp.readReply(in), "MGET answers in RESP2, as asked");
                assertTrue(RawResp.readReply(in).startsWith("%7\r\n"));
                assertEquals("_\r\n", RawResp.readReply(in), "after HELLO 3, RESP3");
            }
        }
    }
}
