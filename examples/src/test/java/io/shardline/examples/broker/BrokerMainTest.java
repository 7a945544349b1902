package io.shardline.examples.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./shardline broker}'s options: bad ones are usage errors (exit 2); {@code ./shardline help} lists it. */
class BrokerMainTest {

    private static int run(StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new BrokerMain());
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void badOptionsAreUsageErrors() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "--shards", "0"));
        assertTrue(err.toString().contains("--shards must be 1..1024"), err.toString());
        assertTrue(err.toString().contains("Usage: broker"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(err2, "--auto-create-topics", "maybe"));
        assertTrue(err2.toString().contains("--auto-create-topics must be true or false"), err2.toString());
        assertEquals(2, run(new StringWriter(), "--port", "70000"));
        assertEquals(2, run(new StringWriter(), "--num-partitions", "0"));
        assertEquals(2, run(new StringWriter(), "--retention-bytes", "0"));
        assertEquals(2, run(new StringWriter(), "--segment-bytes", "12"));
        assertEquals(2, run(new StringWriter(), "--bogus"));
        assertEquals(2, run(new StringWriter(), "--port"));
    }

    @Test
    void goodOptionsMakeTheConfig() {
        BrokerMain m = new BrokerMain();
        new CommandLine(m).parseArgs("--port", "19092", "--advertised-host", "kafka.example", "--shards", "3",
                "--data", "/tmp/bd", "--num-partitions", "4", "--auto-create-topics", "false", "--retention-bytes", "1000000",
                "--retention-ms", "60000", "--segment-bytes", "1048576");
        m.spec = new CommandLine(m).getCommandSpec();
        BrokerConfig c = m.config();
        assertEquals(19092, c.address().getPort());
        assertEquals("kafka.example", c.hostForClients());
        assertEquals(3, c.shards());
        assertEquals(4, c.numPartitions());
        assertEquals(false, c.autoCreateTopics());
        assertEquals(1_000_000, c.retentionBytes());
        assertEquals(60_000, c.retentionMs());
        assertEquals(1 << 20, c.segmentBytes());
    }

    @Test
    void groupOptionsMakeTheGroupConfig() {
        BrokerMain m = new BrokerMain();
        new CommandLine(m).parseArgs("--group-initial-rebalance-delay-ms", "250");
        m.spec = new CommandLine(m).getCommandSpec();
        assertEquals(250, m.groupConfig().initialRebalanceDelayMs());
        assertEquals(GroupConfig.DEFAULTS.minSessionTimeoutMs(), m.groupConfig().minSessionTimeoutMs());
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "--group-initial-rebalance-delay-ms", "-1"));
        assertTrue(err.toString().contains("--group-initial-rebalance-delay-ms must not be negative"), err.toString());
    }

    @Test
    void theLauncherListsTheBroker() throws Exception {
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("shardline");
        Process p = new ProcessBuilder("bash", script.toString(), "help").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(script));
        assertTrue(out.contains("broker [--port 9092] [--bind 127.0.0.1] [--advertised-host H]"), out);
    }
}
