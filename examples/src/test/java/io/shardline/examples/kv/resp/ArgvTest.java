package io.shardline.examples.kv.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser's arguments read in place, their owned copies, and RespWriter's cut and truncate. */
class ArgvTest {

    @Test
    void theParsersArgumentsReadInPlaceAndCopyOutOnce() {
        RespRequestParser parser = new RespRequestParser(RespLimits.DEFAULT);
        List<Argv> copies = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        parser.parse(ByteBuffer.wrap("*3\r\n$3\r\nset\r\n$3\r\nkey\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n"
                .getBytes(StandardCharsets.US_ASCII)), args -> {
            Argv argv = args;
            assertTrue(argv.equalsIgnoreCase(0, argv.count() == 3 ? "SET" : "get"));
            assertTrue(argv.contentEquals(1, "key".getBytes(StandardCharsets.US_ASCII)));
            assertEquals('e', argv.byteAt(1, 1));
            RespWriter out = new RespWriter();
            argv.writeBulk(argv.count() - 1, out);
            seen.add(new String(out.toByteArray(), StandardCharsets.US_ASCII));
            copies.add(argv.copy());
            return true;
        });
        assertEquals(List.of("$5\r\nvalue\r\n", "$3\r\nkey\r\n"), seen);
        // The copies outlive the callbacks: the parser reuses its view, not the copies' arrays.
        assertEquals("[set, key, value]", copies.get(0).toString());
        assertEquals("[GET, key]", copies.get(1).toString());
        assertSame(copies.get(1), copies.get(1).copy(), "an owned copy is not copied again");
    }

    @Test
    void anOwnedArgvHandsItsArraysOver() {
        byte[] key = {'k'};
        Argv argv = Argv.of(new byte[] {'G', 'E', 'T'}, key);
        assertSame(key, argv.bytes(1));
        assertEquals(2, argv.count());
        assertFalse(argv.equalsIgnoreCase(0, "SET"));
        byte[][] all = argv.toArray();
        all[1] = null;
        assertSame(key, argv.bytes(1), "toArray gives an array of its own");
    }

    @Test
    void cutTakesTheLastReplyOutAndTruncateDropsIt() {
        RespWriter out = new RespWriter();
        out.simple("OK");
        int mark = out.size();
        out.bulk("later");
        assertArrayEquals("$5\r\nlater\r\n".getBytes(StandardCharsets.US_ASCII), out.cut(mark));
        assertEquals(mark, out.size());
        out.integer(7);
        out.truncate(mark);
        out.simple("PONG");
        assertEquals("+OK\r\n+PONG\r\n", new String(out.toByteArray(), StandardCharsets.US_ASCII));
    }
}
