package io.shardline.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker suite's pieces against a real Apache Kafka node it starts (standing in for both sides): the
 * node comes up from a formatted storage, every row of a trial moves the records it says, and the report
 * ends with the result line. Counts and shapes only, never speed.
 */
class BrokerSuiteTest {
    private static final Pattern RESULT = Pattern.compile(
            "result: broker produce_ratio=(\\d+\\.\\d\\d) produce_all_ratio=(\\d+\\.\\d\\d) consume_ratio=(\\d+\\.\\d\\d)"
                    + " e2e_p99_ratio=(\\d+\\.\\d\\d)");
    private static final BrokerSuite.Plan TINY = new BrokerSuite.Plan(1, 300, 100, 1024, 4, 200, 1_500);

    @TempDir
    Path dir;
    private BrokerServers servers;
    private ServerProcess kafka;

    @BeforeEach
    void startKafka() throws Exception {
        servers = new BrokerServers(dir, dir);
        kafka = servers.kafka("kafka test");
    }

    @AfterEach
    void stop() {
        servers.close(true);
    }

    @Test
    void aTrialMovesEveryRecordAndTheReportEndsWithTheResultLine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        BrokerSuite suite = new BrokerSuite(new BenchMain.Settings(true), TINY, out);
        Trials.Results<BrokerSuite.Trial> results = Trials.run(out, "test", new Trials.Plan(false, 1, 0), List.of(
                new Trials.Contender<>(BrokerSuite.SHARDLINE, "a", turn -> suite.trial(kafka, turn)),
                new Trials.Contender<>(BrokerSuite.KAFKA, "b", turn -> suite.trial(kafka, turn))), BrokerSuite.Trial::describe,
                null);
        for (String side : List.of(BrokerSuite.SHARDLINE, BrokerSuite.KAFKA)) {
            BrokerSuite.Trial t = results.of(side).get(0);
            assertTrue(t.ok(), side + ": " + t.problem());
            assertEquals(300, t.acks1().records());
            assertEquals(300, t.acksAll().records());
            assertEquals(300, t.consume().records(), "the consumer read back what acks=1 wrote");
            assertEquals(300L * 1024, t.consume().bytes());
            assertEquals(0, t.e2e().missing());
            assertTrue(t.e2e().records() > 0 && t.e2e().p99Micros() >= t.e2e().p50Micros(), t.describe());
        }
        suite.report(out, CpuUse.start(), results);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(RESULT.matcher(lines.getLast()).matches(), lines.getLast());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("produce acks=all (records/s)")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("server CPU consume (ms/MiB)")), lines.toString());
    }

    @Test
    void kafkasSettingsAreItsDefaultsButForWhatOneNodeNeeds() {
        String p = BrokerServers.kafkaProperties(9, 10, Path.of("/d"));
        assertTrue(p.contains("process.roles=broker,controller\n"));
        assertTrue(p.contains("controller.quorum.voters=1@127.0.0.1:10\n"));
        assertTrue(p.contains("listeners=PLAINTEXT://127.0.0.1:9,CONTROLLER://127.0.0.1:10\n"));
        assertTrue(p.contains("log.dirs=/d\n"));
        assertEquals(13, p.lines().count(), "nothing past what a one-node cluster needs to start");
    }
}
