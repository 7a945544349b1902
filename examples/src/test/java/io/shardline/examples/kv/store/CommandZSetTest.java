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

/** ZADD, ZRANGE, ZREM, ZSCORE, ZPOPMIN, ZCARD (RESP2; RESP3 shapes are in CommandResp3Test). */
class CommandZSetTest {
    private final TestShard shard = new TestShard();

    private String call(String... args) {
        return shard.call(args);
    }

    @Test
    void zaddAndZscore() {
        assertEquals(integer(3), call("ZADD", "z", "1", "a", "2", "b", "3", "c"));
        assertEquals(integer(0), call("ZADD", "z", "1.5", "a"));
        assertEquals(bulk("1.5"), call("ZSCORE", "z", "a"));
        assertEquals(integer(2), call("ZADD", "z", "CH", "1.5", "a", "10", "b", "4", "d"), "CH counts changes");
        assertEquals(integer(1), call("ZADD", "z", "NX", "100", "a", "5", "e"));
        assertEquals(bulk("1.5"), call("ZSCORE", "z", "a"));
        assertEquals(integer(0), call("ZADD", "z", "XX", "100", "a", "5", "f"));
        assertEquals(bulk("100"), call("ZSCORE", "z", "a"));
        assertEquals(NIL, call("ZSCORE", "z", "f"));
        assertEquals(NIL, call("ZSCORE", "nokey", "a"));
        assertEquals(integer(5), call("ZCARD", "z"));
        assertEquals(integer(0), call("ZCARD", "nokey"));
        assertEquals(integer(0), call("ZADD", "nokey", "XX", "1", "a"));
        assertEquals(integer(0), call("EXISTS", "nokey"), "XX on a missing key creates nothing");
    }

    @Test
    void zaddGtLtIncr() {
        call("ZADD", "z", "5", "a");
        assertEquals(integer(0), call("ZADD", "z", "GT", "CH", "1", "a"));
        assertEquals(integer(1), call("ZADD", "z", "GT", "CH", "1000", "a"));
        assertEquals(integer(0), call("ZADD", "z", "LT", "CH", "2000", "a"));
        assertEquals(integer(1), call("ZADD", "z", "LT", "CH", "0.5", "a"));
        assertEquals(integer(1), call("ZADD", "z", "GT", "7", "new"), "GT still adds new members");
        assertEquals(bulk("5.5"), call("ZADD", "z", "INCR", "5", "a"));
        assertEquals(NIL, call("ZADD", "z", "INCR", "GT", "-1", "a"));
        assertEquals(bulk("4.5"), call("ZADD", "z", "INCR", "LT", "-1", "a"));
        assertEquals(NIL, call("ZADD", "z", "INCR", "NX", "1", "a"));
        assertEquals(bulk("1"), call("ZADD", "z", "INCR", "NX", "1", "fresh"));
        assertEquals(NIL, call("ZADD", "z", "INCR", "XX", "1", "nonexist"));
        assertEquals(NIL, call("ZADD", "nokey", "XX", "INCR", "1", "a"));
    }

    @Test
    void zaddErrors() {
        call("ZADD", "z", "1", "a");
        assertEquals(error("ERR XX and NX options at the same time are not compatible"), call("ZADD", "z", "XX", "NX", "1", "a"));
        String gtLtNx = error("ERR GT, LT, and/or NX options at the same time are not compatible");
        assertEquals(gtLtNx, call("ZADD", "z", "GT", "NX", "1", "a"));
        assertEquals(gtLtNx, call("ZADD", "z", "LT", "NX", "1", "a"));
        assertEquals(gtLtNx, call("ZADD", "z", "GT", "LT", "1", "a"));
        assertEquals(error("ERR INCR option supports a single increment-element pair"),
                call("ZADD", "z", "INCR", "1", "a", "2", "b"));
        assertEquals(error("ERR syntax error"), call("ZADD", "z", "1", "a", "2"));
        String notFloat = error("ERR value is not a valid float");
        for (String bad : new String[] {"abc", "nan", "1e400", "1e-400", " 1", "1 "}) {
            assertEquals(notFloat, call("ZADD", "z", bad, "x"), bad);
        }
        assertEquals(notFloat, call("ZADD", "z", "1", "ok", "bad", "x"), "all scores are checked first");
        assertEquals(NIL, call("ZSCORE", "z", "ok"));
        call("ZADD", "z", "inf", "infm");
        assertEquals(error("ERR resulting score is not a number (NaN)"), call("ZADD", "z", "INCR", "-inf", "infm"));
        assertEquals(bulk("inf"), call("ZSCORE", "z", "infm"));
    }

    @Test
    void scoreSpellings() {
        call("ZADD", "z", "0x10", "hex", "+5", "plus", "-inf", "ninf", "1e20", "big", "0.25", "q");
        assertEquals(bulk("16"), call("ZSCORE", "z", "hex"));
        assertEquals(bulk("5"), call("ZSCORE", "z", "plus"));
        assertEquals(bulk("-inf"), call("ZSCORE", "z", "ninf"));
        assertEquals(bulk("1e+20"), call("ZSCORE", "z", "big"));
        assertEquals(bulk("0.25"), call("ZSCORE", "z", "q"));
        call("ZADD", "z", "-0", "zero");
        assertEquals(bulk("0"), call("ZSCORE", "z", "zero"), "a small sorted set stores -0 as 0");
        assertEquals(bulk("-0"), call("ZADD", "z2", "INCR", "-0.0", "m"), "but INCR replies the sum");
    }

    @Test
    void zrangeByIndex() {
        call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        assertEquals(array("a", "b", "c", "d"), call("ZRANGE", "z", "0", "-1"));
        assertEquals(array("a", "1", "b", "2"), call("ZRANGE", "z", "0", "1", "WITHSCORES"));
        assertEquals(array("d", "4", "c", "3"), call("ZRANGE", "z", "0", "1", "withscores", "REV"));
        assertEquals(array("b", "c", "d"), call("ZRANGE", "z", "-3", "-1"));
        assertEquals(EMPTY, call("ZRANGE", "z", "2", "1"));
        assertEquals(EMPTY, call("ZRANGE", "z", "100", "200"));
        assertEquals(EMPTY, call("ZRANGE", "nokey", "0", "-1"));
        call("ZADD", "ties", "1", "b", "1", "a", "1", "c", "0", "z", "1", "ab");
        assertEquals(array("z", "a", "ab", "b", "c"), call("ZRANGE", "ties", "0", "-1"), "equal scores in byte order");
    }

    @Test
    void zrangeByScore() {
        call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        assertEquals(array("b", "c", "d", "e"), call("ZRANGE", "z", "(1", "5", "BYSCORE"));
        assertEquals(array("a", "b", "c", "d"), call("ZRANGE", "z", "1", "(5", "BYSCORE"));
        assertEquals(array("b", "2", "c", "3"), call("ZRANGE", "z", "(1", "(4", "BYSCORE", "WITHSCORES"));
        assertEquals(array("b", "c"), call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2"));
        assertEquals(array("c", "d", "e"), call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "2", "-1"));
        assertEquals(EMPTY, call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2"));
        assertEquals(EMPTY, call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "2", "0"));
        assertEquals(EMPTY, call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "100", "1"));
        assertEquals(array("e", "d", "c", "b", "a"), call("ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV"));
        assertEquals(array("d", "4", "c", "3"), call("ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2", "WITHSCORES"));
        assertEquals(EMPTY, call("ZRANGE", "z", "5", "1", "BYSCORE"));
        assertEquals(EMPTY, call("ZRANGE", "z", "(1", "(1", "BYSCORE"));
        assertEquals(array("a", "b", "c", "d", "e"), call("ZRANGE", "z", "", "5", "BYSCORE"), "an empty bound reads as 0");
        assertEquals(array("a", "b", "c", "d", "e"), call("ZRANGE", "z", " 1", "5", "BYSCORE"), "strtod skips spaces");
        assertEquals(array("a"), call("ZRANGE", "z", "(", "1", "BYSCORE"));
        assertEquals(EMPTY, call("ZRANGE", "z", "1e400", "inf", "BYSCORE"));
    }

    @Test
    void zrangeByLex() {
        call("ZADD", "lex", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e");
        assertEquals(array("b", "c", "d"), call("ZRANGE", "lex", "[b", "[d", "BYLEX"));
        assertEquals(array("c"), call("ZRANGE", "lex", "(b", "(d", "BYLEX"));
        assertEquals(array("a", "b"), call("ZRANGE", "lex", "-", "(c", "BYLEX"));
        assertEquals(array("d", "e"), call("ZRANGE", "lex", "[d", "+", "BYLEX"));
        assertEquals(array("e", "d", "c", "b", "a"), call("ZRANGE", "lex", "+", "-", "BYLEX", "REV"));
        assertEquals(array("c", "b", "a"), call("ZRANGE", "lex", "(d", "-", "BYLEX", "REV"));
        assertEquals(array("d", "c"), call("ZRANGE", "lex", "[e", "[a", "BYLEX", "REV", "LIMIT", "1", "2"));
        assertEquals(EMPTY, call("ZRANGE", "lex", "-", "-", "BYLEX"));
        assertEquals(EMPTY, call("ZRANGE", "lex", "[c", "[b", "BYLEX"));
    }

    @Test
    void zrangeErrors() {
        call("ZADD", "z", "1", "a");
        assertEquals(error("ERR value is not an integer or out of range"), call("ZRANGE", "z", "a", "1"));
        assertEquals(error("ERR syntax error"), call("ZRANGE", "z", "0", "-1", "foo"));
        assertEquals(error("ERR syntax error"), call("ZRANGE", "z", "0", "-1", "REV", "REV"));
        assertEquals(error("ERR syntax error"), call("ZRANGE", "z", "0", "-1", "BYSCORE", "BYSCORE"));
        assertEquals(error("ERR syntax error"), call("ZRANGE", "z", "0", "-1", "BYSCORE", "BYLEX"));
        assertEquals(error("ERR syntax error"), call("ZRANGE", "z", "0", "1", "LIMIT", "0"));
        assertEquals(error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"),
                call("ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"));
        assertEquals(array("a"), call("ZRANGE", "z", "0", "-1", "LIMIT", "0", "-1"), "LIMIT x -1 is no limit");
        assertEquals(error("ERR syntax error, WITHSCORES not supported in combination with BYLEX"),
                call("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"));
        assertEquals(error("ERR min or max is not a float"), call("ZRANGE", "z", "abc", "1", "BYSCORE"));
        assertEquals(error("ERR min or max is not a float"), call("ZRANGE", "z", "1", "(abc", "BYSCORE"));
        assertEquals(error("ERR min or max is not a float"), call("ZRANGE", "z", "  ", "5", "BYSCORE"));
        assertEquals(error("ERR min or max not valid string range item"), call("ZRANGE", "z", "abc", "+", "BYLEX"));
        assertEquals(error("ERR value is not an integer or out of range"), call("ZRANGE", "z", "0", "1", "LIMIT", "a", "b", "BYSCORE"));
        assertEquals(error("ERR value is not an integer or out of range"), call("ZRANGE", "nokey", "abc", "1"));
    }

    @Test
    void zremAndZpopmin() {
        call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        assertEquals(integer(2), call("ZREM", "z", "a", "b", "nonexist"));
        assertEquals(integer(0), call("ZREM", "nokey", "a"));
        call("ZADD", "z", "0", "x", "5", "y");
        assertEquals(array("x", "0"), call("ZPOPMIN", "z"));
        assertEquals(array("c", "3", "d", "4"), call("ZPOPMIN", "z", "2"));
        assertEquals(EMPTY, call("ZPOPMIN", "z", "0"));
        assertEquals(array("y", "5"), call("ZPOPMIN", "z", "100"));
        assertEquals(integer(0), call("EXISTS", "z"), "an emptied sorted set is deleted");
        assertEquals(EMPTY, call("ZPOPMIN", "nokey"));
        assertEquals(EMPTY, call("ZPOPMIN", "nokey", "2"));
        assertEquals(error("ERR value is out of range, must be positive"), call("ZPOPMIN", "z", "-1"));
        assertEquals(error("ERR value is out of range, must be positive"), call("ZPOPMIN", "z", "abc"));
        assertEquals(error("ERR syntax error"), call("ZPOPMIN", "z", "1", "2"));
        call("ZADD", "w", "1", "only");
        assertEquals(integer(1), call("ZREM", "w", "only", "more"));
        assertEquals(integer(0), call("EXISTS", "w"));
    }

    @Test
    void wrongType() {
        call("SET", "s", "v");
        for (String[] c : new String[][] {{"ZADD", "s", "1", "a"}, {"ZRANGE", "s", "0", "1"}, {"ZRANGE", "s", "0", "1", "BYSCORE"},
                {"ZSCORE", "s", "a"}, {"ZREM", "s", "a"}, {"ZCARD", "s"}, {"ZPOPMIN", "s"}}) {
            assertEquals(WRONGTYPE, call(c), Arrays.toString(c));
        }
    }

    @Test
    void largeSetRanksStayConsistent() {
        for (int i = 0; i < 500; i++) {
            call("ZADD", "z", Integer.toString((i * 37) % 500), "m" + i);
        }
        for (int i = 0; i < 500; i += 3) {
            call("ZREM", "z", "m" + i);
        }
        String all = call("ZRANGE", "z", "0", "-1", "WITHSCORES");
        String[] lines = all.split("\r\n");
        double last = Double.NEGATIVE_INFINITY;
        int count = 0;
        for (int i = 4; i < lines.length; i += 4) {
            double score = Double.parseDouble(lines[i]);
            org.junit.jupiter.api.Assertions.assertTrue(score >= last);
            last = score;
            count++;
        }
        assertEquals(integer(count), call("ZCARD", "z"));
        for (int rank = 0; rank < count; rank += 17) {
            String one = call("ZRANGE", "z", Integer.toString(rank), Integer.toString(rank), "WITHSCORES");
            String[] l = one.split("\r\n");
            assertEquals(lines[2 + 4 * rank], l[2], "member at rank " + rank);
        }
    }
}
