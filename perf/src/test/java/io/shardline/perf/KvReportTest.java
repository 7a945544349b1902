package io.shardline.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kv suite's report (ratios, failed trials as n/a, the result line), its rows, and its tool checks. */
class KvReportTest {
    private static final KvSuite.Plan PLAN = new KvSuite.Plan(2, 1.0, 0.25, 1_000_000, 60);

    private static RedisBenchmark.Result ok(String server, double rps) {
        return new RedisBenchmark.Result(server, rps, 0.5, 1.0, null);
    }

    private static RedisBenchmark.Result failed(String server) {
        return RedisBenchmark.Result.failed(server, "ERR unknown command 'XADD'");
    }

    /** A row whose trials ran through Trials as the suite runs them, each server's results in turn. */
    private static KvSuite.Row row(KvWorkload w, Map<String, List<RedisBenchmark.Result>> trials) throws Exception {
        List<Trials.Contender<RedisBenchmark.Result>> contenders = new ArrayList<>();
        trials.forEach((server, rs) -> contenders.add(new Trials.Contender<>(server, server,
                turn -> rs.get(turn.round() - 1))));
        return new KvSuite.Row(w, Trials.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                w.title(), new Trials.Plan(false, 2, 0), contenders, RedisBenchmark.Result::toString, null));
    }

    @Test
    void theResultLineHasTheNineFieldsInOrderWithShardlineAtDefaultShardsOverRedis() throws Exception {
        List<KvSuite.Row> strings = new ArrayList<>();
        double shardline = 50;
        for (KvWorkload w : KvWorkload.strings()) {
            Map<String, List<RedisBenchmark.Result>> t = new LinkedHashMap<>();
            t.put(KvSuite.REDIS, List.of(ok(KvSuite.REDIS, 100), ok(KvSuite.REDIS, 100)));
            t.put(KvSuite.SHARDLINE, List.of(ok(KvSuite.SHARDLINE, shardline), ok(KvSuite.SHARDLINE, shardline)));
            t.put(KvSuite.SHARDLINE_1, List.of(ok(KvSuite.SHARDLINE_1, 1), ok(KvSuite.SHARDLINE_1, 1)));
            strings.add(row(w, t));
            shardline += 10;
        }
        List<KvSuite.Row> families = new ArrayList<>();
        for (KvWorkload w : KvWorkload.families(false)) {
            Map<String, List<RedisBenchmark.Result>> t = new LinkedHashMap<>();
            t.put(KvSuite.REDIS, List.of(ok(KvSuite.REDIS, 100), ok(KvSuite.REDIS, 100)));
            t.put(KvSuite.SHARDLINE, w.key().equals("xadd") ? List.of(failed(KvSuite.SHARDLINE), failed(KvSuite.SHARDLINE))
                    : List.of(ok(KvSuite.SHARDLINE, 120), ok(KvSuite.SHARDLINE, 80)));
            families.add(row(w, t));
        }
        Map<String, List<RedisBenchmark.Result>> a = new LinkedHashMap<>();
        a.put(KvSuite.REDIS_AOF, List.of(ok(KvSuite.REDIS_AOF, 200), ok(KvSuite.REDIS_AOF, 100)));
        a.put(KvSuite.SHARDLINE_AOF, List.of(ok(KvSuite.SHARDLINE_AOF, 300), failed(KvSuite.SHARDLINE_AOF)));
        List<KvSuite.Row> aof = List.of(row(KvWorkload.aofSet(), a));
        List<KvSuite.Row> cluster = new ArrayList<>();
        double ratio = 1.1;
        for (KvWorkload w : KvWorkload.cluster()) {
            Map<String, List<RedisBenchmark.Result>> t = new LinkedHashMap<>();
            t.put(KvSuite.REDIS_CLUSTER, List.of(ok(KvSuite.REDIS_CLUSTER, 1000), ok(KvSuite.REDIS_CLUSTER, 1000)));
            t.put(KvSuite.SHARDLINE_CLUSTER, List.of(ok(KvSuite.SHARDLINE_CLUSTER, 1000 * ratio),
                    ok(KvSuite.SHARDLINE_CLUSTER, 1000 * ratio)));
            t.put(KvSuite.REDIS, List.of(ok(KvSuite.REDIS, 500), ok(KvSuite.REDIS, 500)));
            cluster.add(row(w, t));
            ratio += 0.1;
        }
        KvSuite.Memory memory = new KvSuite.Memory(1_000_000, 200_000_000, 100_000_000, 1, 150_000_000, "garbage-first heap",
                -1, null, 180_000_000, 170_000_000, -1, 2, null);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        KvReport report = new KvReport(new Report("kv", out), out, PLAN);
        report.shardline(2, "none (the JVM's defaults)");
        report.print(strings, families, cluster, aof, memory);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

        // aof: the failed round is left out of Shardline's median (300), redis's median is 150
        assertEquals("result: kv set_ratio_p1=0.50 get_ratio_p1=0.60 set_ratio_p16=0.70 get_ratio_p16=0.80"
                + " random_set_ratio_p16=0.90 random_get_ratio_p16=1.00 aof_set_ratio_p16=2.00 memory_ratio=0.75"
                + " rss_ratio=1.80 cluster_set_ratio_p16=1.10 cluster_get_ratio_p16=1.20 cluster_set_ratio_p1=1.30"
                + " cluster_get_ratio_p1=1.40", lines.getLast());
        String clusterGet = lines.stream().filter(l -> l.startsWith("GET, -r 1000000, -P 1 ")).findFirst().orElseThrow();
        assertTrue(clusterGet.matches("GET, -r 1000000, -P 1 +1,000 +1\\.000 +1,400 +1\\.000 +1\\.40  1\\.40 1\\.40 +500 +0\\.50"),
                clusterGet);
        String xadd = lines.stream().filter(l -> l.startsWith("XADD")).findFirst().orElseThrow();
        assertTrue(xadd.matches("XADD, -P 16 \\(custom command\\) +100 +1\\.000 +n/a +n/a +- +n/a n/a"), xadd);
        assertTrue(lines.stream().anyMatch(l -> l.contains("XADD, -P 16 (custom command), shardline: n/a: ERR unknown"
                + " command 'XADD'")), "the error is a note");
        assertTrue(lines.stream().anyMatch(l -> l.matches("  xadd_ratio_p16 >= 1\\.0 +MISSED \\(-\\)")), "n/a misses");
        assertTrue(lines.stream().anyMatch(l -> l.matches("  lpush_ratio_p16 >= 1\\.0 +met +\\(1\\.00\\)")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("  memory_ratio <= 1\\.0 +met +\\(0\\.75\\)")));
        assertTrue(lines.stream().anyMatch(l -> l.matches("  rss_ratio <= 1\\.5 +MISSED \\(1\\.80\\)")));
        String set = lines.stream().filter(l -> l.startsWith("SET, one key, -P 1 ")).findFirst().orElseThrow();
        assertTrue(set.matches("SET, one key, -P 1 +100 +1\\.000 +50 +1\\.000 +0\\.50 +0\\.50 0\\.50 +1 +0\\.01"), set);
        assertTrue(lines.stream().anyMatch(l -> l.contains("no off-heap field")), "an unreported off-heap is said");
    }

    @Test
    void aMemoryPartThatFailedLeavesItsRatiosNotAvailable() {
        KvSuite.Memory m = new KvSuite.Memory(10, 100, 100, 1, -1, "?", -1, null, -1, -1, -1, Double.NaN, "boom");
        assertTrue(Double.isNaN(KvReport.memoryRatio(m)));
        KvSuite.Memory withOffHeap = new KvSuite.Memory(10, 100, 100, 1, 40, "?", 20, "used_memory_offheap", 1, 1, -1, 1,
                null);
        assertEquals(0.6, KvReport.memoryRatio(withOffHeap), 1e-9, "live heap + off-heap over used_memory");
    }

    @Test
    void perRoundRatiosSayNotAvailableForAFailedRound() {
        assertEquals("0.50 n/a 2.00", KvReport.perRound(List.of(ok("s", 50), failed("s"), ok("s", 200)),
                List.of(ok("r", 100), ok("r", 100), ok("r", 100))));
        assertEquals("set_ratio_p1", KvReport.resultKey("set_p1"));
        assertEquals("random_get_ratio_p16", KvReport.resultKey("random_get_p16"));
        assertEquals("aof_set_ratio_p16", KvReport.resultKey("aof_set_p16"));
    }

    @Test
    void workloadsAskRedisBenchmarkForTheIssuesTests() {
        assertEquals(List.of("-t", "set", "-P", "16", "-r", "1000000"), KvWorkload.strings().get(4).args());
        assertEquals(List.of("-t", "get", "-P", "1"), KvWorkload.strings().get(1).args());
        assertEquals(List.of("lpush", "rpush", "lpop", "rpop", "sadd", "hset", "spop", "zadd", "zpopmin", "lrange_100",
                "lrange_600", "mset", "xadd"), KvWorkload.families(true).stream().map(KvWorkload::key).toList());
        assertTrue(KvWorkload.families(true).stream().allMatch(w -> w.args().containsAll(List.of("-P", "16"))));
        assertEquals(List.of("-t", "xadd", "-P", "16"), KvWorkload.families(true).getLast().args());
        assertEquals(List.of("-P", "16", "XADD", "mystream", "*", "myfield", "xxx"),
                KvWorkload.families(false).getLast().args());
        assertEquals("LRANGE_100", KvWorkload.families(true).get(9).test());
        assertEquals(10_000, KvWorkload.strings().getFirst().requests(0.1));
        assertEquals(1_000, KvWorkload.families(true).get(10).requests(0.001), "at least 1,000 requests");
    }

    @Test
    void missingToolsAreNamedWithTheirDebianPackages(@TempDir Path bin) throws IOException {
        Path a = Files.createDirectories(bin.resolve("a"));
        Path b = Files.createDirectories(bin.resolve("b"));
        Files.createFile(a.resolve("redis-server"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createFile(b.resolve("redis-benchmark"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Files.createDirectories(b.resolve("redis-cli"));
        String path = a + File.pathSeparator + b;
        assertEquals(List.of(), KvServers.missing(path, List.of("redis-server")));
        assertEquals(List.of("redis-benchmark", "redis-cli"), KvServers.missing(path,
                List.of("redis-server", "redis-benchmark", "redis-cli")), "not executable; a directory");
        assertEquals(List.of("redis-server"), KvServers.missing(null, List.of("redis-server")));

        String both = KvServers.missingMessage(List.of("redis-server", "redis-benchmark"));
        assertTrue(both.contains("redis-server and redis-benchmark are not on the PATH"), both);
        assertTrue(both.contains("apt-get install redis-server redis-tools"), both);
        String tools = KvServers.missingMessage(List.of("redis-benchmark"));
        assertTrue(tools.contains("redis-benchmark is not on the PATH") && tools.endsWith("(apt-get install redis-tools)"),
                tools);
    }

    @Test
    void theSuiteWithoutItsToolsNamesThePackagesAndFailsBeforeStartingAnything() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new KvSuite(new BenchMain.Settings(true), "/nonexistent",
                new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(1, exit);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("shardline bench kv: ") && message.contains("redis-server, redis-benchmark and"
                + " redis-cli are not on the PATH") && message.contains("apt-get install redis-server redis-tools"), message);
    }
}
