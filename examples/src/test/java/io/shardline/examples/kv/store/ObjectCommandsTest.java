package io.shardline.examples.kv.store;

import static io.shardline.examples.kv.store.TestShard.NIL;
import static io.shardline.examples.kv.store.TestShard.bulk;
import static io.shardline.examples.kv.store.TestShard.error;
import static io.shardline.examples.kv.store.TestShard.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** OBJECT's key subcommands on one shard, on the fake clock: IDLETIME counts from the last access only. */
class ObjectCommandsTest {
    private final TestShard shard = new TestShard();
    private final RespRecorder out = new RespRecorder(2);

    private String object(String sub, String key) {
        ObjectCommands.run(shard.keyspace, io.shardline.examples.kv.resp.Argv.of(TestShard.argv("OBJECT", sub, key)), out);
        return out.take();
    }

    @Test
    void idleTimeCountsFromTheLastAccessAndObjectIsNotOne() {
        shard.call("SET", "k", "v");
        assertEquals(integer(0), object("IDLETIME", "k"));
        shard.advance(5_999);
        assertEquals(integer(5), object("IDLETIME", "k"), "whole seconds, as Redis's LRU clock");
        assertEquals(bulk("embstr"), object("ENCODING", "k"));
        assertEquals(integer(1), object("REFCOUNT", "k"));
        assertEquals(integer(5), object("IDLETIME", "k"), "OBJECT does not touch the key");
        shard.advance(1_000);
        shard.call("GET", "k");
        assertEquals(integer(0), object("IDLETIME", "k"), "a read is an access");
        shard.advance(3_000);
        shard.call("RPUSH", "l", "a");
        shard.call("TYPE", "k");
        shard.call("EXISTS", "k");
        shard.call("TTL", "k");
        assertEquals(integer(3), object("IDLETIME", "k"), "TYPE, EXISTS and TTL are no access either (LOOKUP_NOTOUCH)");
        assertEquals(integer(0), object("IDLETIME", "l"));
    }

    @Test
    void missingAndExpiredKeysAreNil() {
        assertEquals(NIL, object("ENCODING", "nokey"));
        assertEquals(NIL, object("FREQ", "nokey"), "nil before the LFU error, as Redis");
        shard.call("SET", "t", "v", "PX", "100");
        shard.advance(101);
        assertEquals(NIL, object("IDLETIME", "t"));
        assertEquals(integer(0), shard.call("EXISTS", "t"));
    }

    @Test
    void freqNeedsAnLfuPolicy() {
        shard.call("SET", "k", "v");
        assertEquals(error(ObjectCommands.NO_LFU), object("FREQ", "k"));
    }

    @Test
    void sharedIntegersReportRedisRefcount() {
        shard.call("SET", "small", "9999");
        shard.call("SET", "large", "10000");
        shard.call("SET", "neg", "-1");
        assertEquals(integer(Integer.MAX_VALUE), object("REFCOUNT", "small"));
        assertEquals(integer(1), object("REFCOUNT", "large"));
        assertEquals(integer(1), object("REFCOUNT", "neg"));
        assertEquals(bulk("int"), object("ENCODING", "neg"));
        shard.call("SET", "raw", "x".repeat(45));
        assertEquals(bulk("raw"), object("ENCODING", "raw"));
    }

    @Test
    void idleTimeAcrossTheClockWrap() {
        assertEquals(3, ObjectCommands.idleSeconds(1, Entry.LRU_MAX - 2));
        assertEquals(4, ObjectCommands.idleSeconds(10, 6));
    }
}
