package io.shardline.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.examples.demo.Demo;
import io.shardline.examples.echo.EchoServer;
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
}
