package io.shardline.examples.kv.store;

import static io.shardline.examples.kv.store.TestShard.bulk;
import static io.shardline.examples.kv.store.TestShard.error;
import static io.shardline.examples.kv.store.TestShard.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The stream value and commands on one keyspace with a fake clock: id parsing as Redis' string2ull
 * reads it, generated ids, node-wise approximate trims, the journal forms (replaying them rebuilds the
 * same streams, groups and pending entries) and the snapshot form.
 */
class CommandStreamTest {
    private final TestShard shard = new TestShard();

    private static final DataCommands.Handler XREADGROUP = DataCommands.of(DataCommands::streamReads,
            StreamReadCommands::xreadgroup);

    /** XREADGROUP run as its shard runs it (the table sends it through the connection's shard first). */
    private String readGroup(TestShard on, String... args) {
        RespRecorder out = new RespRecorder(2);
        on.commands.execute(XREADGROUP, io.shardline.examples.kv.resp.Argv.of(TestShard.argv(args)), out, a -> on.journal.add(a.toArray()));
        return out.take();
    }

    @Test
    void idsAreReadAsRedisReadsThem() {
        // each expectation is redis-server 7.0's reply to the same XADD
        String[][] cases = {
            {" 5-1", "5-1"}, {"+6-1", "6-1"}, {"007-1", "7-1"}, {"8- 1", "8-1"}, {"-09-1", null}, {"9-+1", "9-1"},
            {"10-", null}, {"-", null}, {"+", null}, {"11-*", "11-0"}, {"12", "12-0"}, {"(13", null},
            {"18446744073709551616-0", null}, {"18446744073709551615-18446744073709551615", "18446744073709551615-18446744073709551615"},
        };
        for (String[] c : cases) {
            String reply = shard.call("XADD", "edge", c[0], "f", "v");
            assertEquals(c[1] == null ? error(StreamId.INVALID) : bulk(c[1]), reply, "XADD edge '" + c[0] + "'");
        }
        assertEquals(error("ERR The stream has exhausted the last possible ID, unable to add more items"),
                shard.call("XADD", "edge", "*", "f", "v"));
        assertEquals(error("ERR invalid start ID for the interval"),
                shard.call("XRANGE", "edge", "(18446744073709551615-18446744073709551615", "+"));
        assertEquals(error("ERR invalid end ID for the interval"), shard.call("XRANGE", "edge", "-", "(0-0"));
    }

    @Test
    void generatedIdsFollowTheClockAndNeverGoBack() {
        long t = TestShard.START;
        assertEquals(bulk(t + "-0"), shard.call("XADD", "s", "*", "f", "1"));
        assertEquals(bulk(t + "-1"), shard.call("XADD", "s", "*", "f", "2"));
        shard.advance(5);
        assertEquals(bulk((t + 5) + "-0"), shard.call("XADD", "s", "*", "f", "3"));
        shard.clock.now = t - 1000; // the clock stepped back: ids keep growing from the last one
        assertEquals(bulk((t + 5) + "-1"), shard.call("XADD", "s", "*", "f", "4"));
        assertEquals(bulk((t + 5) + "-2"), shard.call("XADD", "s", (t + 5) + "-*", "f", "5"));
        assertEquals(error("ERR The ID specified in XADD is equal or smaller than the target stream top item"),
                shard.call("XADD", "s", (t + 4) + "-*", "f", "6"));
        assertEquals("XADD s " + (t + 5) + "-2 f 5", shard.journalText().get(4), "the journal holds the id it made");
    }

    @Test
    void approximateTrimsRemoveWholeNodesOfAHundredEntries() {
        for (int i = 1; i <= 250; i++) {
            shard.call("XADD", "s", i + "-1", "f", "v");
        }
        assertEquals(integer(0), shard.call("XTRIM", "s", "MAXLEN", "~", "200"), "the first node cannot go whole");
        assertEquals(integer(0), shard.call("XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "50"), "a node is more than LIMIT");
        assertEquals(integer(100), shard.call("XTRIM", "s", "MAXLEN", "~", "120"));
        assertEquals(integer(30), shard.call("XTRIM", "s", "MAXLEN", "=", "120"), "exact trims go inside a node");
        assertEquals(integer(120), shard.call("XLEN", "s"));
        assertEquals(integer(0), shard.call("XTRIM", "s", "MINID", "~", "200-1"), "the node holds tombstones and live entries");
        assertEquals(integer(70), shard.call("XTRIM", "s", "MINID", "~", "201-1"), "its last id is below: it goes whole");
        assertEquals("XTRIM s MAXLEN = 150", shard.journalText().get(250), "an approximate trim is logged as what it left");
        assertEquals("XTRIM s MINID = 201-1", shard.journalText().get(252));
    }

    /** Every stream key's entries and full info, consumer times masked when {@code maskTimes}. */
    private static List<String> state(TestShard s, boolean maskTimes) {
        List<String> out = new ArrayList<>();
        for (String k : List.of("a", "b", "c")) {
            out.add(s.call("XRANGE", k, "-", "+"));
            String full = s.call("XINFO", "STREAM", k, "FULL", "COUNT", "0");
            out.add(maskTimes ? full.replaceAll("(seen-time|active-time)\r\n:-?\\d+", "$1\r\n:T") : full);
        }
        return out;
    }

    /** A long seeded mix of writes, reads by groups, claims and trims, with the clock moving. */
    private void work(SplittableRandom rnd) {
        String[] keys = {"a", "b", "c"};
        String[] consumers = {"alice", "bob", "carol"};
        for (String k : keys) {
            shard.call("XGROUP", "CREATE", k, "g", "$", "MKSTREAM");
            shard.call("XGROUP", "CREATE", k, "h", "0");
        }
        for (int i = 0; i < 3000; i++) {
            shard.advance(rnd.nextInt(3));
            String k = keys[rnd.nextInt(3)];
            String c = consumers[rnd.nextInt(3)];
            String g = rnd.nextBoolean() ? "g" : "h";
            switch (rnd.nextInt(12)) {
                case 0, 1, 2 -> shard.call("XADD", k, "*", "n", Integer.toString(i));
                case 3 -> shard.call("XADD", k, "MAXLEN", rnd.nextBoolean() ? "~" : "=", Integer.toString(20 + rnd.nextInt(200)),
                        "*", "n", Integer.toString(i));
                case 4 -> readGroup(shard, "XREADGROUP", "GROUP", g, c, "COUNT", Integer.toString(1 + rnd.nextInt(5)),
                        "STREAMS", k, ">");
                case 5 -> readGroup(shard, "XREADGROUP", "GROUP", g, c, "COUNT", "2", "NOACK", "STREAMS", k, ">");
                case 6 -> readGroup(shard, "XREADGROUP", "GROUP", g, c, "COUNT", "3", "STREAMS", k, "0");
                case 7 -> shard.call("XAUTOCLAIM", k, g, c, Integer.toString(rnd.nextInt(4)), "0", "COUNT", "3");
                case 8 -> {
                    String first = shard.call("XPENDING", k, g, "-", "+", "1");
                    int at = first.indexOf("\r\n$");
                    if (first.startsWith("*1")) {
                        String id = first.substring(first.indexOf("\r\n", at + 3) + 2).split("\r\n")[0];
                        shard.call("XCLAIM", k, g, c, "0", id, rnd.nextBoolean() ? "JUSTID" : "FORCE");
                        shard.call("XACK", k, g, id);
                    }
                }
                case 9 -> shard.call("XDEL", k, (TestShard.START + rnd.nextInt(2000)) + "-0");
                case 10 -> shard.call("XGROUP", rnd.nextBoolean() ? "CREATECONSUMER" : "DELCONSUMER", k, g, c);
                default -> shard.call("XTRIM", k, "MINID", rnd.nextBoolean() ? "~" : "=", (TestShard.START + i / 3) + "-0");
            }
        }
    }

    @Test
    void replayingTheJournalRebuildsStreamsGroupsAndPendingEntries() {
        work(new SplittableRandom(31));
        List<String> before = state(shard, true);
        String log = String.join("\n", shard.journalText());
        for (String form : List.of("XCLAIM a g", "XGROUP SETID b h", "XGROUP CREATECONSUMER c", "XTRIM a MINID = ", "XDEL")) {
            assertTrue(log.contains(form), "the work was logged with " + form);
        }
        long pending = 0;
        for (String k : List.of("a", "b", "c")) {
            for (String g : List.of("g", "h")) {
                String summary = shard.call("XPENDING", k, g);
                pending += Long.parseLong(summary.substring(5, summary.indexOf("\r\n", 5)));
            }
        }
        assertTrue(pending > 10, "the groups hold pending entries: " + pending);
        TestShard again = new TestShard();
        again.clock.now = shard.clock.now;
        for (byte[][] entry : shard.journal) {
            assertTrue(again.replay(entry), "replayable: " + TestShard.text(entry));
        }
        assertEquals(before, state(again, true));
        assertNotEquals(List.of(), shard.journal);
    }

    @Test
    void aSnapshotKeepsStreamsExactly() throws IOException {
        work(new SplittableRandom(32));
        List<String> before = state(shard, false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        shard.keyspace.writeSnapshot(new DataOutputStream(bytes));
        Keyspace loaded = Keyspace.readSnapshot(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
                () -> shard.clock.now);
        TestShard after = new TestShard();
        after.clock.now = shard.clock.now;
        after.keyspace.addSnapshot(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(before, state(after, false));
        assertEquals(shard.keyspace.size(), loaded.size());
        // the node boundaries came back too: an approximate trim removes the same after the load
        assertEquals(shard.call("XTRIM", "a", "MAXLEN", "~", "1"), after.call("XTRIM", "a", "MAXLEN", "~", "1"));
    }

    @Test
    void lagAndEntriesReadFollowRedis72() {
        shard.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        for (int i = 1; i <= 5; i++) {
            shard.call("XADD", "s", i + "-0", "f", "v");
        }
        readGroup(shard, "XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", ">");
        assertTrue(shard.call("XINFO", "GROUPS", "s").endsWith("entries-read\r\n:2\r\n$3\r\nlag\r\n:3\r\n"));
        shard.call("XDEL", "s", "4-0");
        assertTrue(shard.call("XINFO", "GROUPS", "s").endsWith("entries-read\r\n:2\r\n$3\r\nlag\r\n$-1\r\n"),
                "a tombstone ahead makes the lag unknown");
        readGroup(shard, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">");
        assertTrue(shard.call("XINFO", "GROUPS", "s").endsWith("entries-read\r\n:5\r\n$3\r\nlag\r\n:0\r\n"),
                "read to the end: the counter is the stream's");
    }
}
