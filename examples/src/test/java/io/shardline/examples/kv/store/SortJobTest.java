package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.examples.kv.resp.Argv;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SORT's job on its own: pattern substitution as lookupKeyByPattern does it, the rounds of reads it
 * asks for (BY values for every element, GET values only for the rows LIMIT keeps), and the rules that
 * change how it sorts.
 */
class SortJobTest {
    private final TestShard shard = new TestShard();

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    private static List<String> texts(byte[][] values) {
        List<String> out = new ArrayList<>();
        for (byte[] v : values) {
            out.add(s(v));
        }
        return out;
    }

    private SortArgs args(String... options) {
        String[] all = new String[options.length + 2];
        all[0] = "SORT";
        all[1] = "k";
        System.arraycopy(options, 0, all, 2, options.length);
        RespRecorder out = new RespRecorder(2);
        SortArgs a = SortArgs.parse(Argv.of(TestShard.argv(all)), false, out);
        assertTrue(a != null, out.take());
        return a;
    }

    /** Runs a job to the end on this one keyspace, counting the lookups of each round. */
    private SortJob run(SortArgs a, List<Integer> rounds) {
        SortJob job = SortJob.load(shard.keyspace, "k".getBytes(StandardCharsets.US_ASCII), a);
        while (!job.done()) {
            rounds.add(job.pending().size());
            job.supply(SortJob.lookup(shard.keyspace, job.pending()));
        }
        return job;
    }

    @Test
    void substitutionFollowsLookupKeyByPattern() {
        byte[] el = "el".getBytes(StandardCharsets.US_ASCII);
        byte[][] k = SortJob.substitute("w_*".getBytes(StandardCharsets.US_ASCII), el);
        assertEquals("w_el", s(k[0]));
        assertNull(k[1]);
        k = SortJob.substitute("h_*_x->f".getBytes(StandardCharsets.US_ASCII), el);
        assertEquals(List.of("h_el_x", "f"), List.of(s(k[0]), s(k[1])));
        k = SortJob.substitute("h_*->".getBytes(StandardCharsets.US_ASCII), el);
        assertEquals("h_el->", s(k[0]), "an arrow with no field is part of the key");
        assertNull(k[1]);
        k = SortJob.substitute("*->a->b".getBytes(StandardCharsets.US_ASCII), el);
        assertEquals(List.of("el", "a->b"), List.of(s(k[0]), s(k[1])));
        k = SortJob.substitute("a->b*".getBytes(StandardCharsets.US_ASCII), el);
        assertEquals("a->bel", s(k[0]), "only an arrow after the star names a field");
        assertNull(SortJob.substitute("nostar".getBytes(StandardCharsets.US_ASCII), el));
    }

    @Test
    void byValuesForAllThenGetValuesForTheKeptRowsOnly() {
        shard.call("RPUSH", "k", "a", "b", "c", "d");
        shard.call("MSET", "w_a", "4", "w_b", "3", "w_c", "2", "w_d", "1", "g_c", "C", "g_b", "B");
        List<Integer> rounds = new ArrayList<>();
        SortJob job = run(args("BY", "w_*", "LIMIT", "1", "2", "GET", "g_*", "GET", "#"), rounds);
        assertEquals(List.of(4, 2), rounds, "4 BY reads, then one GET read for each of the 2 rows kept");
        assertEquals(java.util.Arrays.asList("C", "c", "B", "b"), texts(job.output()));
        assertFalse(job.conversionError());
    }

    @Test
    void nosortKeepsListOrderAndTakesTheRangeFromTheTailForDesc() {
        shard.call("RPUSH", "k", "3", "1", "2", "5");
        List<Integer> rounds = new ArrayList<>();
        assertEquals(List.of("2", "1"), texts(run(args("BY", "nosort", "DESC", "LIMIT", "1", "2"), rounds).output()));
        assertEquals(List.of(), rounds, "nothing to read");
    }

    @Test
    void aSetStoredWithoutSortingIsSortedAlphaForAStableResult() {
        shard.call("SADD", "k", "b", "10", "a", "9");
        SortJob job = run(args("BY", "nosort", "STORE", "dst"), new ArrayList<>());
        assertEquals(List.of("10", "9", "a", "b"), texts(job.output()));
        assertEquals("dst", s(job.storeKey()));
    }

    @Test
    void scoresThatAreNotNumbersFailTheWholeSort() {
        shard.call("RPUSH", "k", "1", "x", "2");
        assertTrue(run(args(), new ArrayList<>()).conversionError());
        shard.call("DEL", "k");
        shard.call("RPUSH", "k", "1", " 2", "", "1e400"); // overflow is ERANGE in strtod
        assertTrue(run(args(), new ArrayList<>()).conversionError());
        shard.call("DEL", "k");
        shard.call("RPUSH", "k", "1", " 2", "", "-inf", "0x10");
        SortJob ok = run(args(), new ArrayList<>());
        assertFalse(ok.conversionError());
        assertEquals(List.of("-inf", "", "1", " 2", "0x10"), texts(ok.output()), "strtod: spaces, empty, inf, hex");
    }

    @Test
    void otherTypesAreWrongType() {
        shard.call("SET", "k", "v");
        assertTrue(SortJob.load(shard.keyspace, "k".getBytes(StandardCharsets.US_ASCII), args()).wrongType());
    }
}
