package io.shardline.examples.kv.store;

import static io.shardline.examples.kv.store.TestShard.NIL;
import static io.shardline.examples.kv.store.TestShard.OK;
import static io.shardline.examples.kv.store.TestShard.WRONGTYPE;
import static io.shardline.examples.kv.store.TestShard.array;
import static io.shardline.examples.kv.store.TestShard.bulk;
import static io.shardline.examples.kv.store.TestShard.error;
import static io.shardline.examples.kv.store.TestShard.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** String commands, replies checked byte for byte against what redis-server 7.0.15 sends. */
class CommandStringTest {
    private final TestShard shard = new TestShard();

    private String call(String... args) {
        return shard.call(args);
    }

    @Test
    void getAndSet() {
        assertEquals(NIL, call("GET", "k"));
        assertEquals(OK, call("SET", "k", "v"));
        assertEquals(bulk("v"), call("get", "k"));
        assertEquals(OK, call("set", "k", "w"));
        assertEquals(bulk("w"), call("GeT", "k"));
        assertEquals(OK, call("SET", "e", ""));
        assertEquals(bulk(""), call("GET", "e"));
    }

    @Test
    void setNxXxAndGet() {
        call("SET", "k", "v");
        assertEquals(NIL, call("SET", "k", "x", "NX"));
        assertEquals(OK, call("SET", "k", "v2", "XX"));
        assertEquals(NIL, call("SET", "missing", "v", "XX"));
        assertEquals(TestShard.NIL, call("GET", "missing"));
        assertEquals(bulk("v2"), call("SET", "k", "v3", "GET"));
        assertEquals(NIL, call("SET", "fresh", "v4", "GET"));
        assertEquals(bulk("v4"), call("GET", "fresh"));
        assertEquals(bulk("v3"), call("SET", "k", "v5", "NX", "GET")); // NX aborts, GET still answers
        assertEquals(bulk("v3"), call("GET", "k"));
        assertEquals(NIL, call("SET", "n", "v", "NX", "GET"));
        assertEquals(bulk("v"), call("GET", "n"));
    }

    @Test
    void setOptionErrors() {
        String syntax = error("ERR syntax error");
        assertEquals(syntax, call("SET", "n", "v", "NX", "XX"));
        assertEquals(syntax, call("SET", "n", "v", "XX", "NX"));
        assertEquals(syntax, call("SET", "k", "v", "EX", "100", "PX", "100"));
        assertEquals(syntax, call("SET", "k", "v", "EX"));
        assertEquals(syntax, call("SET", "k", "v", "KEEPTTL", "EX", "10"));
        assertEquals(syntax, call("SET", "k", "v", "EX", "10", "KEEPTTL"));
        assertEquals(syntax, call("SET", "k", "v", "foo"));
        assertEquals(error("ERR value is not an integer or out of range"), call("SET", "k", "v", "EX", "abc"));
        assertEquals(error("ERR invalid expire time in 'set' command"), call("SET", "k", "v", "EX", "0"));
        assertEquals(error("ERR invalid expire time in 'set' command"), call("SET", "k", "v", "EX", "-5"));
        assertEquals(error("ERR invalid expire time in 'set' command"), call("SET", "k", "v", "PX", "9223372036854775807"));
        assertEquals(error("ERR invalid expire time in 'set' command"), call("SET", "k", "v", "EX", "9223372036854775"));
        assertEquals(error("ERR invalid expire time in 'set' command"), call("SET", "k", "v", "EXAT", "0"));
        assertEquals(error("ERR invalid expire time in 'set' command"), call("SET", "k", "v", "PXAT", "-1"));
        assertEquals(0, shard.keyspace.size(), "a failed SET stores nothing");
        assertEquals(OK, call("SET", "k", "v", "EX", "10", "EX", "20")); // a repeated EX is allowed
        assertEquals(integer(20), call("TTL", "k"));
    }

    @Test
    void setExpiryOptionsAndKeepTtl() {
        assertEquals(OK, call("SET", "k", "v", "EX", "100"));
        assertEquals(integer(100_000), call("PTTL", "k"));
        assertEquals(OK, call("SET", "k", "v", "PX", "1500"));
        assertEquals(integer(1500), call("PTTL", "k"));
        assertEquals(integer(2), call("TTL", "k")); // rounded, as Redis does
        long at = TestShard.START + 60_000;
        assertEquals(OK, call("SET", "k", "v", "PXAT", Long.toString(at)));
        assertEquals(integer(60_000), call("PTTL", "k"));
        assertEquals(OK, call("SET", "k", "v", "EXAT", Long.toString(at / 1000 + 1)));
        assertEquals(integer(61_000), call("PTTL", "k"));
        assertEquals(OK, call("SET", "k", "w", "KEEPTTL"));
        assertEquals(integer(61_000), call("PTTL", "k"));
        assertEquals(OK, call("SET", "k", "w"));
        assertEquals(integer(-1), call("TTL", "k"), "a plain SET drops the TTL");
        assertEquals(OK, call("SET", "old", "v", "PXAT", "1"));
        assertEquals(NIL, call("GET", "old"), "a time in the past is stored, and the key is already gone");
    }

    @Test
    void setOverOtherTypes() {
        call("LPUSH", "l", "a");
        assertEquals(WRONGTYPE, call("SET", "l", "v", "GET"));
        assertEquals(integer(1), call("LLEN", "l"), "SET ... GET on a list changes nothing");
        assertEquals(OK, call("SET", "l", "v"));
        assertEquals(bulk("v"), call("GET", "l"));
        call("RPUSH", "l2", "a");
        assertEquals(WRONGTYPE, call("GET", "l2"));
        assertEquals(WRONGTYPE, call("GETSET", "l2", "x"));
    }

    @Test
    void getsetSetnxSetexPsetex() {
        assertEquals(NIL, call("GETSET", "k", "a"));
        assertEquals(bulk("a"), call("GETSET", "k", "b"));
        call("SET", "t", "v", "EX", "100");
        assertEquals(bulk("v"), call("GETSET", "t", "w"));
        assertEquals(integer(-1), call("TTL", "t"), "GETSET drops the TTL");
        assertEquals(integer(0), call("SETNX", "k", "z"));
        assertEquals(integer(1), call("SETNX", "newk", "z"));
        assertEquals(bulk("z"), call("GET", "newk"));
        assertEquals(OK, call("SETEX", "k", "10", "v"));
        assertEquals(integer(10), call("TTL", "k"));
        assertEquals(error("ERR invalid expire time in 'setex' command"), call("SETEX", "k", "0", "v"));
        assertEquals(error("ERR invalid expire time in 'setex' command"), call("SETEX", "k", "-1", "v"));
        assertEquals(error("ERR value is not an integer or out of range"), call("SETEX", "k", "abc", "v"));
        assertEquals(error("ERR invalid expire time in 'psetex' command"), call("PSETEX", "k", "0", "v"));
        assertEquals(OK, call("PSETEX", "k", "1000000", "v"));
        assertEquals(integer(1_000_000), call("PTTL", "k"));
    }

    @Test
    void appendAndStrlen() {
        assertEquals(integer(3), call("APPEND", "k", "abc"));
        assertEquals(integer(6), call("APPEND", "k", "xyz"));
        assertEquals(bulk("abcxyz"), call("GET", "k"));
        assertEquals(integer(6), call("STRLEN", "k"));
        assertEquals(integer(0), call("STRLEN", "nothere"));
        call("LPUSH", "l", "a");
        assertEquals(WRONGTYPE, call("APPEND", "l", "x"));
        assertEquals(WRONGTYPE, call("STRLEN", "l"));
        call("SET", "t", "v", "EX", "100");
        call("APPEND", "t", "w");
        assertEquals(integer(100), call("TTL", "t"), "APPEND keeps the TTL");
    }

    @Test
    void incrFamily() {
        assertEquals(integer(1), call("INCR", "missing"));
        assertEquals(integer(-1), call("DECR", "missing2"));
        call("SET", "i", "10");
        assertEquals(integer(11), call("INCR", "i"));
        assertEquals(integer(10), call("DECR", "i"));
        assertEquals(integer(15), call("INCRBY", "i", "5"));
        assertEquals(integer(12), call("DECRBY", "i", "3"));
        assertEquals(integer(14), call("DECRBY", "i", "-2"));
        assertEquals(bulk("14"), call("GET", "i"));
        call("SET", "t", "5", "EX", "100");
        call("INCR", "t");
        assertEquals(integer(100), call("TTL", "t"), "INCR keeps the TTL");
    }

    @Test
    void incrErrors() {
        String notInteger = error("ERR value is not an integer or out of range");
        call("SET", "i", "10");
        for (String bad : new String[] {"abc", "1.5", " 1", "+1", "01", "", "-0", "99999999999999999999"}) {
            assertEquals(notInteger, call("INCRBY", "i", bad), bad);
        }
        for (String stored : new String[] {"abc", " 1", "1 ", "01", "1.0", ""}) {
            call("SET", "s", stored);
            assertEquals(notInteger, call("INCR", "s"), stored);
        }
        call("SET", "z", "0");
        assertEquals(integer(1), call("INCR", "z"));
        call("SET", "big", "9223372036854775807");
        assertEquals(error("ERR increment or decrement would overflow"), call("INCR", "big"));
        call("SET", "small", "-9223372036854775808");
        assertEquals(error("ERR increment or decrement would overflow"), call("DECR", "small"));
        assertEquals(error("ERR increment or decrement would overflow"), call("INCRBY", "small", "-1"));
        assertEquals(error("ERR decrement would overflow"), call("DECRBY", "i", "-9223372036854775808"));
        assertEquals(bulk("-9223372036854775808"), call("GET", "small"));
        call("LPUSH", "l", "a");
        assertEquals(WRONGTYPE, call("INCR", "l"));
        assertEquals(WRONGTYPE, call("INCRBYFLOAT", "l", "1"));
    }

    @Test
    void incrbyfloatPrintsAsRedis() {
        call("SET", "f", "10.5");
        assertEquals(bulk("10.6"), call("INCRBYFLOAT", "f", "0.1"));
        assertEquals(bulk("0.1"), call("INCRBYFLOAT", "a", "0.1"));
        assertEquals(bulk("0.3"), call("INCRBYFLOAT", "a", "0.2"));
        assertEquals(bulk("3000"), call("INCRBYFLOAT", "b", "3.0e3"));
        assertEquals(bulk("0.00000015"), call("INCRBYFLOAT", "c", "1.5e-7"));
        assertEquals(bulk("16"), call("INCRBYFLOAT", "d", "0x10"));
        assertEquals(bulk("0.125"), call("INCRBYFLOAT", "e", "0x1p-3"));
        assertEquals(bulk("0"), call("INCRBYFLOAT", "g", "1e-20"));
        assertEquals(bulk("0"), call("INCRBYFLOAT", "h", "-0.0"));
        assertEquals(bulk("123456789.12345678899873747"), call("INCRBYFLOAT", "j", "123456789.123456789"));
        assertEquals(bulk("-3.14159265358979324"), call("INCRBYFLOAT", "m", "-3.14159265358979323846"));
        assertEquals(bulk("0.5"), call("INCRBYFLOAT", "n", ".5"));
        assertEquals(bulk("5"), call("INCRBYFLOAT", "o", "5."));
        assertEquals(bulk("1"), call("INCRBYFLOAT", "p", "+1"));
        call("INCRBYFLOAT", "q", "10");
        assertEquals(bulk("-0.5"), call("INCRBYFLOAT", "q", "-10.5"));
        assertEquals(bulk("1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750"
                + "49719035037250861427483590359255618467298391309626052074864628732713564184365329408425510760601678972"
                + "6652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144"),
                call("INCRBYFLOAT", "r", "1e300"));
        call("SET", "t", "1", "EX", "100");
        call("INCRBYFLOAT", "t", "1");
        assertEquals(integer(100), call("TTL", "t"), "INCRBYFLOAT keeps the TTL");
    }

    @Test
    void incrbyfloatErrors() {
        String notFloat = error("ERR value is not a valid float");
        for (String bad : new String[] {"abc", "1e5000", "nan", " 1", "", "1e", "1.5 "}) {
            assertEquals(notFloat, call("INCRBYFLOAT", "f", bad), bad);
        }
        call("SET", "s", "1.5 ");
        assertEquals(notFloat, call("INCRBYFLOAT", "s", "1"));
        String nanOrInf = error("ERR increment would produce NaN or Infinity");
        assertEquals(nanOrInf, call("INCRBYFLOAT", "f", "inf"));
        assertEquals(nanOrInf, call("INCRBYFLOAT", "f", "-infinity"));
        call("SET", "i", "infinity");
        assertEquals(nanOrInf, call("INCRBYFLOAT", "i", "1"));
        assertEquals(NIL, call("GET", "f"), "a refused INCRBYFLOAT creates nothing");
    }

    @Test
    void mgetAndMset() {
        call("SET", "a", "1");
        call("LPUSH", "l", "x");
        assertEquals("*3\r\n$1\r\n1\r\n$-1\r\n$-1\r\n", call("MGET", "a", "nokey", "l"));
        assertEquals(OK, call("MSET", "a", "10", "b", "20"));
        assertEquals(array("10", "20"), call("MGET", "a", "b"));
        assertEquals(error("ERR wrong number of arguments for 'mset' command"), call("MSET", "a", "1", "b"));
        call("SET", "t", "v", "EX", "100");
        call("MSET", "t", "w");
        assertEquals(integer(-1), call("TTL", "t"), "MSET drops the TTL");
        assertEquals(OK, call("MSET", "l", "s"));
        assertEquals(bulk("s"), call("GET", "l"), "MSET replaces any type");
    }
}
