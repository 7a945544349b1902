package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.examples.kv.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The one command table: lookup, Redis' key positions and arity rules, flags, and where each command runs. */
class CommandTableTest {

    private static CommandSpec spec(String name) {
        return CommandTable.lookup(name.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void bytesAndTextFindTheSameSpecInAnyCase() {
        for (CommandSpec s : CommandTable.all()) {
            assertSame(s, spec(s.name().toUpperCase()));
            assertSame(s, CommandTable.lookup(s.name()));
        }
        assertNull(spec("nosuch"));
    }

    @Test
    void keyPositionsAreRedisOwn() {
        CommandSpec get = spec("get");
        assertEquals(1, get.firstKey());
        assertEquals(1, get.lastKey());
        assertEquals(1, get.keyStep());
        assertFalse(get.multiKey());
        CommandSpec mset = spec("mset");
        assertEquals(1, mset.firstKey());
        assertEquals(-1, mset.lastKey());
        assertEquals(2, mset.keyStep());
        assertTrue(mset.multiKey());
        assertEquals(-1, spec("del").lastKey());
        assertEquals(1, spec("del").keyStep());
        assertEquals(0, spec("ping").firstKey());
    }

    @Test
    void arityCountsTheNameAndMsetNeedsWholePairs() {
        assertTrue(spec("get").arityAccepts(2));
        assertFalse(spec("get").arityAccepts(3));
        assertTrue(spec("del").arityAccepts(5));
        assertFalse(spec("del").arityAccepts(1));
        assertTrue(spec("mset").arityAccepts(3));
        assertFalse(spec("mset").arityAccepts(4), "a key without its value");
        assertTrue(spec("mset").arityAccepts(5));
    }

    @Test
    void onlyAuthHelloQuitAndResetRunBeforeAuthentication() {
        Set<String> noAuth = new TreeSet<>();
        for (CommandSpec s : CommandTable.all()) {
            if (s.has(CommandSpec.NO_AUTH)) {
                noAuth.add(s.name());
            }
        }
        assertEquals(Set.of("auth", "hello", "quit", "reset"), noAuth); // Redis flags RESET no_auth too
    }

    @Test
    void everyKeyCommandIsADataCommandAndEveryOtherIsNot() {
        for (CommandSpec s : CommandTable.all()) {
            boolean keyed = s.firstKey() > 0;
            assertEquals(keyed, s.handler() instanceof CommandSpec.OnKeys, s.name());
            assertTrue(s.write() != s.has(CommandSpec.READONLY), s.name() + " is write or readonly");
        }
        assertInstanceOf(CommandSpec.OnConnection.class, spec("hello").handler());
        assertInstanceOf(CommandSpec.OnServer.class, spec("flushall").handler());
        assertTrue(spec("flushall").write());
    }

    @Test
    void aReplyLeavesTheWriterAsBytesAndEmptiesIt() {
        RespWriter w = RespWriter.forReply(3);
        w.nullBulk().integer(7);
        assertEquals("_\r\n:7\r\n", new String(w.toByteArray(), StandardCharsets.US_ASCII));
        assertEquals(0, w.size());
        w.simple("OK");
        w.take();
        assertEquals("+OK\r\n", new String(w.toByteArray(), StandardCharsets.US_ASCII), "taken bytes too");
        assertEquals("-ERR x y\r\n", new String(RespWriter.errorBytes("ERR x\ny"), StandardCharsets.US_ASCII));
    }
}
