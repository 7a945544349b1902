package io.shardline.examples.kv.store;

import static io.shardline.examples.kv.store.TestShard.EMPTY;
import static io.shardline.examples.kv.store.TestShard.NIL;
import static io.shardline.examples.kv.store.TestShard.WRONGTYPE;
import static io.shardline.examples.kv.store.TestShard.array;
import static io.shardline.examples.kv.store.TestShard.bulk;
import static io.shardline.examples.kv.store.TestShard.error;
import static io.shardline.examples.kv.store.TestShard.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** LPUSH, RPUSH, LPOP, RPOP, LRANGE, LLEN. */
class CommandListTest {
    private final TestShard shard = new TestShard();

    private String call(String... args) {
        return shard.call(args);
    }

    @Test
    void pushAndRange() {
        assertEquals(integer(3), call("LPUSH", "l", "a", "b", "c"));
        assertEquals(integer(5), call("RPUSH", "l", "d", "e"));
        assertEquals(array("c", "b", "a", "d", "e"), call("LRANGE", "l", "0", "-1"));
        assertEquals(array("b", "a"), call("LRANGE", "l", "1", "2"));
        assertEquals(array("d", "e"), call("LRANGE", "l", "-2", "-1"));
        assertEquals(EMPTY, call("LRANGE", "l", "5", "10"));
        assertEquals(array("c", "b", "a", "d", "e"), call("LRANGE", "l", "-100", "100"));
        assertEquals(EMPTY, call("LRANGE", "l", "3", "1"));
        assertEquals(EMPTY, call("LRANGE", "nokey", "0", "-1"));
        assertEquals(error("ERR value is not an integer or out of range"), call("LRANGE", "l", "a", "1"));
        assertEquals(error("ERR value is not an integer or out of range"), call("LRANGE", "nokey", "1", "b"));
        assertEquals(integer(5), call("LLEN", "l"));
        assertEquals(integer(0), call("LLEN", "nokey"));
    }

    @Test
    void popsWithAndWithoutCount() {
        call("RPUSH", "l", "a", "b", "c", "d", "e");
        assertEquals(bulk("a"), call("LPOP", "l"));
        assertEquals(bulk("e"), call("RPOP", "l"));
        assertEquals(array("b", "c"), call("LPOP", "l", "2"));
        assertEquals(EMPTY, call("RPOP", "l", "0"));
        assertEquals(array("d"), call("RPOP", "l", "5"));
        assertEquals(integer(0), call("EXISTS", "l"), "an emptied list is deleted");
        call("RPUSH", "m", "1", "2", "3");
        assertEquals(array("3", "2"), call("RPOP", "m", "2"), "RPOP with a count pops from the tail");
    }

    @Test
    void popEdgeCases() {
        assertEquals(NIL, call("LPOP", "nokey"));
        assertEquals("*-1\r\n", call("LPOP", "nokey", "2"));
        assertEquals("*-1\r\n", call("LPOP", "nokey", "0"));
        assertEquals(error("ERR value is out of range, must be positive"), call("LPOP", "nokey", "-1"));
        assertEquals(error("ERR value is out of range, must be positive"), call("RPOP", "nokey", "abc"));
        assertEquals(error("ERR wrong number of arguments for 'lpop' command"), call("LPOP", "l", "1", "2"));
        assertEquals(error("ERR wrong number of arguments for 'rpop' command"), call("RPOP", "l", "1", "2"));
    }

    @Test
    void wrongType() {
        call("SET", "s", "v");
        assertEquals(WRONGTYPE, call("LPUSH", "s", "a"));
        assertEquals(WRONGTYPE, call("RPUSH", "s", "a"));
        assertEquals(WRONGTYPE, call("LPOP", "s"));
        assertEquals(WRONGTYPE, call("RPOP", "s", "1"));
        assertEquals(WRONGTYPE, call("LRANGE", "s", "0", "1"));
        assertEquals(WRONGTYPE, call("LLEN", "s"));
        assertEquals(bulk("v"), call("GET", "s"));
    }

    @Test
    void manyElementsThroughTheRing() {
        for (int i = 0; i < 100; i++) {
            call(i % 2 == 0 ? "LPUSH" : "RPUSH", "l", Integer.toString(i));
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 98; i >= 0; i -= 2) {
            expected.append(i).append(',');
        }
        for (int i = 1; i < 100; i += 2) {
            expected.append(i).append(',');
        }
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            String reply = call("LPOP", "l");
            got.append(reply, reply.indexOf('\n') + 1, reply.length() - 2).append(',');
        }
        assertEquals(expected.toString(), got.toString());
    }
}
