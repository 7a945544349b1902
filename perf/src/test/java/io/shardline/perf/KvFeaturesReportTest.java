package io.shardline.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.RunQueueTime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kv-features report: paired ratios, a failed row scoring 0.00 with its error, and the result line. */
class KvFeaturesReportTest {
    private static final long SECOND = 1_000_000_000L;

    private static RespLoad.Run run(String server, long done) {
        return new RespLoad.Run(server, done, SECOND, new RunQueueTime.Sample(SECOND / 2, 0), SECOND, null);
    }

    private static Trials.Results<RespLoad.Run> results(List<RespLoad.Run> shardline, List<RespLoad.Run> redis)
            throws Exception {
        int[] i = {0, 0};
        return Trials.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "t",
                new Trials.Plan(false, shardline.size(), 0), List.of(
                        new Trials.Contender<>(KvFeaturesSuite.SHARDLINE, "s", t -> shardline.get(i[0]++)),
                        new Trials.Contender<>(KvFeaturesSuite.REDIS, "r", t -> redis.get(i[1]++))), r -> "", null);
    }

    @Test
    void theRatioIsTheMedianOfEachRoundsRatio() throws Exception {
        Trials.Results<RespLoad.Run> r = results(List.of(run("s", 120), run("s", 50), run("s", 300)),
                List.of(run("r", 100), run("r", 100), run("r", 200)));
        assertEquals(1.2, KvFeaturesReport.ratio(r), 1e-9); // rounds 1.2, 0.5, 1.5
        assertEquals(120.0, run("s", 120).rate(), 1e-9);
        assertEquals(50.0, run("s", 1).loadCpuPercent(), 1e-9);
        assertEquals(100.0, run("s", 1).serverCpuPercent(), 1e-9);
    }

    @Test
    void aFailedTrialOnEitherSideMakesTheRowFailedWithRatioZeroAndItsErrorInTheNotes() throws Exception {
        Trials.Results<RespLoad.Run> pubsub = results(List.of(run("s", 300), run("s", 300)),
                List.of(run("r", 100), run("r", 200)));
        Trials.Results<RespLoad.Run> multi = results(List.of(run("s", 300),
                        RespLoad.Run.failed("s", "connection 0: MULTI answered \"-ERR unknown command 'multi'\\r\\n\"")),
                List.of(run("r", 100), run("r", 100)));
        assertEquals(0.0, KvFeaturesReport.ratio(multi));
        assertTrue(Double.isNaN(RespLoad.Run.failed("s", "x").rate()));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new KvFeaturesReport(new Report(KvFeaturesSuite.NAME, out), out).print(KvFeaturesSuite.Plan.quick(), List.of(
                new KvFeaturesSuite.Row("pubsub_fanout", "pubsub_ratio", "msgs/s delivered", pubsub),
                new KvFeaturesSuite.Row("multi_exec", "multi_ratio", "txns/s", multi)));
        String text = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        assertEquals("result: kv-features pubsub_ratio=2.25 multi_ratio=0.00", lines.getLast(), text);
        assertTrue(lines.stream().anyMatch(l -> l.matches("pubsub_fanout +msgs/s delivered +300 +150 +2\\.25 +2/2  3\\.00 1\\.50")),
                text);
        assertTrue(lines.stream().anyMatch(l -> l.matches("multi_exec +txns/s +FAILED +100 +0\\.00 +1/2  -")), text);
        assertTrue(text.contains("multi_exec FAILED on shardline in 1 of 2 rounds; first error: connection 0: MULTI"
                + " answered \"-ERR unknown command 'multi'\\r\\n\""), text);
        assertTrue(text.contains("multi_exec shardline / redis >= 1.0") && text.contains("MISSED (0.00)"), text);
        assertTrue(text.contains("pubsub_fanout shardline / redis >= 1.0") && text.contains("met    (2.25)"), text);
    }

    @Test
    void withoutRedisServerTheSuiteSaysSoAndStartsNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new KvFeaturesSuite(new BenchMain.Settings(true), KvFeaturesSuite.Plan.quick(), "/nonexistent",
                new PrintStream(err, true, StandardCharsets.UTF_8), null)
                .run(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(1, exit);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("shardline bench kv-features: runs against redis-server, which is not on the PATH; on Debian or"
                + " Ubuntu: apt-get install redis-server\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void benchNamesTheSuiteAndItsQuickRun() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, BenchMain.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        String usage = out.toString(StandardCharsets.UTF_8);
        assertTrue(usage.contains("\n  kv-features\n") && usage.contains("kv-features 2 rounds of 0.3 s settling"), usage);
        assertEquals(2, BenchMain.run(new String[] {"kv-features", "--slow"}, new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("shardline bench: unknown argument --slow"));
    }
}
