package io.shardline.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.examples.demo.Demo;
import io.shardline.examples.echo.EchoServer;
import io.shardline.examples.kv.KvConfig;
import io.shardline.examples.kv.KvMain;
import io.shardline.storage.Durability;
import java.time.Duration;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandLineTest {

    private static int run(Object command, StringWriter out, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void theDemoRunsOnMoreShardsThanCpusAndSucceeds() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, run(new Demo(), out, err, "--shards", "3", "--limit", "20000", "--messages", "2000"));
    }

    @Test
    void badDemoOptionsAreUsageErrors() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(new Demo(), new StringWriter(), err, "--shards", "0"));
        assertTrue(err.toString().contains("--shards must be at least 1"), err.toString());
        assertEquals(2, run(new Demo(), new StringWriter(), new StringWriter(), "--bogus"));
    }

    @Test
    void badEchoOptionsAreUsageErrors() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(new EchoServer(), new StringWriter(), err, "--placement", "sideways"));
        assertTrue(err.toString().contains("reuse-port or hand-off"), err.toString());
        assertEquals(2, run(new EchoServer(), new StringWriter(), new StringWriter(), "--port", "70000"));
    }

    @Test
    void aBadMetricsAddressIsAUsageErrorOnEveryServer() {
        for (Object command : new Object[] {new KvMain(), new io.shardline.examples.broker.BrokerMain(), new EchoServer()}) {
            for (String bad : new String[] {"9100", "127.0.0.1:port", "127.0.0.1:70000"}) {
                StringWriter err = new StringWriter();
                assertEquals(2, run(command, new StringWriter(), err, "--metrics", bad), command + " " + bad);
                assertTrue(err.toString().contains("--metrics") && err.toString().contains("Usage:"), err.toString());
            }
        }
    }

    @Test
    void theKvMapsRedisAppendfsyncWordsOntoLogDurability() {
        assertEquals(Durability.always(), KvConfig.fsyncDurability("always"));
        assertEquals(Durability.interval(Duration.ofSeconds(1)), KvConfig.fsyncDurability("everysec"));
        assertEquals(Durability.never(), KvConfig.fsyncDurability("no"));
        assertEquals("everysec", KvConfig.inMemory(1).fsyncName());
        assertEquals(Durability.interval(Duration.ofSeconds(1)), KvConfig.inMemory(1).durability());
    }

    @Test
    void badKvOptionsAreUsageErrors() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(new KvMain(), new StringWriter(), err, "--fsync", "sometimes"));
        assertTrue(err.toString().contains("--fsync must be always, everysec or no"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(new KvMain(), new StringWriter(), err2, "--shards", "0"));
        assertTrue(err2.toString().contains("--shards must be 1..1024"), err2.toString());
        assertEquals(2, run(new KvMain(), new StringWriter(), new StringWriter(), "--port", "-1"));
        assertEquals(2, run(new KvMain(), new StringWriter(), new StringWriter(), "--requirepass", ""));
        assertEquals(2, run(new KvMain(), new StringWriter(), new StringWriter(), "--bogus"));
        StringWriter err3 = new StringWriter();
        assertEquals(2, run(new KvMain(), new StringWriter(), err3, "--appendonly", "sometimes"));
        assertTrue(err3.toString().contains("--appendonly must be yes or no"), err3.toString());
    }
}
