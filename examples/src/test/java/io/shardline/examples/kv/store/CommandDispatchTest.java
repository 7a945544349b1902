package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.shardline.examples.kv.CommandTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Command lookup in any case, unknown names, and Redis' arity table. */
class CommandDispatchTest {
    private final TestShard shard = new TestShard();

    @Test
    void namesInAnyCase() {
        assertEquals("+OK\r\n", shard.call("SeT", "k", "v"));
        assertEquals("$1\r\nv\r\n", shard.call("gEt", "k"));
        assertEquals("$1\r\nv\r\n", shard.call("GET", "k"));
        assertNotEquals("unknown", shard.call("zPopMin", "k2"), "a mixed-case name finds its command");
    }

    @Test
    void unknownNamesAreLeftToTheCaller() {
        assertEquals("unknown", shard.call("FOO", "k"));
        assertEquals("unknown", shard.call("KEYS", "*"), "cross-shard commands are not run here");
        assertEquals("unknown", shard.call("GETX", "k"));
        assertEquals("unknown", shard.call("averyveryverylongcommandname"));
        assertNull(CommandTable.lookup(new byte[0]), "an empty name is no command");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "get, GET", "get, GET a b", "set, SET a", "getset, GETSET a", "getset, GETSET a b c", "setnx, SETNX a",
        "setex, SETEX a 1", "psetex, PSETEX a 1", "append, APPEND a", "strlen, STRLEN", "strlen, STRLEN a b",
        "incr, INCR", "incr, INCR a b", "decr, DECR", "incrby, INCRBY a", "decrby, DECRBY a",
        "incrbyfloat, INCRBYFLOAT a", "mget, MGET", "mset, MSET a", "del, DEL", "unlink, UNLINK", "exists, EXISTS",
        "expire, EXPIRE a", "pexpire, PEXPIRE a", "expireat, EXPIREAT a", "pexpireat, PEXPIREAT a", "ttl, TTL",
        "ttl, TTL a b", "pttl, PTTL", "persist, PERSIST", "type, TYPE", "type, TYPE a b", "lpush, LPUSH a",
        "rpush, RPUSH a", "lpop, LPOP", "rpop, RPOP", "lrange, LRANGE a 0", "llen, LLEN", "sadd, SADD a",
        "srem, SREM a", "smembers, SMEMBERS", "spop, SPOP", "scard, SCARD", "sismember, SISMEMBER a",
        "hset, HSET a b", "hget, HGET a", "hdel, HDEL a", "hgetall, HGETALL", "hincrby, HINCRBY a b", "hlen, HLEN",
        "zadd, ZADD a 1", "zrange, ZRANGE a 0", "zrem, ZREM a", "zscore, ZSCORE a", "zpopmin, ZPOPMIN", "zcard, ZCARD"
    })
    void arityErrorsNameTheCommandInLowercase(String name, String line) {
        String reply = shard.call(line.split(" "));
        assertEquals("-ERR wrong number of arguments for '" + name + "' command\r\n", reply);
    }
}
