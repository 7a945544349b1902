package io.shardline.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kv-features load's reply checker: framing RESP2 across any split, counting, and what a wrong reply says. */
class RespExpectTest {
    private static final List<RespExpect.Reply> TRANSACTION = List.of(RespExpect.Reply.of("MULTI", "+OK\r\n"),
            RespExpect.Reply.of("SET", "+QUEUED\r\n"), RespExpect.Reply.of("SET", "+QUEUED\r\n"),
            RespExpect.Reply.of("EXEC", "*2\r\n+OK\r\n+OK\r\n"));

    private static RespExpect transaction() {
        return new RespExpect(List.of(), TRANSACTION);
    }

    /** Feeds {@code resp} in pieces of {@code piece} bytes; the indexes matched, and the failure (or null) last. */
    private static List<Object> feed(RespExpect e, String resp, int piece) {
        List<Object> seen = new ArrayList<>();
        byte[] b = Resp.ascii(resp);
        for (int i = 0; i < b.length; i += piece) {
            String f = e.feed(ByteBuffer.wrap(b, i, Math.min(piece, b.length - i)), seen::add);
            if (f != null) {
                seen.add(f);
                return seen;
            }
        }
        seen.add(null);
        return seen;
    }

    @Test
    void transactionsMatchInEverySplitOfTheBytesAndTheCycleRepeats() {
        String two = "+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n+OK\r\n".repeat(2);
        for (int piece = 1; piece <= two.length(); piece++) {
            RespExpect e = transaction();
            assertEquals(java.util.Arrays.asList(0, 1, 2, 3, 0, 1, 2, 3, null), feed(e, two, piece), "pieces of " + piece);
            assertEquals(8, e.count());
        }
    }

    @Test
    void directBuffersTakeTheFramerAndMatchAlike() {
        RespExpect e = transaction();
        byte[] b = Resp.ascii("+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n+OK\r\n");
        ByteBuffer direct = ByteBuffer.allocateDirect(b.length).put(b).flip();
        List<Integer> seen = new ArrayList<>();
        assertNull(e.feed(direct, seen::add));
        assertEquals(List.of(0, 1, 2, 3), seen);
    }

    @Test
    void anExactExpectationMustBeOneWholeReply() {
        for (String notOne : List.of("+OK\r\n+OK\r\n", "*2\r\n+OK\r\n", "$3\r\nab\r\n", "+OK")) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new RespExpect(List.of(), List.of(RespExpect.Reply.of("x", notOne))), notOne);
        }
    }

    @Test
    void anUnknownMultiFailsWithTheErrorShownAndNothingCounts() {
        RespExpect e = transaction();
        List<Object> seen = feed(e, "-ERR unknown command 'multi'\r\n+OK\r\n+OK\r\n-ERR unknown command 'exec'\r\n", 7);
        assertEquals(1, seen.size());
        assertEquals("MULTI answered \"-ERR unknown command 'multi'\\r\\n\" instead of \"+OK\\r\\n\" (after 0 matching"
                + " replies)", seen.getFirst());
        assertEquals(0, e.count());
    }

    @Test
    void anExecThatIsNotTwoOksFails() {
        for (String exec : List.of("*-1\r\n", "*2\r\n+OK\r\n-ERR wrong\r\n", "*3\r\n+OK\r\n+OK\r\n+OK\r\n",
                "-EXECABORT Transaction discarded because of previous errors.\r\n", "*1\r\n+OK\r\n")) {
            RespExpect e = transaction();
            List<Object> seen = feed(e, "+OK\r\n+QUEUED\r\n+QUEUED\r\n" + exec, 3);
            Object failure = seen.getLast();
            assertNotNull(failure, exec);
            assertTrue(((String) failure).startsWith("EXEC answered \"" + exec.substring(0, 2)), (String) failure);
            assertEquals(List.of(0, 1, 2), seen.subList(0, 3), exec);
            assertEquals(3, e.count());
        }
    }

    @Test
    void aConfirmationOnceThenMessagesWhosePayloadIsComparedByteForByte() {
        String message = "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n";
        RespExpect e = new RespExpect(List.of(RespExpect.Reply.of("SUBSCRIBE", "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n")),
                List.of(RespExpect.Reply.of("a message", message)));
        assertEquals(java.util.Arrays.asList(0, 1, 1, 1, null),
                feed(e, "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n" + message.repeat(3), 5));
        List<Object> wrong = feed(e, message.replace("hello", "hellp"), 64);
        assertTrue(((String) wrong.getLast()).startsWith("a message answered \"*3\\r\\n$7\\r\\nmessage"), wrong.toString());
        RespExpect longer = new RespExpect(List.of(), List.of(RespExpect.Reply.of("a message", message)));
        assertNotNull(feed(longer, message.replace("$5\r\nhello", "$6\r\nhello!"), 64).getLast(), "a longer payload");
    }

    @Test
    void aPrefixExpectationTakesAnyIntegerAndKeepsItsValue() {
        RespExpect e = new RespExpect(List.of(), List.of(RespExpect.Reply.startingWith("PUBLISH", ":")));
        List<Long> values = new ArrayList<>();
        byte[] b = Resp.ascii(":50\r\n:7\r\n:0\r\n");
        assertNull(e.feed(ByteBuffer.wrap(b), i -> values.add(e.integer())));
        assertEquals(List.of(50L, 7L, 0L), values);
        assertEquals("PUBLISH answered \"$2\\r\\nno\\r\\n\" instead of a reply starting with \":\" (after 3 matching replies)",
                feed(e, "$2\r\nno\r\n", 64).getLast());
    }

    @Test
    void nullsEmptiesAndNestedArraysAreFramedAsOneReplyEach() {
        RespExpect e = new RespExpect(List.of(RespExpect.Reply.of("a", "$-1\r\n"), RespExpect.Reply.of("b", "*0\r\n"),
                RespExpect.Reply.of("c", "*2\r\n*2\r\n$0\r\n\r\n:1\r\n*1\r\n$3\r\nx\r\n\r\n")),
                List.of(RespExpect.Reply.of("d", "+PONG\r\n")));
        assertEquals(java.util.Arrays.asList(0, 1, 2, 3, null),
                feed(e, "$-1\r\n*0\r\n*2\r\n*2\r\n$0\r\n\r\n:1\r\n*1\r\n$3\r\nx\r\n\r\n+PONG\r\n", 1));
    }

    @Test
    void bytesThatAreNotRespAreAFailureNotAHang() {
        assertTrue(((String) feed(transaction(), "HTTP/1.1 400\r\n", 64).getLast()).startsWith("not a RESP2 reply for MULTI"));
        assertTrue(((String) feed(transaction(), ":12x\r\n", 64).getLast()).startsWith("a malformed number"));
        assertTrue(((String) feed(transaction(), "+OK\rX", 64).getLast()).startsWith("a reply line without its \\n"));
    }
}
