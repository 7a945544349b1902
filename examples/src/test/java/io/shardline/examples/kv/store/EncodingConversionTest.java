package io.shardline.examples.kv.store;

import static io.shardline.examples.kv.store.TestShard.array;
import static io.shardline.examples.kv.store.TestShard.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each collection's compact encoding and its conversions at Redis's thresholds (and at lowered ones),
 * read back as OBJECT ENCODING names them; replies keep the order the encoding gives.
 */
class EncodingConversionTest {
    private final TestShard shard = new TestShard();

    private String call(String... args) {
        return shard.call(args);
    }

    private String enc(String key) {
        return ObjectCommands.encoding(shard.keyspace.peek(new Bytes(key.getBytes(StandardCharsets.ISO_8859_1))));
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    /** {@code name key prefix1 prefix2 ... prefixN} with N generated arguments. */
    private static String[] many(String name, String key, int n, java.util.function.IntFunction<String[]> args) {
        List<String> a = new ArrayList<>(List.of(name, key));
        for (int i = 0; i < n; i++) {
            a.addAll(List.of(args.apply(i)));
        }
        return a.toArray(String[]::new);
    }

    @Test
    void hashLeavesTheListpackPastEntriesOrValueLength() {
        call(many("HSET", "h", 512, i -> new String[] {"f" + i, "v"}));
        assertEquals("listpack", enc("h"));
        call("HSET", "h", "f513", "v");
        assertEquals("hashtable", enc("h"), "513 fields pass hash-max-listpack-entries 512");
        call("HSET", "v64", "f", repeat('x', 64));
        assertEquals("listpack", enc("v64"));
        call("HSET", "v64", "f", repeat('x', 65));
        assertEquals("hashtable", enc("v64"), "a longer value over an existing field converts too");
        call("HSET", "f65", repeat('f', 65), "v");
        assertEquals("hashtable", enc("f65"));
        call("HDEL", "h", "f1");
        for (int i = 2; i < 513; i++) {
            call("HDEL", "h", "f" + i);
        }
        assertEquals(integer(2), call("HLEN", "h"));
        assertEquals("hashtable", enc("h"), "a hash never goes back to a listpack");
    }

    @Test
    void hashKeepsInsertionOrderAcrossTheConversion() {
        shard.keyspace.limits().set("hash-max-ziplist-entries", 2);
        call("HSET", "h", "b", "1", "a", "2");
        assertEquals("listpack", enc("h"));
        call("HSET", "h", "a", "3");
        assertEquals(array("b", "1", "a", "3"), call("HGETALL", "h"), "a replaced value keeps its place");
        call("HSET", "h", "c", "4");
        assertEquals("hashtable", enc("h"), "the lowered limit applies to the next write");
        assertEquals(array("b", "1", "a", "3", "c", "4"), call("HGETALL", "h"));
        call("HSETNX", "n", "f", "v");
        call("HSETNX", "n", "f", repeat('x', 100));
        assertEquals("listpack", enc("n"), "HSETNX on a present field writes nothing, so converts nothing");
    }

    @Test
    void integerSetIsSortedIntsetUntilAStringOrTheCount() {
        call("SADD", "s", "30", "-2", "7");
        assertEquals("intset", enc("s"));
        assertEquals(array("-2", "7", "30"), call("SMEMBERS", "s"), "an intset replies in ascending order");
        call("SADD", "s", "x");
        assertEquals("listpack", enc("s"), "Redis 7.2: a small set takes a string as a listpack");
        assertEquals(array("-2", "7", "30", "x"), call("SMEMBERS", "s"), "the integers in order, then insertion order");
        call("SADD", "s", "07");
        assertEquals(array("-2", "7", "30", "x", "07"), call("SMEMBERS", "s"), "07 is not an integer spelling");

        call(many("SADD", "i", 512, i -> new String[] {Integer.toString(i)}));
        assertEquals("intset", enc("i"));
        call("SADD", "i", "512");
        assertEquals("hashtable", enc("i"), "past set-max-intset-entries an intset goes to the table");

        call(many("SADD", "d", 600, i -> new String[] {"1"}));
        assertEquals(integer(1), call("SCARD", "d"));
        assertEquals("hashtable", enc("d"), "SADD sizes a new set by its argument count, as setTypeCreate");

        call("SADD", "big", "1", "99999999999999999999");
        assertEquals("listpack", enc("big"), "past 64 bits an integer spelling is a string");
    }

    @Test
    void stringSetIsListpackUntilEntriesOrValueLength() {
        call(many("SADD", "s", 128, i -> new String[] {"m" + i}));
        assertEquals("listpack", enc("s"));
        call("SADD", "s", "m128");
        assertEquals("hashtable", enc("s"));
        call("SADD", "v", "a", repeat('x', 64));
        assertEquals("listpack", enc("v"));
        call("SADD", "v", repeat('y', 65));
        assertEquals("hashtable", enc("v"));
        call(many("SADD", "w", 128, i -> new String[] {Integer.toString(i)}));
        call("SADD", "w", "str");
        assertEquals("hashtable", enc("w"), "128 integers and a string pass set-max-listpack-entries");
        call("SREM", "s", "m1", "m2");
        assertEquals("hashtable", enc("s"), "no conversion back");
    }

    @Test
    void setStoreAndMoveStartCompact() {
        call("SADD", "a", "1", "2", "3");
        call("SADD", "b", "2", "3", "4");
        call("SINTERSTORE", "dst", "a", "b");
        assertEquals("intset", enc("dst"));
        call("SMOVE", "a", "m1", "1");
        assertEquals("intset", enc("m1"));
        call("SADD", "c", "x");
        call("SMOVE", "c", "m2", "x");
        assertEquals("listpack", enc("m2"));
    }

    @Test
    void sortedSetIsListpackUntilEntriesOrMemberLength() {
        call(many("ZADD", "z", 128, i -> new String[] {Integer.toString(i), "m" + i}));
        assertEquals("listpack", enc("z"));
        assertEquals(array("m0", "m1", "m2"), call("ZRANGE", "z", "0", "2"));
        call("ZADD", "z", "-1", "m128");
        assertEquals("skiplist", enc("z"));
        assertEquals(array("m128", "m0"), call("ZRANGE", "z", "0", "1"));
        call("ZADD", "long", "1", repeat('m', 65));
        assertEquals("skiplist", enc("long"), "a first member past zset-max-listpack-value starts a skip list");
        call("ZADD", "grow", "1", "a");
        call("ZADD", "grow", "2", repeat('m', 65));
        assertEquals("skiplist", enc("grow"));
        call("ZREM", "z", "m128");
        assertEquals("skiplist", enc("z"), "no conversion back");
        shard.keyspace.limits().set("zset-max-ziplist-entries", 0);
        call("ZADD", "none", "1", "a");
        assertEquals("skiplist", enc("none"));
    }

    @Test
    void sortedListpackKeepsScoreThenMemberOrder() {
        call("ZADD", "z", "2", "b", "1", "c", "2", "a", "1", "d");
        assertEquals(array("c", "d", "a", "b"), call("ZRANGE", "z", "0", "-1"));
        call("ZADD", "z", "0", "b");
        assertEquals(array("b", "c", "d", "a"), call("ZRANGE", "z", "0", "-1"));
        assertEquals(array("a", "d", "c"), call("ZRANGE", "z", "+inf", "1", "BYSCORE", "REV"));
        assertEquals(array("d"), call("ZRANGE", "z", "+inf", "1", "BYSCORE", "REV", "LIMIT", "1", "1"));
        assertEquals(array("a", "d"), call("ZRANGE", "z", "0", "1", "REV"));
        call("ZPOPMIN", "z");
        assertEquals(array("c", "d", "a"), call("ZRANGE", "z", "0", "-1"));
        assertEquals("listpack", enc("z"));
    }

    @Test
    void listIsListpackWithinOneNodeAndComesBackAtHalf() {
        String v = repeat('x', 100); // 103 bytes in a Redis listpack
        call(many("RPUSH", "l", 79, i -> new String[] {v}));
        assertEquals("listpack", enc("l"), "7 + 79 x 103 = 8144 bytes fit 8 KiB");
        call("RPUSH", "l", v);
        assertEquals("quicklist", enc("l"), "8144 + 100 passes 8192");
        for (int i = 0; i < 40; i++) {
            call("RPOP", "l");
        }
        assertEquals("quicklist", enc("l"), "7 + 40 x 103 = 4127 is more than half a node");
        call("LPOP", "l");
        assertEquals(integer(39), call("LLEN", "l"));
        assertEquals("listpack", enc("l"));
        call("LSET", "l", "0", repeat('y', 9000));
        assertEquals("quicklist", enc("l"), "LSET checks the new element's size first");
    }

    @Test
    void listCountLimitAndItsHalf() {
        shard.keyspace.limits().set("list-max-listpack-size", 3);
        call("RPUSH", "l", "a", "b", "c");
        assertEquals("listpack", enc("l"));
        call("LINSERT", "l", "BEFORE", "b", "x");
        assertEquals("quicklist", enc("l"));
        assertEquals(array("a", "x", "b", "c"), call("LRANGE", "l", "0", "-1"));
        call("LREM", "l", "0", "x");
        call("LTRIM", "l", "0", "1");
        assertEquals("quicklist", enc("l"), "2 elements are more than half of 3");
        call("RPOP", "l");
        assertEquals("listpack", enc("l"));
        assertEquals(array("a"), call("LRANGE", "l", "0", "-1"));
    }

    @Test
    void redisListpackEntrySizes() {
        assertEquals(2, ListValue.redisEntrySize("5".getBytes()));
        assertEquals(3, ListValue.redisEntrySize("-100".getBytes()));
        assertEquals(4, ListValue.redisEntrySize("30000".getBytes()));
        assertEquals(10, ListValue.redisEntrySize(Long.toString(Long.MAX_VALUE).getBytes()));
        assertEquals(5, ListValue.redisEntrySize("abc".getBytes()));
        assertEquals(2 + 100 + 1, ListValue.redisEntrySize(new byte[100]));
        assertEquals(2 + 200 + 2, ListValue.redisEntrySize(new byte[200]));
    }

    @Test
    void copyKeepsTheEncoding() {
        call("SADD", "s", "1", "2");
        call(many("ZADD", "z", 200, i -> new String[] {"1", "m" + i}));
        call("COPY", "s", "s2");
        call("COPY", "z", "z2");
        assertEquals("intset", enc("s2"));
        assertEquals("skiplist", enc("z2"));
        call("SADD", "s2", "3");
        assertEquals(array("1", "2"), call("SMEMBERS", "s"), "the copy is independent");
    }
}
