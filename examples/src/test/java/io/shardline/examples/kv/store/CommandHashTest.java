package io.shardline.examples.kv.store;

import static io.shardline.examples.kv.store.TestShard.EMPTY;
import static io.shardline.examples.kv.store.TestShard.NIL;
import static io.shardline.examples.kv.store.TestShard.WRONGTYPE;
import static io.shardline.examples.kv.store.TestShard.array;
import static io.shardline.examples.kv.store.TestShard.bulk;
import static io.shardline.examples.kv.store.TestShard.error;
import static io.shardline.examples.kv.store.TestShard.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** HSET, HGET, HDEL, HGETALL, HINCRBY, HLEN. */
class CommandHashTest {
    private final TestShard shard = new TestShard();

    private String call(String... args) {
        return shard.call(args);
    }

    @Test
    void setGetDelete() {
        assertEquals(integer(2), call("HSET", "h", "f1", "v1", "f2", "v2"));
        assertEquals(integer(1), call("HSET", "h", "f1", "x", "f3", "v3"));
        assertEquals(bulk("x"), call("HGET", "h", "f1"));
        assertEquals(NIL, call("HGET", "h", "nof"));
        assertEquals(NIL, call("HGET", "nokey", "f"));
        assertEquals(array("f1", "x", "f2", "v2", "f3", "v3"), call("HGETALL", "h"));
        assertEquals(EMPTY, call("HGETALL", "nokey"));
        assertEquals(integer(3), call("HLEN", "h"));
        assertEquals(integer(0), call("HLEN", "nokey"));
        assertEquals(integer(1), call("HDEL", "h", "f1", "nof"));
        assertEquals(integer(0), call("HDEL", "nokey", "f"));
        assertEquals(integer(2), call("HDEL", "h", "f2", "f3"));
        assertEquals(integer(0), call("EXISTS", "h"), "an emptied hash is deleted");
    }

    @Test
    void fieldsKeepInsertionOrder() {
        call("HSET", "h", "b", "1", "a", "2", "c", "3");
        call("HSET", "h", "a", "9");
        call("HDEL", "h", "b");
        call("HSET", "h", "b", "5");
        assertEquals(array("a", "9", "c", "3", "b", "5"), call("HGETALL", "h"));
    }

    @Test
    void hsetArity() {
        assertEquals(error("ERR wrong number of arguments for 'hset' command"), call("HSET", "h", "f1", "v1", "f2"));
        assertEquals(error("ERR wrong number of arguments for 'hset' command"), call("HSET", "h", "f1"));
        assertEquals(integer(0), call("EXISTS", "h"));
    }

    @Test
    void hincrby() {
        call("HSET", "h", "n", "10", "s", "abc");
        assertEquals(integer(15), call("HINCRBY", "h", "n", "5"));
        assertEquals(integer(-5), call("HINCRBY", "h", "n", "-20"));
        assertEquals(integer(7), call("HINCRBY", "h", "new", "7"));
        assertEquals(integer(3), call("HINCRBY", "fresh", "f", "3"));
        assertEquals(array("f", "3"), call("HGETALL", "fresh"));
        assertEquals(error("ERR hash value is not an integer"), call("HINCRBY", "h", "s", "1"));
        assertEquals(error("ERR value is not an integer or out of range"), call("HINCRBY", "h", "n", "abc"));
        assertEquals(error("ERR value is not an integer or out of range"), call("HINCRBY", "h", "n", "1.5"));
        call("HSET", "h", "big", "9223372036854775807", "small", "-9223372036854775808", "sp", " 1");
        assertEquals(error("ERR increment or decrement would overflow"), call("HINCRBY", "h", "big", "1"));
        assertEquals(error("ERR increment or decrement would overflow"), call("HINCRBY", "h", "small", "-1"));
        assertEquals(error("ERR hash value is not an integer"), call("HINCRBY", "h", "sp", "1"));
    }

    @Test
    void wrongType() {
        call("SET", "k", "v");
        for (String[] c : new String[][] {{"HSET", "k", "f", "v"}, {"HGET", "k", "f"}, {"HDEL", "k", "f"},
                {"HGETALL", "k"}, {"HINCRBY", "k", "f", "1"}, {"HLEN", "k"}}) {
            assertEquals(WRONGTYPE, call(c), Arrays.toString(c));
        }
        assertEquals(error("ERR value is not an integer or out of range"), call("HINCRBY", "k", "f", "x"),
                "the increment is checked before the key");
    }
}
