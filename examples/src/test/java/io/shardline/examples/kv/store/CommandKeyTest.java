package io.shardline.examples.kv.store;

import static io.shardline.examples.kv.store.TestShard.NIL;
import static io.shardline.examples.kv.store.TestShard.OK;
import static io.shardline.examples.kv.store.TestShard.bulk;
import static io.shardline.examples.kv.store.TestShard.error;
import static io.shardline.examples.kv.store.TestShard.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** DEL, EXISTS, TYPE and the expiry commands, on a fake clock. */
class CommandKeyTest {
    private final TestShard shard = new TestShard();

    private String call(String... args) {
        return shard.call(args);
    }

    @Test
    void delUnlinkExists() {
        call("MSET", "a", "1", "b", "2", "c", "3");
        assertEquals(integer(3), call("EXISTS", "a", "a", "b", "nokey"), "repeats count");
        assertEquals(integer(2), call("DEL", "a", "b", "nokey", "a"));
        assertEquals(integer(0), call("DEL", "a"));
        assertEquals(integer(1), call("UNLINK", "c", "nokey"));
        assertEquals(integer(0), call("EXISTS", "a", "b", "c"));
    }

    @Test
    void type() {
        call("SET", "s", "v");
        call("LPUSH", "l", "a");
        call("SADD", "st", "a");
        call("HSET", "h", "f", "v");
        call("ZADD", "z", "1", "m");
        assertEquals("+string\r\n", call("TYPE", "s"));
        assertEquals("+list\r\n", call("TYPE", "l"));
        assertEquals("+set\r\n", call("TYPE", "st"));
        assertEquals("+hash\r\n", call("TYPE", "h"));
        assertEquals("+zset\r\n", call("TYPE", "z"));
        assertEquals("+none\r\n", call("TYPE", "nokey"));
    }

    @Test
    void expireOptions() {
        call("SET", "k", "v");
        assertEquals(integer(1), call("EXPIRE", "k", "100"));
        assertEquals(integer(100), call("TTL", "k"));
        assertEquals(integer(0), call("EXPIRE", "k", "100", "NX"));
        assertEquals(integer(1), call("EXPIRE", "k", "200", "xx"));
        assertEquals(integer(0), call("EXPIRE", "k", "50", "GT"));
        assertEquals(integer(1), call("EXPIRE", "k", "500", "gt"));
        assertEquals(integer(500), call("TTL", "k"));
        assertEquals(integer(0), call("EXPIRE", "k", "600", "LT"));
        assertEquals(integer(1), call("EXPIRE", "k", "50", "LT"));
        assertEquals(integer(50), call("TTL", "k"));
        call("SET", "p", "v");
        assertEquals(integer(0), call("EXPIRE", "p", "10", "GT"), "no TTL counts as infinite for GT");
        assertEquals(integer(1), call("EXPIRE", "p", "10", "LT"), "and LT always passes it");
        call("SET", "q", "v");
        assertEquals(integer(0), call("EXPIRE", "q", "10", "XX"));
        assertEquals(integer(0), call("EXPIRE", "nokey", "10"));
    }

    @Test
    void expireErrors() {
        call("SET", "k", "v");
        assertEquals(error("ERR NX and XX, GT or LT options at the same time are not compatible"),
                call("EXPIRE", "k", "10", "NX", "XX"));
        assertEquals(error("ERR NX and XX, GT or LT options at the same time are not compatible"),
                call("EXPIRE", "k", "10", "nx", "gt"));
        assertEquals(error("ERR GT and LT options at the same time are not compatible"),
                call("EXPIRE", "k", "10", "GT", "LT"));
        assertEquals(error("ERR Unsupported option foo"), call("EXPIRE", "k", "10", "foo"));
        assertEquals(error("ERR value is not an integer or out of range"), call("EXPIRE", "k", "abc"));
        assertEquals(error("ERR invalid expire time in 'expire' command"), call("EXPIRE", "k", "9223372036854775807"));
        assertEquals(error("ERR invalid expire time in 'expire' command"), call("EXPIRE", "k", "-9223372036854775808"));
        assertEquals(error("ERR invalid expire time in 'pexpire' command"), call("PEXPIRE", "k", "9223372036854775807"));
        assertEquals(error("ERR invalid expire time in 'expireat' command"), call("EXPIREAT", "k", "9223372036854775807"));
        assertEquals(error("ERR value is not an integer or out of range"), call("PEXPIREAT", "k", "abc"));
        assertEquals(integer(-1), call("TTL", "k"), "refused EXPIREs change nothing");
    }

    @Test
    void pastTimesDeleteAtOnce() {
        call("SET", "a", "v");
        assertEquals(integer(1), call("EXPIRE", "a", "-1"));
        assertEquals(integer(0), call("EXISTS", "a"));
        call("SET", "b", "v");
        assertEquals(integer(1), call("EXPIRE", "b", "0"));
        assertEquals(NIL, call("GET", "b"));
        call("SET", "c", "v");
        assertEquals(integer(1), call("PEXPIREAT", "c", "1"));
        assertEquals(integer(0), call("EXISTS", "c"));
        call("SET", "d", "v");
        assertEquals(integer(1), call("PEXPIREAT", "d", Long.toString(TestShard.START)));
        assertEquals(integer(0), call("EXISTS", "d"), "a time equal to now has passed for EXPIRE");
    }

    @Test
    void absoluteForms() {
        call("SET", "s", "v");
        assertEquals(integer(1), call("EXPIREAT", "s", Long.toString(TestShard.START / 1000 + 100)));
        assertEquals(integer(100), call("TTL", "s"));
        assertEquals(integer(1), call("PEXPIREAT", "s", Long.toString(TestShard.START + 1234)));
        assertEquals(integer(1234), call("PTTL", "s"));
        assertEquals(integer(1), call("PEXPIRE", "s", "2500"));
        assertEquals(integer(2500), call("PTTL", "s"));
        assertEquals(integer(3), call("TTL", "s"), "2.5 s rounds to 3");
    }

    @Test
    void ttlAndPersist() {
        assertEquals(integer(-2), call("TTL", "nokey"));
        assertEquals(integer(-2), call("PTTL", "nokey"));
        call("SET", "k", "v");
        assertEquals(integer(-1), call("TTL", "k"));
        assertEquals(integer(-1), call("PTTL", "k"));
        assertEquals(integer(0), call("PERSIST", "k"));
        call("EXPIRE", "k", "10");
        assertEquals(integer(1), call("PERSIST", "k"));
        assertEquals(integer(-1), call("TTL", "k"));
        assertEquals(integer(0), call("PERSIST", "nokey"));
    }

    @Test
    void lazyExpiryOnTheFakeClock() {
        assertEquals(OK, call("SET", "k", "v", "PX", "100"));
        shard.advance(100);
        assertEquals(integer(0), call("PTTL", "k"), "at its exact time the key still exists");
        assertEquals(bulk("v"), call("GET", "k"));
        shard.advance(1);
        assertEquals(NIL, call("GET", "k"));
        assertEquals(integer(-2), call("TTL", "k"));
        assertEquals(0, shard.keyspace.size(), "the lookup removed it");
        assertEquals(0, shard.keyspace.expiresCount());
    }

    @Test
    void expiredKeysBehaveAsAbsentForEveryCommand() {
        call("SET", "s", "5", "PX", "10");
        call("RPUSH", "l", "a");
        call("PEXPIRE", "l", "10");
        shard.advance(11);
        assertEquals(integer(1), call("INCR", "s"), "an expired string counts as 0");
        assertEquals(integer(-1), call("TTL", "s"), "and the new value has no TTL");
        assertEquals(OK, call("SET", "l", "x", "NX"), "NX sees the expired list as absent");
        assertEquals(integer(0), call("EXISTS", "zz"));
    }
}
