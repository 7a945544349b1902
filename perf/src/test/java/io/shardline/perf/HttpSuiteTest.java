package io.shardline.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The http suite's servers answer TechEmpower's tests correctly (real requests to each, over the JDK's
 * client and a raw pipelined socket), a forked server starts and stops, and wrk's report is read.
 * No timing is asserted.
 */
class HttpSuiteTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    @Test
    void everyServerAnswersPlaintextAndJsonAsTechEmpowerDefinesThem() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        for (HelloServer.Kind kind : HelloServer.Kind.values()) {
            try (HelloServer server = kind.start(ANY, 2)) {
                String base = "http://127.0.0.1:" + server.port();
                HttpResponse<String> plain = get(client, base + Hello.PLAINTEXT_PATH);
                assertEquals(200, plain.statusCode(), kind.label);
                assertEquals("Hello, World!", plain.body(), kind.label);
                assertEquals("text/plain", plain.headers().firstValue("content-type").orElse(null), kind.label);
                assertEquals("13", plain.headers().firstValue("content-length").orElse(null), kind.label);
                assertTrue(plain.headers().firstValue("server").filter(s -> !s.isBlank()).isPresent(), kind.label);
                String date = plain.headers().firstValue("date").orElseThrow(() -> new AssertionError(kind.label + ": no Date"));
                IMF_FIXDATE.parse(date); // fails on a malformed date
                assertEquals(29, date.length(), kind.label + " Date is not IMF-fixdate: " + date);

                HttpResponse<String> json = get(client, base + Hello.JSON_PATH);
                assertEquals(200, json.statusCode(), kind.label);
                assertEquals(Hello.JSON, json.body(), kind.label);
                assertEquals("application/json", json.headers().firstValue("content-type").orElse(null), kind.label);
                assertTrue(json.headers().firstValue("server").isPresent() && json.headers().firstValue("date").isPresent(),
                        kind.label);

                assertEquals(404, get(client, base + "/nothing-here").statusCode(), kind.label);
                assertPipelinedAnswersInOrder(kind, server.port());
            }
        }
    }

    /** Three requests in one write (as wrk's pipelining script sends them) get three responses, in order. */
    private static void assertPipelinedAnswersInOrder(HelloServer.Kind kind, int port) throws Exception {
        String req = "GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n";
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((req.formatted(Hello.PLAINTEXT_PATH) + req.formatted(Hello.JSON_PATH)
                    + req.formatted(Hello.PLAINTEXT_PATH)).getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            String text = "";
            while (count(text, "Hello, World!") < 3) { // the JSON body holds it too
                int n = in.read(buf);
                assertTrue(n > 0, kind.label + " closed after " + text);
                got.write(buf, 0, n);
                text = got.toString(StandardCharsets.US_ASCII);
            }
            assertEquals(3, count(text, "HTTP/1.1 200 OK\r\n"), kind.label + ": " + text);
            int first = text.indexOf("\r\n\r\nHello, World!");
            int json = text.indexOf(Hello.JSON);
            int last = text.lastIndexOf("\r\n\r\nHello, World!");
            assertTrue(first >= 0 && first < json && json < last, kind.label + " answered out of order: " + text);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theJsonBodyIsSerializedForEachRequest() {
        byte[] a = Hello.json();
        byte[] b = Hello.json();
        assertEquals(Hello.JSON, new String(a, StandardCharsets.UTF_8));
        assertFalse(a == b, "a cached body");
    }

    @Test
    void aForkedServerListensAndStopsWhenClosed(@TempDir Path dir) throws Exception {
        HelloServerFork fork = HelloServerFork.start(HelloServer.Kind.SHARDLINE, 1, List.of(), dir.resolve("s.log"));
        try {
            assertTrue(fork.description().startsWith("Shardline 1 shard"), fork.description());
            HttpResponse<String> r = get(HttpClient.newHttpClient(), "http://127.0.0.1:" + fork.port() + Hello.PLAINTEXT_PATH);
            assertEquals("Hello, World!", r.body());
            assertTrue(fork.flags().containsAll(HelloServerFork.HEAP_FLAGS), fork.flags().toString());
        } finally {
            fork.close();
        }
        assertFalse(fork.alive());
    }

    @Test
    void wrksReportIsRead() {
        String out = """
                Running 7s test @ http://127.0.0.1:41235/plaintext
                  2 threads and 256 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency     2.10ms    3.02ms  61.80ms   91.22%
                    Req/Sec    64.92k     7.36k   84.36k    70.71%
                  Latency Distribution
                     50%  850.00us
                     75%    2.10ms
                     90%    5.20ms
                     99%    1.20s
                  903912 requests in 7.00s, 118.09MB read
                  Socket errors: connect 0, read 3, write 0, timeout 4
                  Non-2xx or 3xx responses: 2
                Requests/sec: 129130.29
                Transfer/sec:     16.87MB
                """;
        Wrk.Result r = Wrk.parse(out);
        assertTrue(r.ok(), r.error());
        assertEquals(129130.29, r.rps(), 1e-6);
        assertEquals(903912, r.requests());
        assertEquals(850.0, r.p50(), 1e-9);
        assertEquals(2100.0, r.p75(), 1e-9);
        assertEquals(5200.0, r.p90(), 1e-9);
        assertEquals(1_200_000.0, r.p99(), 1e-9);
        assertEquals(7, r.socketErrors());
        assertEquals(2, r.non2xx());
        assertTrue(Double.isNaN(Wrk.parse(out.replace("99%    1.20s", "99%    0.00us")).p99()));
        assertFalse(Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused").ok());
    }

    @Test
    void wrkDrivesAServerPlainAndPipelined(@TempDir Path dir) throws Exception {
        assumeTrue(KvServers.missing(System.getenv("PATH"), List.of(Wrk.COMMAND)).isEmpty(), "wrk not installed");
        Wrk wrk = new Wrk(dir);
        assertTrue(Files.readString(dir.resolve("pipeline.lua")).contains("wrk.format()"));
        try (HelloServer server = HelloServer.Kind.SHARDLINE.start(ANY, 1)) {
            String url = "http://127.0.0.1:" + server.port() + Hello.PLAINTEXT_PATH;
            for (int depth : new int[] {1, HttpSuite.DEPTH}) {
                Wrk.Result r = wrk.run(url, new Wrk.Load(1, 4, 1, depth));
                assertTrue(r.ok(), r.error());
                assertTrue(r.requests() > 0 && r.rps() > 0, "no requests at depth " + depth);
                assertEquals(0, r.non2xx(), "non-2xx answers at depth " + depth);
                if (depth == 1) { // pipelined, wrk 4.1 may print 0 for upper percentiles
                    assertTrue(r.p50() > 0 && r.p99() >= r.p50(), "no latency distribution: " + r);
                }
            }
        }
    }

    @Test
    void withoutWrkTheSuiteNamesTheDebianPackageAndFails() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = new HttpSuite(new BenchMain.Settings(true), "/nonexistent-dir", new PrintStream(err, true))
                .run(new PrintStream(out, true));
        assertEquals(1, exit);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("install the package wrk"), message);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
