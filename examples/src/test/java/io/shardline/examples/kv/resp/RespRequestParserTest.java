package io.shardline.examples.kv.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.examples.kv.resp.RespProtocolError.Kind;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The expected answers come from redis-server 7.0.15 (Debian 12), fed the same bytes: which
 * requests it runs, which protocol error it replies, and when.
 */
class RespRequestParserTest {

    /** Bytes as ISO-8859-1, so every byte 0..255 is one char. */
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Each request as its arguments, decoded one char per byte. */
    private static final class Collector implements RespRequestSink {
        final List<List<String>> requests = new ArrayList<>();

        @Override
        public boolean onRequest(RespArgs args) {
            List<String> r = new ArrayList<>();
            for (int i = 0; i < args.count(); i++) {
                r.add(new String(args.array(i), args.offset(i), args.length(i), StandardCharsets.ISO_8859_1));
            }
            requests.add(r);
            return true;
        }
    }

    private static ByteBuffer direct(byte[] bytes, int from, int to) {
        ByteBuffer d = ByteBuffer.allocateDirect(to - from);
        d.put(bytes, from, to - from).flip();
        return d;
    }

    /** Feeds {@code input} cut at {@code cuts} (ascending), each piece in its own direct buffer, as reads arrive. */
    private static Collector feed(RespRequestParser p, byte[] input, int... cuts) {
        Collector c = new Collector();
        int from = 0;
        for (int cut : cuts) {
            ByteBuffer piece = direct(input, from, cut);
            p.parse(piece, c);
            assertEquals(0, piece.remaining(), "a read is consumed whole");
            from = cut;
        }
        ByteBuffer last = direct(input, from, input.length);
        p.parse(last, c);
        return c;
    }

    private static Collector feedBytewise(RespRequestParser p, byte[] input) {
        Collector c = new Collector();
        for (int i = 0; i < input.length && p.error() == null; i++) {
            p.parse(direct(input, i, i + 1), c);
        }
        return c;
    }

    private static List<List<String>> reqs(String[]... rs) {
        List<List<String>> out = new ArrayList<>();
        for (String[] r : rs) {
            out.add(List.of(r));
        }
        return out;
    }

    private static String[] r(String... args) {
        return args;
    }

    private static RespProtocolError errorOf(String input) {
        RespRequestParser p = new RespRequestParser();
        feed(p, b(input));
        return p.error();
    }

    private static String replyOf(RespProtocolError e) {
        return new String(e.replyText(), StandardCharsets.ISO_8859_1);
    }

    // ---- splitting and pipelining ----

    private static final String PIPELINE = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhe\r\nl\r\n"
            + "PING\r\n"
            + "*0\r\n"
            + "\r\n"
            + "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"
            + "  ECHO \"a b\\x41\" 'c'\n"
            + "*-1\r\n"
            + "*1\r\n$4\r\nPINGxx" // the CRLF after a bulk is skipped unchecked, as Redis does
            + "get  k\r\n";

    private static final List<List<String>> PIPELINE_REQUESTS = reqs(
            r("SET", "k", "he\r\nl"), r("PING"), r("ECHO", ""), r("ECHO", "a bA", "c"), r("PING"), r("get", "k"));

    @Test
    void pipelineInOneRead() {
        RespRequestParser p = new RespRequestParser();
        Collector c = feed(p, b(PIPELINE));
        assertEquals(PIPELINE_REQUESTS, c.requests);
        assertNull(p.error());
        assertFalse(p.hasPartialRequest());
    }

    @Test
    void pipelineByteAtATime() {
        RespRequestParser p = new RespRequestParser();
        assertEquals(PIPELINE_REQUESTS, feedBytewise(p, b(PIPELINE)).requests);
        assertFalse(p.hasPartialRequest());
    }

    @Test
    void pipelineSplitAtEveryPositionAndEveryPairOfPositions() {
        byte[] in = b(PIPELINE);
        for (int i = 0; i <= in.length; i++) {
            assertEquals(PIPELINE_REQUESTS, feed(new RespRequestParser(), in, i).requests, "cut at " + i);
            for (int j = i; j <= in.length; j++) {
                assertEquals(PIPELINE_REQUESTS, feed(new RespRequestParser(), in, i, j).requests,
                        "cuts at " + i + ", " + j);
            }
        }
    }

    @Test
    void heapBuffersWorkToo() {
        RespRequestParser p = new RespRequestParser();
        Collector c = new Collector();
        ByteBuffer heap = ByteBuffer.wrap(b("xx" + PIPELINE), 2, PIPELINE.length()).slice();
        p.parse(heap, c);
        assertEquals(PIPELINE_REQUESTS, c.requests);
    }

    @Test
    void requestIsHandedOverOnlyOnceItsLastCrlfArrived() {
        RespRequestParser p = new RespRequestParser();
        Collector c = new Collector();
        byte[] in = b("*1\r\n$4\r\nPING\r\n");
        p.parse(direct(in, 0, in.length - 1), c);
        assertEquals(0, c.requests.size(), "Redis waits for bulk length + 2 bytes");
        assertTrue(p.hasPartialRequest());
        p.parse(direct(in, in.length - 1, in.length), c);
        assertEquals(reqs(r("PING")), c.requests);
    }

    @Test
    void emptyRequestsAreSkipped() {
        RespRequestParser p = new RespRequestParser();
        Collector c = feed(p, b("*0\r\n*-1\r\n*-999999999999999999\r\n*-9223372036854775808\r\n\r\n\n   \r\n\t\r\nPING\n"));
        assertEquals(reqs(r("PING")), c.requests);
        assertNull(p.error());
    }

    @Test
    void byteAfterHeaderCrIsSkippedUnchecked() {
        assertEquals(reqs(r("PING")), feed(new RespRequestParser(), b("*1\rX$4\r\nPING\r\n")).requests);
    }

    // ---- inline commands ----

    private static List<String> inline(String line) {
        RespRequestParser p = new RespRequestParser();
        Collector c = feed(p, b(line + "\r\n"));
        assertNull(p.error(), line);
        assertEquals(1, c.requests.size(), line);
        return c.requests.get(0);
    }

    @Test
    void inlineQuotesAndEscapesAsSdssplitargs() {
        assertEquals(List.of("ECHO", "aA\n"), inline("ECHO \"a\\x41\\n\""));
        assertEquals(List.of("ECHO", "AJJ\u00ff"), inline("ECHO \"\\x41\\x4a\\x4A\\xff\""));
        assertEquals(List.of("ECHO", "\b\u0007\t\r\nz"), inline("ECHO \"\\b\\a\\t\\r\\n\\z\""));
        assertEquals(List.of("ECHO", "x4"), inline("ECHO \"\\x4\""));
        assertEquals(List.of("ECHO", "xZZ"), inline("ECHO \"\\xZZ\""));
        assertEquals(List.of("ECHO", "qx4g"), inline("ECHO \"\\q\\x4g\""));
        assertEquals(List.of("ECHO", "a\"b"), inline("ECHO \"a\\\"b\""));
        assertEquals(List.of("ECHO", "it's"), inline("ECHO 'it\\'s'"));
        assertEquals(List.of("ECHO", "a\\nb"), inline("ECHO 'a\\nb'"));
        assertEquals(List.of("ECHO", "\\x41"), inline("ECHO '\\x41'"));
        assertEquals(List.of("ECHO", ""), inline("ECHO \"\""));
        assertEquals(List.of("ECHO", "x"), inline("ECHO x\"\""));
        assertEquals(List.of("ECHO", "ab c"), inline("ECHO a\"b c\""));
        assertEquals(List.of("ECHO", "x"), inline("  ECHO   x  "));
        assertEquals(List.of("ECHO", "x"), inline("ECHO 'x'\t"));
        assertEquals(List.of("ECHO", "x"), inline("ECHO \"x\"\u000b"));
        assertEquals(List.of("ECHO", "x"), inline("ECHO \u000cx"));
        assertEquals(List.of("ECHO", "a\u000cb"), inline("ECHO a\u000cb"), "\\f separates only between arguments");
        assertEquals(List.of("ECHO", "\u00e9"), inline("ECHO \u00e9"), "bytes over 0x7f are not blanks");
        assertEquals(List.of("PING"), inline("PING\r"), "a CR before CRLF is a blank");
        assertEquals(List.of("PING"), inline("\rPING"));
    }

    @Test
    void inlineLineEndsAtLfWithOrWithoutCr() {
        assertEquals(reqs(r("ECHO", "x"), r("PING")), feed(new RespRequestParser(), b("ECHO x\n\rPING\r\n")).requests);
    }

    @Test
    void unbalancedQuotes() {
        for (String line : List.of("ECHO \"abc", "ECHO 'x", "ECHO \"a\"b", "ECHO a\"b c\"d", "ECHO x\"", "ECHO \"a\\\"",
                "ECHO \"\\\"", "ECHO \"x\"\"y\"", "ECHO \"\"\"\"", "set \"\"\"test-key\"\"\" test-value")) {
            RespRequestParser p = new RespRequestParser();
            Collector c = feed(p, b(line + "\r\nPING\r\n"));
            assertNotNull(p.error(), line);
            assertEquals(Kind.UNBALANCED_QUOTES, p.error().kind());
            assertEquals("ERR Protocol error: unbalanced quotes in request", replyOf(p.error()));
            assertEquals(0, c.requests.size(), "nothing after the bad line runs: " + line);
        }
    }

    // ---- protocol errors ----

    @Test
    void invalidMultibulkLength() {
        for (String in : List.of("*\r\n", "*01\r\n", "*+1\r\n", "*-0\r\n", "* 1\r\n", "*1 \r\n", "*abc\r\n",
                "*-9223372036854775809\r\n", "*-9999999999999999999\r\n", "*99999999999999999999\r\n",
                "*1048577\r\n", "*3000000000\r\n")) {
            RespProtocolError e = errorOf(in);
            assertNotNull(e, in);
            assertEquals(Kind.INVALID_MULTIBULK_LENGTH, e.kind(), in);
            assertEquals("ERR Protocol error: invalid multibulk length", replyOf(e));
        }
    }

    @Test
    void multibulkCountLimitIsConfigurableAndRedis7AcceptsUpToIntMax() {
        assertNull(errorOf("*1048576\r\n"));
        RespRequestParser redis7 = new RespRequestParser(RespLimits.REDIS_7);
        feed(redis7, b("*2147483647\r\n"));
        assertNull(redis7.error());
        feed(redis7 = new RespRequestParser(RespLimits.REDIS_7), b("*2147483648\r\n"));
        assertEquals(Kind.INVALID_MULTIBULK_LENGTH, redis7.error().kind());
    }

    @Test
    void invalidBulkLength() {
        for (String len : List.of("-1", "-0", "04", " 4", "4 ", "blabla", "", "536870913", "2000000000",
                "99999999999999999999")) {
            RespProtocolError e = errorOf("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$" + len + "\r\n");
            assertNotNull(e, len);
            assertEquals(Kind.INVALID_BULK_LENGTH, e.kind(), len);
            assertEquals("ERR Protocol error: invalid bulk length", replyOf(e));
        }
        assertNull(errorOf("*1\r\n$536870912\r\n"), "exactly proto-max-bulk-len is fine");
    }

    @Test
    void expectedDollarShowsTheByteFound() {
        assertEquals("ERR Protocol error: expected '$', got 'f'", replyOf(errorOf("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n")));
        assertEquals("ERR Protocol error: expected '$', got 'f'", replyOf(errorOf("*1\r\nfoo\r\n")));
        assertEquals("ERR Protocol error: expected '$', got ' '", replyOf(errorOf("*1\r\n\r\n")), "CR shown as space");
        assertEquals("ERR Protocol error: expected '$', got ' '", replyOf(errorOf("*1\r\n\n$4\r\n")), "LF shown as space");
        RespProtocolError e = errorOf("*1\r\n\u00e9\r\n");
        assertEquals(Kind.EXPECTED_DOLLAR, e.kind());
        assertArrayEquals(b("ERR Protocol error: expected '$', got '\u00e9'"), e.replyText(), "the raw byte, as %c");
    }

    @Test
    void tooBigInlineRequestOnlyWithoutANewlinePastTheLimit() {
        String under = "GET " + "A".repeat(65532); // 65536 pending bytes: Redis waits
        RespRequestParser p = new RespRequestParser();
        feed(p, b(under));
        assertNull(p.error());
        assertTrue(p.hasPartialRequest());
        p.parse(direct(b("A"), 0, 1), new Collector());
        assertEquals(Kind.TOO_BIG_INLINE_REQUEST, p.error().kind());
        assertEquals("ERR Protocol error: too big inline request", replyOf(p.error()));
    }

    @Test
    void tooBigInlineRequestByteAtATime() {
        RespRequestParser p = new RespRequestParser();
        feedBytewise(p, b("GET " + "A".repeat(70000)));
        assertEquals(Kind.TOO_BIG_INLINE_REQUEST, p.error().kind());
    }

    @Test
    void longInlineLineIsAcceptedWhenItsNewlineCameInTheSameRead() {
        // Redis checks the size only while no newline is pending: a 80000-byte ECHO in one read runs.
        RespRequestParser p = new RespRequestParser();
        Collector c = feed(p, b("ECHO " + "A".repeat(80000) + "\r\n"));
        assertNull(p.error());
        assertEquals(80000, c.requests.get(0).get(1).length());
    }

    @Test
    void tooBigMbulkCountString() {
        RespRequestParser p = new RespRequestParser();
        feed(p, b("*" + "1".repeat(65535)));
        assertNull(p.error());
        p.parse(direct(b("1"), 0, 1), new Collector());
        assertEquals("ERR Protocol error: too big mbulk count string", replyOf(p.error()));
    }

    @Test
    void tooBigBulkCountString() {
        RespRequestParser p = new RespRequestParser();
        feed(p, b("*1\r\n$" + "1".repeat(65535)));
        assertNull(p.error());
        p.parse(direct(b("1"), 0, 1), new Collector());
        assertEquals("ERR Protocol error: too big bulk count string", replyOf(p.error()));
        // The same line with its CR in one read is a number too long for string2ll instead.
        assertEquals(Kind.INVALID_BULK_LENGTH, errorOf("*1\r\n$" + "1".repeat(80000) + "\r\n").kind());
    }

    @Test
    void nulHidesTheTerminatorUntilTheLimit() {
        // Redis finds line ends with strchr, which stops at NUL: these lines never end.
        String[][] cases = {
            {"ECHO a\u0000b\r\nPING\r\n", "too big inline request"},
            {"*\u0000\r\n", "too big mbulk count string"},
            {"*1\r\n$\u0000\r\n", "too big bulk count string"},
        };
        for (String[] t : cases) {
            RespRequestParser p = new RespRequestParser();
            Collector c = feed(p, b(t[0]));
            assertNull(p.error(), t[0]);
            assertEquals(0, c.requests.size());
            assertTrue(p.memoryFootprint() < 8 * 1024, "a stuck line is counted, not kept");
            for (int i = 0; i < 70 && p.error() == null; i++) {
                p.parse(direct(new byte[1024], 0, 1024), c);
            }
            assertEquals("ERR Protocol error: " + t[1], replyOf(p.error()), t[0]);
        }
        // NUL inside a bulk is data.
        assertEquals(reqs(r("ECHO", "a\u0000b")), feed(new RespRequestParser(), b("*2\r\n$4\r\nECHO\r\n$3\r\na\u0000b\r\n")).requests);
    }

    @Test
    void requestsBeforeAnErrorAreHandedOverAndInputAfterItIsRefused() {
        RespRequestParser p = new RespRequestParser();
        Collector c = feed(p, b("PING\r\n*1\r\n$4\r\nPING\r\n*1\r\nx\r\nPING\r\n"));
        assertEquals(reqs(r("PING"), r("PING")), c.requests);
        assertEquals(Kind.EXPECTED_DOLLAR, p.error().kind());
        ByteBuffer more = direct(b("PING\r\n"), 0, 6);
        assertEquals(0, p.parse(more, c));
        assertEquals(6, more.remaining(), "refused, not consumed");
        assertEquals(2, c.requests.size());
    }

    // ---- limits and memory ----

    @Test
    void overLongBulkIsRejectedBeforeAllocating() {
        RespRequestParser p = new RespRequestParser();
        Collector c = feed(p, b("*1\r\n$536870913\r\n"));
        assertEquals(Kind.INVALID_BULK_LENGTH, p.error().kind());
        assertEquals(0, c.requests.size());
        assertTrue(p.memoryFootprint() < 4 * 1024, "footprint " + p.memoryFootprint());
    }

    @Test
    void overLargeCountIsRejectedBeforeAllocating() {
        RespRequestParser p = new RespRequestParser();
        feed(p, b("*1048577\r\n"));
        assertEquals(Kind.INVALID_MULTIBULK_LENGTH, p.error().kind());
        assertTrue(p.memoryFootprint() < 4 * 1024, "footprint " + p.memoryFootprint());
    }

    @Test
    void declaredHugeBulkCostsOnlyWhatArrives() {
        RespRequestParser p = new RespRequestParser();
        Collector c = feed(p, b("*2\r\n$3\r\nSET\r\n$104857600\r\nabc"));
        assertNull(p.error());
        assertTrue(p.hasPartialRequest());
        long first = p.memoryFootprint();
        assertTrue(first <= RespRequestParser.BIG_ARG_FIRST + 8 * 1024, "footprint " + first + " for 3 bytes of 100 MB");
        // Stream 4 MB more: the argument's array grows with what arrived, never to the declared 100 MB.
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 64; i++) {
            p.parse(ByteBuffer.wrap(chunk), c);
        }
        long received = 3 + 64L * chunk.length;
        assertTrue(p.memoryFootprint() <= 2 * received + 8 * 1024, "footprint " + p.memoryFootprint());
        assertEquals(0, c.requests.size());
    }

    @Test
    void aDeclaredCountDoesNotPreallocateArgumentSlots() {
        RespRequestParser p = new RespRequestParser();
        feed(p, b("*1048576\r\n$1\r\na\r\n"));
        assertNull(p.error());
        assertTrue(p.memoryFootprint() < 4 * 1024, "footprint " + p.memoryFootprint());
    }

    @Test
    void requestLargerThanMaxRequestBytesFailsWithoutAReply() {
        RespRequestParser p = new RespRequestParser(RespLimits.DEFAULT.withMaxRequestBytes(1000));
        StringBuilder in = new StringBuilder("*20\r\n");
        for (int i = 0; i < 20; i++) {
            in.append("$100\r\n").append("x".repeat(100)).append("\r\n");
        }
        Collector c = feed(p, b(in.toString()));
        assertEquals(Kind.REQUEST_TOO_LARGE, p.error().kind());
        assertFalse(p.error().hasReply());
        assertNull(p.error().replyText());
        assertEquals(0, c.requests.size());
        // A large argument counts too, as its array grows.
        p = new RespRequestParser(RespLimits.DEFAULT.withMaxRequestBytes(100_000));
        feed(p, b("*1\r\n$200000\r\n" + "y".repeat(150_000)));
        assertEquals(Kind.REQUEST_TOO_LARGE, p.error().kind());
    }

    @Test
    void smallerLimitsApply() {
        RespLimits small = new RespLimits(10, 3, 16, 1 << 20);
        RespRequestParser p = new RespRequestParser(small);
        feed(p, b("*1\r\n$11\r\n"));
        assertEquals(Kind.INVALID_BULK_LENGTH, p.error().kind());
        feed(p = new RespRequestParser(small), b("*4\r\n"));
        assertEquals(Kind.INVALID_MULTIBULK_LENGTH, p.error().kind());
        feed(p = new RespRequestParser(small), b("GET 01234567890123"));
        assertEquals(Kind.TOO_BIG_INLINE_REQUEST, p.error().kind());
        assertThrows(IllegalArgumentException.class, () -> new RespLimits(-1, 3, 16, 1));
        assertThrows(IllegalArgumentException.class, () -> new RespLimits(Integer.MAX_VALUE, 3, 16, 1));
    }

    @Test
    void megabyteArgumentsInRandomPiecesAndHandedOverWithoutACopy() {
        Random rnd = new Random(1);
        byte[] value = new byte[1 << 20];
        rnd.nextBytes(value);
        byte[] head = b("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048576\r\n");
        byte[] tail = b("\r\n*1\r\n$4\r\nPING\r\n");
        byte[] in = new byte[head.length + value.length + tail.length];
        System.arraycopy(head, 0, in, 0, head.length);
        System.arraycopy(value, 0, in, head.length, value.length);
        System.arraycopy(tail, 0, in, head.length + value.length, tail.length);
        for (int round = 0; round < 3; round++) {
            RespRequestParser p = new RespRequestParser();
            List<byte[]> kept = new ArrayList<>();
            List<String> names = new ArrayList<>();
            RespRequestSink sink = a -> {
                names.add(a.string(0));
                if (a.count() == 3) {
                    byte[] v = a.get(2);
                    assertSame(v, a.get(2), "a large argument's own array is handed over");
                    assertSame(v, a.array(2));
                    kept.add(v);
                    assertFalse(a.get(1) == a.array(1), "a small one is copied");
                }
                return true;
            };
            int pos = 0;
            while (pos < in.length) {
                int n = Math.min(in.length - pos, 1 + rnd.nextInt(round == 0 ? 7 : 70_000));
                p.parse(direct(in, pos, pos + n), sink);
                pos += n;
            }
            assertEquals(List.of("SET", "PING"), names);
            assertArrayEquals(value, kept.get(0));
            assertEquals(value.length, kept.get(0).length, "exactly sized");
        }
    }

    @Test
    void buffersGrownByABigRequestAreDroppedBetweenReads() {
        RespRequestParser p = new RespRequestParser();
        StringBuilder in = new StringBuilder("*100\r\n");
        for (int i = 0; i < 100; i++) {
            in.append("$20000\r\n").append("z".repeat(20000)).append("\r\n");
        }
        Collector c = new Collector();
        byte[] bytes = b(in.toString());
        p.parse(direct(bytes, 0, bytes.length / 2), c);
        assertTrue(p.memoryFootprint() > 900_000, "the half request is held: " + p.memoryFootprint());
        p.parse(direct(bytes, bytes.length / 2, bytes.length), c);
        assertEquals(1, c.requests.size());
        assertEquals(100, c.requests.get(0).size());
        assertTrue(p.memoryFootprint() < 70 * 1024, "footprint " + p.memoryFootprint());
    }

    // ---- pausing ----

    @Test
    void sinkCanPauseAndResume() {
        RespRequestParser p = new RespRequestParser();
        List<String> seen = new ArrayList<>();
        boolean[] go = {false};
        RespRequestSink sink = a -> {
            seen.add(a.string(0));
            return go[0];
        };
        byte[] first = b("A\r\nB\r\n*1\r\n$1\r\nC");
        ByteBuffer in = direct(first, 0, first.length);
        assertEquals(1, p.parse(in, sink));
        assertEquals(List.of("A"), seen);
        assertTrue(p.isPaused());
        assertEquals(0, in.remaining(), "the rest was kept, the caller's buffer is free");
        assertEquals(1, p.resume(sink));
        assertEquals(List.of("A", "B"), seen);
        go[0] = true;
        assertEquals(0, p.parse(direct(b("\r"), 0, 1), sink), "new input queues behind the kept input");
        assertEquals(2, p.parse(direct(b("\nD\r\n"), 0, 4), sink));
        assertEquals(List.of("A", "B", "C", "D"), seen);
        assertFalse(p.isPaused());
    }

    // ---- arguments ----

    @Test
    void argsViewsAndHelpers() {
        RespRequestParser p = new RespRequestParser();
        List<byte[][]> copies = new ArrayList<>();
        p.parse(ByteBuffer.wrap(b("*3\r\n$3\r\nsEt\r\n$3\r\nkey\r\n$2\r\n\u00ff\u0000\r\n")), a -> {
            assertEquals(3, a.count());
            assertTrue(a.equalsIgnoreCase(0, "SET"));
            assertTrue(a.equalsIgnoreCase(0, "set"));
            assertFalse(a.equalsIgnoreCase(0, "SE"));
            assertFalse(a.equalsIgnoreCase(1, "kex"));
            assertEquals("key", a.string(1));
            assertEquals(2, a.length(2));
            assertEquals((byte) 0xff, a.array(2)[a.offset(2)]);
            assertThrows(IndexOutOfBoundsException.class, () -> a.length(3));
            copies.add(a.toArray());
            return true;
        });
        assertArrayEquals(new byte[] {(byte) 0xff, 0}, copies.get(0)[2]);
        assertEquals("sEt", new String(copies.get(0)[0], StandardCharsets.US_ASCII));
    }

    @Test
    void steadyStateParsingAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RespRequestParser p = new RespRequestParser();
        ByteBuffer in = ByteBuffer.allocateDirect(4096);
        byte[] batch = b("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\nGET key\r\n".repeat(50));
        int[] count = {0};
        RespRequestSink sink = a -> {
            count[0] += a.count();
            return true;
        };
        for (int i = 0; i < 2000; i++) { // warm up
            in.clear().put(batch).flip();
            p.parse(in, sink);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 2000; i++) {
            in.clear().put(batch).flip();
            p.parse(in, sink);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64 * 1024, allocated + " bytes for 200000 requests");
        assertEquals(2 * 2000 * 50 * 5, count[0]);
    }

    @Test
    void randomPipelinesParseTheSameHoweverSplit() {
        Random rnd = new Random(7);
        for (int round = 0; round < 200; round++) {
            StringBuilder in = new StringBuilder();
            List<List<String>> want = new ArrayList<>();
            int n = 1 + rnd.nextInt(8);
            for (int i = 0; i < n; i++) {
                List<String> args = new ArrayList<>();
                int argc = 1 + rnd.nextInt(4);
                in.append('*').append(argc).append("\r\n");
                for (int k = 0; k < argc; k++) {
                    char[] v = new char[rnd.nextInt(rnd.nextInt(10) == 0 ? 40_000 : 30)];
                    for (int j = 0; j < v.length; j++) {
                        v[j] = (char) rnd.nextInt(256);
                    }
                    String s = new String(v);
                    args.add(s);
                    in.append('$').append(s.length()).append("\r\n").append(s).append("\r\n");
                }
                want.add(args);
            }
            byte[] bytes = b(in.toString());
            int[] cuts = rnd.ints(rnd.nextInt(6), 0, bytes.length + 1).sorted().toArray();
            RespRequestParser p = new RespRequestParser();
            assertEquals(want, feed(p, bytes, cuts).requests, "cuts " + Arrays.toString(cuts));
            assertNull(p.error());
        }
    }
}
