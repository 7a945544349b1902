package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A server in a child JVM with a small heap and no maxmemory, flooded with keys: it answers -OOM once
 * its heap-derived limit is reached and keeps serving, rather than dying of an OutOfMemoryError.
 */
class KvHeapExhaustionTest {
    private static final String OOM = "-OOM command not allowed when used memory > 'maxmemory'.";

    @Test
    void aFloodPastTheHeapGetsOomAndTheServerStaysUp() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-Xmx64m", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"),
                KvMain.class.getName(), "--port", "0", "--shards", "1", "--appendonly", "no"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = port(out);
            Thread drain = Thread.ofVirtual().start(() -> out.lines().forEach(line -> { }));
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(60_000);
                OutputStream w = s.getOutputStream();
                InputStream r = new BufferedInputStream(s.getInputStream());
                String value = "x".repeat(1024);
                int stored = 0;
                String refusal = null;
                // Pipelined batches of SETs, each batch read back before the next, until one is refused.
                for (int batch = 0; batch < 2000 && refusal == null; batch++) {
                    StringBuilder req = new StringBuilder();
                    for (int i = 0; i < 100; i++) {
                        req.append(RawRespText.set("key:" + (batch * 100 + i), value));
                    }
                    w.write(req.toString().getBytes(StandardCharsets.US_ASCII));
                    w.flush();
                    for (int i = 0; i < 100; i++) {
                        String line = line(r);
                        if (line.equals("+OK")) {
                            stored++;
                        } else if (refusal == null) {
                            refusal = line;
                        }
                    }
                }
                assertEquals(OOM, refusal, "after " + stored + " keys");
                assertTrue(stored > 10_000, "the limit is half of a 64 MB heap: " + stored + " keys of 1 kB");
                w.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                w.flush();
                assertEquals("+PONG", line(r), "the shard is still serving");
                w.write("DBSIZE\r\n".getBytes(StandardCharsets.US_ASCII));
                w.flush();
                assertEquals(":" + stored, line(r));
            }
            assertTrue(p.isAlive(), "the server process is up");
            drain.interrupt();
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** The port from the line the server prints once it listens. */
    private static int port(BufferedReader out) throws IOException {
        Pattern listening = Pattern.compile("shardline kv on [^:]+:(\\d+)");
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IOException("the server exited before listening");
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed after " + b);
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** RESP encoding of one SET, as text (ASCII keys and values only). */
    private static final class RawRespText {
        static String set(String key, String value) {
            return "*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$" + value.length() + "\r\n" + value + "\r\n";
        }
    }
}
