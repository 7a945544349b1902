package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.sumShardField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/** TIME, LASTSAVE, SAVE, BGSAVE, DBSIZE, ECHO, PING (subscribed too) and RESET through Jedis and a raw socket. */
class JedisServerCommandsTest {
    @TempDir
    Path dir;

    @Test
    void timeIsTheWallClock() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(3)); Jedis j = connect(kv)) {
            List<String> time = j.time();
            assertEquals(2, time.size());
            long seconds = Long.parseLong(time.get(0));
            long micros = Long.parseLong(time.get(1));
            assertTrue(Math.abs(seconds - System.currentTimeMillis() / 1000) < 3600, time.toString());
            assertTrue(micros >= 0 && micros < 1_000_000, time.toString());
        }
    }

    @Test
    void saveSnapshotsEveryShardAndLastsaveFollows() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(3).withDataDir(dir)); Jedis j = connect(kv)) {
            long before = j.lastsave();
            assertTrue(before > 0);
            for (String k : JedisSupport.keys("save:", 12, 3)) {
                j.set(k, "v");
            }
            assertEquals("OK", j.save());
            assertEquals(3, sumShardField(j.info("shards"), "snapshots"), "every shard saved a snapshot");
            assertTrue(j.lastsave() >= before);
            j.set("save:more", "v");
            assertEquals("Background saving started", j.bgsave());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sumShardField(j.info("shards"), "snapshots") < 4) {
                assertTrue(System.nanoTime() < deadline, "the background save did not finish");
                Thread.onSpinWait();
            }
            assertEquals(13, j.dbSize());
        }
    }

    @Test
    void echoPingAndSubscribedPing() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(3)); Jedis j = connect(kv);
                JedisSupport.RawClient raw = new JedisSupport.RawClient(kv)) {
            assertEquals("hi", j.echo("hi"));
            assertEquals("PONG", j.ping());
            assertEquals("x", j.ping("x"));
            raw.command("SUBSCRIBE", "c");
            raw.reply();
            raw.command("PING");
            assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", raw.reply());
            raw.command("PING", "m");
            assertEquals("*2\r\n$4\r\npong\r\n$1\r\nm\r\n", raw.reply());
            raw.command("RESET");
            assertEquals("+RESET\r\n", raw.reply());
            raw.command("PING");
            assertEquals("+PONG\r\n", raw.reply());
        }
    }

    @Test
    void resetClearsNameReplyModeAndDb() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(3)); Jedis j = connect(kv)) {
            j.clientSetname("n");
            j.select(2);
            assertEquals("RESET", new String((byte[]) j.sendCommand(Protocol.Command.RESET)));
            assertNull(j.clientGetname());
            assertTrue(j.clientInfo().contains(" db=0 "));
        }
    }
}
