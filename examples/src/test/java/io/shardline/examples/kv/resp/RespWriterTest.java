package io.shardline.examples.kv.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Expected bytes are what redis-server sends: 7.0.15 for the {@code %.17g} doubles and every other
 * type, Redis' own fpconv/d2string code (7.2+) for the shortest doubles.
 */
class RespWriterTest {

    /** The bytes {@code w} holds, one char per byte, then cleared. */
    private static String drain(RespWriter w) {
        ByteBuffer b = w.take();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        w.clear();
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static String resp(int protocol, Consumer<RespWriter> write) {
        RespWriter w = new RespWriter();
        w.protocol(protocol);
        write.accept(w);
        return drain(w);
    }

    private static void both(String resp2, String resp3, Consumer<RespWriter> write) {
        assertEquals(resp2, resp(2, write), "RESP2");
        assertEquals(resp3, resp(3, write), "RESP3");
    }

    @Test
    void simpleStringsAndErrors() {
        both("+OK\r\n", "+OK\r\n", w -> w.simple("OK"));
        both("-ERR syntax error\r\n", "-ERR syntax error\r\n", w -> w.error("ERR syntax error"));
        both("-WRONGTYPE Operation\r\n", "-WRONGTYPE Operation\r\n", w -> w.error("WRONGTYPE Operation"));
        both("-ERR a  b c\r\n", "-ERR a  b c\r\n", w -> w.error("ERR a\r\nb\nc")); // each of CR, LF a space
        both("+a b\r\n", "+a b\r\n", w -> w.simple("a\rb"));
        both("-ERR Protocol error: expected '$', got '\u00e9'\r\n", "-ERR Protocol error: expected '$', got '\u00e9'\r\n",
                w -> w.error(new RespProtocolError(RespProtocolError.Kind.EXPECTED_DOLLAR, (byte) 0xe9).replyText()));
        both("+\u00c3\u00a9\r\n", "+\u00c3\u00a9\r\n", w -> w.simple("\u00e9")); // UTF-8
    }

    @Test
    void integers() {
        both(":0\r\n", ":0\r\n", w -> w.integer(0));
        both(":1\r\n", ":1\r\n", w -> w.integer(1));
        both(":-1\r\n", ":-1\r\n", w -> w.integer(-1));
        both(":1234567890\r\n", ":1234567890\r\n", w -> w.integer(1234567890));
        both(":9223372036854775807\r\n", ":9223372036854775807\r\n", w -> w.integer(Long.MAX_VALUE));
        both(":-9223372036854775808\r\n", ":-9223372036854775808\r\n", w -> w.integer(Long.MIN_VALUE));
        RespWriter w = new RespWriter();
        for (long v = -100_000; v <= 100_000; v += 7) {
            w.integer(v);
            assertEquals(":" + v + "\r\n", drain(w));
        }
        for (long v : new long[] {9, 10, 99, 100, 999_999_999_999L, -10, Long.MAX_VALUE / 10, Long.MIN_VALUE + 1}) {
            w.integer(v);
            assertEquals(":" + v + "\r\n", drain(w));
        }
    }

    @Test
    void bulkStrings() {
        both("$5\r\nhello\r\n", "$5\r\nhello\r\n", w -> w.bulk("hello".getBytes(StandardCharsets.US_ASCII)));
        both("$0\r\n\r\n", "$0\r\n\r\n", w -> w.bulk(new byte[0]));
        both("$0\r\n\r\n", "$0\r\n\r\n", w -> w.bulk(""));
        both("$3\r\nell\r\n", "$3\r\nell\r\n", w -> w.bulk("hello".getBytes(StandardCharsets.US_ASCII), 1, 3));
        both("$4\r\na\r\nb\r\n", "$4\r\na\r\nb\r\n", w -> w.bulk("a\r\nb")); // binary safe: CRLF kept
        // UTF-8: é is 2 bytes, € 3, 😀 4; an unpaired surrogate is '?', as String.getBytes.
        String text = "\u00e9\u20ac\ud83d\ude00\ud800";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        both("$" + utf8.length + "\r\n" + new String(utf8, StandardCharsets.ISO_8859_1) + "\r\n",
                "$" + utf8.length + "\r\n" + new String(utf8, StandardCharsets.ISO_8859_1) + "\r\n", w -> w.bulk(text));
        both("$11\r\nhello", "$11\r\nhello", w -> w.bulkHeader(11).raw("hello".getBytes(StandardCharsets.US_ASCII)));
        both("\r\n", "\r\n", RespWriter::crlf);
        assertThrows(IndexOutOfBoundsException.class, () -> new RespWriter().bulk(new byte[2], 1, 2));
    }

    @Test
    void nulls() {
        both("$-1\r\n", "_\r\n", RespWriter::nullBulk);
        both("*-1\r\n", "_\r\n", RespWriter::nullArray);
    }

    @Test
    void aggregateHeaders() {
        both("*0\r\n", "*0\r\n", w -> w.arrayHeader(0));
        both("*3\r\n", "*3\r\n", w -> w.arrayHeader(3));
        both("*4\r\n", "%2\r\n", w -> w.mapHeader(2));
        both("*0\r\n", "%0\r\n", w -> w.mapHeader(0));
        both("*5\r\n", "~5\r\n", w -> w.setHeader(5));
        both("*0\r\n", "~0\r\n", w -> w.setHeader(0));
        assertThrows(IllegalArgumentException.class, () -> new RespWriter().arrayHeader(-1));
        // HGETALL of a two-field hash, as Redis sends it.
        both("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", "%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n",
                w -> w.mapHeader(2).bulk("a").bulk("1").bulk("b").bulk("2"));
    }

    @Test
    void booleans() {
        both(":1\r\n", "#t\r\n", w -> w.bool(true));
        both(":0\r\n", "#f\r\n", w -> w.bool(false));
    }

    @Test
    void doublesInBothProtocols() {
        both("$3\r\n1.5\r\n", ",1.5\r\n", w -> w.doubleValue(1.5));
        both("$1\r\n1\r\n", ",1\r\n", w -> w.doubleValue(1.0));
        both("$3\r\ninf\r\n", ",inf\r\n", w -> w.doubleValue(Double.POSITIVE_INFINITY));
        both("$4\r\n-inf\r\n", ",-inf\r\n", w -> w.doubleValue(Double.NEGATIVE_INFINITY));
        both("$3\r\n0.1\r\n", ",0.1\r\n", w -> w.doubleValue(0.1));
        both("$23\r\n2.2250738585072014e-308\r\n", ",2.2250738585072014e-308\r\n", w -> w.doubleValue(Double.MIN_NORMAL));
        Consumer<RespWriter> old = w -> {
            w.doubleFormat(DoubleFormat.REDIS_7_0);
            w.doubleValue(0.1);
        };
        both("$19\r\n0.10000000000000001\r\n", ",0.10000000000000001\r\n", old);
    }

    /** ZSCORE replies of redis-server 7.0.15 (RESP2), score as given to ZADD. */
    @Test
    void doubleFormatOfRedis70() {
        String[][] cases = {
            {"1.5", "1.5"}, {"1", "1"}, {"0.1", "0.10000000000000001"}, {"1e20", "1e+20"}, {"1e17", "1e+17"},
            {"1e16", "10000000000000000"}, {"123456789012345678", "1.2345678901234568e+17"},
            {"1.5e-7", "1.4999999999999999e-07"}, {"0.0001", "0.0001"}, {"0.00001", "1.0000000000000001e-05"},
            {"3.141592653589793", "3.1415926535897931"}, {"1e308", "1e+308"}, {"5e-324", "4.9406564584124654e-324"},
            {"100", "100"}, {"-2.5", "-2.5"}, {"1e15", "1000000000000000"}, {"12345.678", "12345.678"},
            {"2.2250738585072014e-308", "2.2250738585072014e-308"}, {"0.3", "0.29999999999999999"},
            {"9007199254740993", "9007199254740992"}, {"4.35", "4.3499999999999996"}, {"1e22", "1e+22"},
            {"1e21", "1e+21"}, {"123e-20", "1.23e-18"}, {"inf", "inf"}, {"-inf", "-inf"}, {"-0.0", "-0"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], DoubleFormat.REDIS_7_0.format(Double.parseDouble(c[0].replace("inf", "Infinity"))), c[0]);
        }
    }

    /** Output of Redis 7.2's d2string (double2ll fast path, then fpconv's Grisu2). */
    @Test
    void doubleFormatOfRedis72() {
        String[][] cases = {
            {"1.5", "1.5"}, {"1", "1"}, {"0.1", "0.1"}, {"0.3", "0.3"}, {"1e20", "1e+20"}, {"1e21", "1e+21"},
            {"1e17", "100000000000000000"}, {"1e16", "10000000000000000"},
            {"123456789012345678", "123456789012345680"}, {"1.5e-7", "1.5e-7"}, {"0.0001", "0.0001"},
            {"0.00001", "0.00001"}, {"3.141592653589793", "3.141592653589793"}, {"1e308", "1e+308"},
            {"5e-324", "5e-324"}, {"-2.5", "-2.5"}, {"12345.678", "12345.678"},
            {"2.2250738585072014e-308", "2.2250738585072014e-308"}, {"9007199254740993", "9007199254740992"},
            {"4.35", "4.35"}, {"1e22", "1e+22"}, {"123e-20", "1.23e-18"},
            {"4.611686018427388E18", "4611686018427387904"}, {"9.223372036854776E18", "9223372036854776000"},
            {"1e-7", "1e-7"}, {"1.7976931348623157e308", "1.7976931348623157e+308"}, {"100", "100"},
            {"-0.0", "-0"}, {"0", "0"}, {"0.3333333333333333", "0.3333333333333333"},
            {"0.6666666666666666", "0.6666666666666666"}, {"1e100", "1e+100"},
            {"1.2345678901234567e-100", "1.2345678901234567e-100"}, {"5e-310", "5e-310"},
            {"123456.7890123", "1.234567890123e+5"}, // fpconv's layout rule, not %g's
            {"inf", "inf"}, {"-inf", "-inf"}, {"NaN", "nan"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], DoubleFormat.REDIS_7_2.format(Double.parseDouble(c[0].replace("inf", "Infinity"))), c[0]);
        }
    }

    @Test
    void grisuPowerTableMatchesFpconv() {
        // Entries of fpconv_powers.h: 10^-348, 10^4, 10^12, 10^20, 10^340.
        assertEquals(Long.parseUnsignedLong("18054884314459144840"), Grisu2.powerFrac(0));
        assertEquals(-1220, Grisu2.powerExp(0));
        assertEquals(Long.parseUnsignedLong("11258999068426240000"), Grisu2.powerFrac(44));
        assertEquals(-50, Grisu2.powerExp(44));
        assertEquals(Long.parseUnsignedLong("16777216000000000000"), Grisu2.powerFrac(45));
        assertEquals(Long.parseUnsignedLong("12500000000000000000"), Grisu2.powerFrac(46));
        assertEquals(3, Grisu2.powerExp(46));
        assertEquals(Long.parseUnsignedLong("12648080533535911531"), Grisu2.powerFrac(86));
        assertEquals(1066, Grisu2.powerExp(86));
    }

    @Test
    void shortestFormatReadsBackToTheSameDouble() {
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 200_000; i++) {
            double d = Double.longBitsToDouble(rnd.nextLong());
            if (Double.isNaN(d)) {
                continue;
            }
            assertEquals(d, Double.parseDouble(DoubleFormat.REDIS_7_2.format(d).replace("inf", "Infinity")), "" + d);
            assertEquals(d, Double.parseDouble(DoubleFormat.REDIS_7_0.format(d).replace("inf", "Infinity")), "" + d);
        }
    }

    @Test
    void protocolSwitchesBetweenReplies() {
        RespWriter w = new RespWriter();
        w.nullBulk();
        w.protocol(3);
        w.nullBulk().mapHeader(1);
        w.protocol(2);
        w.mapHeader(1);
        assertEquals("$-1\r\n_\r\n%1\r\n*2\r\n", drain(w));
        assertThrows(IllegalArgumentException.class, () -> w.protocol(4));
    }

    @Test
    void bufferGrowsIsReusedAndShrinksBack() {
        for (boolean direct : new boolean[] {false, true}) {
            RespWriter w = new RespWriter(64, 1024, direct);
            byte[] big = new byte[5000];
            java.util.Arrays.fill(big, (byte) 'v');
            w.simple("OK").bulk(big).integer(7);
            assertEquals(direct, w.take().isDirect());
            w.clear();
            w.simple("OK").bulk(big).integer(7);
            assertEquals("+OK\r\n$5000\r\n" + "v".repeat(5000) + "\r\n:7\r\n", drain(w));
            assertEquals(64, w.capacity(), "a buffer grown past keepCapacity is dropped on clear");
            w.simple("PONG");
            assertEquals(7, w.size());
            ByteBuffer out = w.take();
            assertEquals(0, out.position());
            assertEquals(7, out.limit());
            w.clear();
            assertEquals(0, w.size());
            assertEquals(64, w.capacity(), "kept while small");
        }
    }

    @Test
    void numbersAndDoublesAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RespWriter w = new RespWriter(1 << 16, 1 << 16, true);
        w.protocol(3);
        Runnable work = () -> {
            for (int i = 0; i < 1000; i++) {
                w.integer(i * 7919L - 3_000_000).arrayHeader(i).bulkHeader(i).doubleValue(i / 7.0).doubleValue(i)
                        .bool(true).nullBulk().simple("OK");
            }
            w.take();
            w.clear();
        };
        for (int i = 0; i < 200; i++) {
            work.run(); // warm up
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 200; i++) {
            work.run();
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64 * 1024, allocated + " bytes for 1.6M replies");
    }
}
