package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.examples.kv.CommandSpec;
import io.shardline.examples.kv.CommandTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Snapshot round trips for every type and expiry, and clear failures on bad input. */
class KeyspaceSnapshotTest {
    private final TestShard shard = new TestShard();

    private byte[] snapshot(Keyspace ks) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ks.writeSnapshot(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private Keyspace load(byte[] snapshot, long now) throws IOException {
        return Keyspace.readSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot)), () -> now);
    }

    @Test
    void everyTypeAndExpiryRoundTrips() throws IOException {
        shard.call("SET", "s", "string\r\nwith\0bytes");
        shard.call("SET", "ttl", "v", "PX", "5000");
        shard.call("RPUSH", "l", "a", "b", "", "c");
        shard.call("SADD", "set", "x", "y", "z");
        shard.call("HSET", "h", "f1", "v1", "f2", "");
        shard.call("ZADD", "z", "1.5", "a", "-inf", "b", "inf", "c", "0", "d");
        shard.call("PEXPIRE", "z", "9000");
        Keyspace copy = load(snapshot(shard.keyspace), shard.clock.now);
        assertEquals(Dump.of(shard.keyspace, false), Dump.of(copy, false));
        assertEquals(2, copy.expiresCount());
        assertEquals(6, copy.size());
    }

    @Test
    void expiredKeysAreSkippedOnWriteAndOnRead() throws IOException {
        shard.call("SET", "old", "v", "PX", "10");
        shard.call("SET", "soon", "v", "PX", "1000");
        shard.call("SET", "keep", "v");
        shard.advance(11);
        byte[] snap = snapshot(shard.keyspace);
        assertEquals(2, load(snap, shard.clock.now).size(), "old was past its time when written");
        assertEquals(1, load(snap, shard.clock.now + 5000).size(), "soon is past its time when read");
    }

    @Test
    void randomWorkloadRoundTrips() throws IOException {
        Random random = new Random(3);
        for (int i = 0; i < 5000; i++) {
            shard.call(CommandJournalTest.randomCommand(random));
            if (random.nextInt(10) == 0) {
                shard.advance(random.nextInt(200));
            }
        }
        Keyspace copy = load(snapshot(shard.keyspace), shard.clock.now);
        assertEquals(Dump.of(shard.keyspace, true), Dump.of(copy, false));
        DataCommands onCopy = new DataCommands(copy);
        RespRecorder out = new RespRecorder(2);
        onCopy.execute(((CommandSpec.OnKeys) CommandTable.lookup("zrange").handler()).command(),
                Argv.of(TestShard.argv("ZRANGE", "k1", "0", "-1", "WITHSCORES")), out, Journal.NONE);
        assertEquals(shard.call("ZRANGE", "k1", "0", "-1", "WITHSCORES"), out.take(), "the copy answers alike");
    }

    @Test
    void badInputFailsClearly() throws IOException {
        shard.call("RPUSH", "l", "a");
        byte[] good = snapshot(shard.keyspace);
        byte[] badMagic = good.clone();
        badMagic[0] ^= 1;
        assertEquals("not a keyspace snapshot (bad magic)", assertThrows(IOException.class, () -> load(badMagic, 0)).getMessage());
        byte[] badVersion = good.clone();
        badVersion[7] = 9;
        assertEquals("unsupported keyspace snapshot version 9", assertThrows(IOException.class, () -> load(badVersion, 0)).getMessage());
        byte[] badType = good.clone();
        badType[8] = 42;
        assertEquals("snapshot has an unknown value type 42", assertThrows(IOException.class, () -> load(badType, 0)).getMessage());
        assertThrows(EOFException.class, () -> load(Arrays.copyOf(good, good.length - 2), 0));
        byte[] badLength = good.clone();
        badLength[17] = (byte) 0x80; // the key length's top byte: negative
        assertTrue(assertThrows(IOException.class, () -> load(badLength, 0)).getMessage().startsWith("snapshot has a bad length"));
    }
}
