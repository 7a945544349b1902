package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Replies whose RESP3 shape differs from RESP2, checked against redis-server 7.0 after HELLO 3. */
class CommandResp3Test {
    private final TestShard shard = new TestShard();

    private String call3(String... args) {
        return shard.call3(args);
    }

    @Test
    void nullsAreUnderscores() {
        assertEquals("_\r\n", call3("GET", "nokey"));
        assertEquals("_\r\n", call3("LPOP", "nokey"));
        assertEquals("_\r\n", call3("LPOP", "nokey", "2"));
        assertEquals("_\r\n", call3("SPOP", "nokey"));
        assertEquals("_\r\n", call3("ZSCORE", "nokey", "m"));
        assertEquals("_\r\n", call3("HGET", "nokey", "f"));
        assertEquals("*2\r\n_\r\n_\r\n", call3("MGET", "a", "b"));
    }

    @Test
    void scoresAreDoubles() {
        call3("ZADD", "z", "1.5", "m", "2", "n");
        assertEquals(",1.5\r\n", call3("ZSCORE", "z", "m"));
        assertEquals(",3.5\r\n", call3("ZADD", "z", "INCR", "2", "m"));
        assertEquals("$4\r\n13.5\r\n", call3("INCRBYFLOAT", "f", "13.5"), "INCRBYFLOAT stays a bulk string");
    }

    @Test
    void withScoresNestsPairs() {
        call3("ZADD", "z", "1.5", "m", "2", "n");
        assertEquals("*2\r\n*2\r\n$1\r\nm\r\n,1.5\r\n*2\r\n$1\r\nn\r\n,2\r\n", call3("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        assertEquals("*1\r\n*2\r\n$1\r\nn\r\n,2\r\n", call3("ZRANGE", "z", "(1.5", "+inf", "BYSCORE", "WITHSCORES"));
        assertEquals("*2\r\n$1\r\nm\r\n$1\r\nn\r\n", call3("ZRANGE", "z", "0", "-1"));
    }

    @Test
    void zpopminNestsOnlyWithACount() {
        call3("ZADD", "z", "1", "a", "2", "b", "3", "c");
        assertEquals("*2\r\n$1\r\na\r\n,1\r\n", call3("ZPOPMIN", "z"));
        assertEquals("*2\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n", call3("ZPOPMIN", "z", "5"));
        assertEquals("*0\r\n", call3("ZPOPMIN", "z"));
    }

    @Test
    void hashesAreMapsAndSetsAreSets() {
        call3("HSET", "h", "f", "v");
        assertEquals("%1\r\n$1\r\nf\r\n$1\r\nv\r\n", call3("HGETALL", "h"));
        assertEquals("%0\r\n", call3("HGETALL", "nokey"));
        call3("SADD", "s", "x");
        assertEquals("~1\r\n$1\r\nx\r\n", call3("SMEMBERS", "s"));
        assertEquals("~0\r\n", call3("SMEMBERS", "nokey"));
        assertEquals("~0\r\n", call3("SPOP", "nokey", "2"));
        assertEquals("~1\r\n$1\r\nx\r\n", call3("SPOP", "s", "2"));
    }

    @Test
    void integersAndStatusesAreUnchanged() {
        assertEquals("+OK\r\n", call3("SET", "k", "v"));
        assertEquals(":1\r\n", call3("EXISTS", "k"));
        assertEquals("+string\r\n", call3("TYPE", "k"));
        assertEquals(":0\r\n", call3("SISMEMBER", "s", "x"));
    }
}
