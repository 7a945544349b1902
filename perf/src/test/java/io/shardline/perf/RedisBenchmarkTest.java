package io.shardline.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading redis-benchmark's --csv output and its stderr, as redis-benchmark 7.0 writes them. */
class RedisBenchmarkTest {
    private static final String HEADER =
            "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\",\"p95_latency_ms\",\"p99_latency_ms\",\"max_latency_ms\"\n";

    @Test
    void aRowGivesItsRateAndLatenciesByTheHeadersNames() {
        List<RedisBenchmark.Row> rows = RedisBenchmark.parseCsv(HEADER
                + "\"SET\",\"1197604.88\",\"0.526\",\"0.088\",\"0.407\",\"0.991\",\"2.607\",\"3.511\"\n");
        assertEquals(1, rows.size());
        RedisBenchmark.Row r = rows.getFirst();
        assertEquals("SET", r.test());
        assertEquals(1197604.88, r.rps(), 1e-9);
        assertEquals(0.526, r.avgMs(), 1e-9);
        assertEquals(0.407, r.p50Ms(), 1e-9);
        assertEquals(2.607, r.p99Ms(), 1e-9);
        assertEquals(3.511, r.maxMs(), 1e-9);
    }

    @Test
    void columnsAreFoundByNameNotPosition() {
        List<RedisBenchmark.Row> rows = RedisBenchmark.parseCsv(
                "\"rps\",\"test\",\"p99_latency_ms\"\n\"100.5\",\"GET\",\"1.25\"\n");
        assertEquals("GET", rows.getFirst().test());
        assertEquals(100.5, rows.getFirst().rps(), 1e-9);
        assertEquals(1.25, rows.getFirst().p99Ms(), 1e-9);
        assertTrue(Double.isNaN(rows.getFirst().p50Ms()), "a missing column is NaN");
    }

    @Test
    void anLrangeTestAlsoPrintsTheLpushThatFilledItsListAndTestNamesKeepTheirCommasAndSpaces() {
        List<RedisBenchmark.Row> rows = RedisBenchmark.parseCsv(HEADER
                + "\"LPUSH (needed to benchmark LRANGE)\",\"543478.25\",\"1.115\",\"0.120\",\"0.807\",\"3.415\",\"6.071\",\"11.575\"\n"
                + "\"LRANGE_100 (first 100 elements)\",\"161030.59\",\"3.819\",\"0.592\",\"3.887\",\"6.135\",\"7.479\",\"9.151\"\n"
                + "\"XADD mystream * a,b\",\"10\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\"\n");
        assertEquals(List.of("LPUSH (needed to benchmark LRANGE)", "LRANGE_100 (first 100 elements)",
                "XADD mystream * a,b"), rows.stream().map(RedisBenchmark.Row::test).toList());
        assertEquals(161030.59, rows.get(1).rps(), 1e-9);
    }

    @Test
    void onlyTheHeaderMeansNoRowsAndLinesBeforeTheHeaderOrUnparsableAreSkipped() {
        assertEquals(List.of(), RedisBenchmark.parseCsv(HEADER));
        assertEquals(List.of(), RedisBenchmark.parseCsv(""));
        List<RedisBenchmark.Row> rows = RedisBenchmark.parseCsv("\"SET\",\"1\"\n" + HEADER
                + "WARNING: Could not fetch server CONFIG\n"
                + "\"GET\",\"2.5\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\"\n");
        assertEquals(1, rows.size());
        assertEquals("GET", rows.getFirst().test());
    }

    @Test
    void theErrorReplyRedisBenchmarkStoppedAtIsReadFromItsStderr() {
        assertEquals("ERR unknown command 'XADD', with args beginning with: 'mystream' '*'",
                RedisBenchmark.serverError("rc=1Error from server: ERR unknown command 'XADD', with args beginning"
                        + " with: 'mystream' '*' \n"));
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value",
                RedisBenchmark.serverError("WARNING: x\nError from server: WRONGTYPE Operation against a key holding"
                        + " the wrong kind of value\n"));
        assertNull(RedisBenchmark.serverError("WARNING: Could not fetch server CONFIG\n"));
        assertNull(RedisBenchmark.serverError(""));
    }
}
