package io.shardline.net.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shardline.shard.ShardRuntime;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Clients people use against the server: the JDK's HttpClient, and curl where it is installed. */
class HttpRealClientsTest {
    private ShardRuntime rt;
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() {
        rt = HttpTestServers.runtime();
        server = HttpServer.start(rt, HttpTestServers.ANY, HttpServerOptions.DEFAULT, HttpTestServers.router());
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        rt.close();
    }

    private static HttpClient jdk() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void jdkHttpClientGetsPostsAndStreams() throws Exception {
        try (HttpClient c = jdk()) {
            HttpResponse<String> hello = c.send(HttpRequest.newBuilder(URI.create(base + "/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, hello.statusCode());
            assertEquals("Hello, World!", hello.body());
            assertEquals("text/plain; charset=utf-8", hello.headers().firstValue("content-type").orElseThrow());

            byte[] payload = new byte[300_000];
            new Random(1).nextBytes(payload);
            HttpResponse<byte[]> echoed = c.send(HttpRequest.newBuilder(URI.create(base + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, echoed.statusCode());
            assertTrue(java.util.Arrays.equals(payload, echoed.body()));

            // ofInputStream has no length: the JDK sends it chunked.
            HttpResponse<byte[]> chunkedUp = c.send(HttpRequest.newBuilder(URI.create(base + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(payload))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertTrue(java.util.Arrays.equals(payload, chunkedUp.body()));

            // Without trailers: the JDK client's own parser trips an assertion on chunked trailers under -ea.
            HttpResponse<String> chunkedDown = c.send(HttpRequest.newBuilder(URI.create(base + "/parts")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("part one, part two", chunkedDown.body());

            HttpResponse<String> head = c.send(HttpRequest.newBuilder(URI.create(base + "/hello"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("13", head.headers().firstValue("content-length").orElseThrow());
            assertEquals("", head.body());

            HttpResponse<String> missing = c.send(HttpRequest.newBuilder(URI.create(base + "/missing")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
        }
    }

    @Test
    void jdkHttpClientManyConcurrentRequests() throws Exception {
        try (HttpClient c = jdk()) {
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                all.add(c.sendAsync(HttpRequest.newBuilder(URI.create(base + "/users/" + i)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < all.size(); i++) {
                assertEquals("user " + i, all.get(i).get(20, TimeUnit.SECONDS).body());
            }
        }
    }

    private static boolean hasCurl() {
        return Files.isExecutable(Path.of("/usr/bin/curl")) || Files.isExecutable(Path.of("/usr/local/bin/curl"));
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl finished");
        assertEquals(0, p.exitValue(), "curl failed: " + new String(out, ISO_8859_1));
        return new String(out, ISO_8859_1);
    }

    @Test
    void curlWhereInstalled() throws Exception {
        assumeTrue(hasCurl(), "curl is not installed");
        assertEquals("Hello, World!", curl(base + "/hello"));
        // Two URLs on one command line share a keep-alive connection.
        assertEquals("user 1user 2", curl(base + "/users/1", base + "/users/2"));
        String verbose = curl("-i", "--http1.0", base + "/hello");
        assertTrue(verbose.startsWith("HTTP/1.1 200 OK\r\n"), verbose);
        assertTrue(verbose.contains("Connection: close\r\n"), verbose);
        Path body = Files.createTempFile("http-test", ".bin");
        try {
            Files.write(body, "x".repeat(5000).getBytes(ISO_8859_1));
            // curl asks for 100-continue on a body over 1 MiB only by default; ask explicitly.
            assertEquals("x".repeat(5000), curl("-H", "Expect: 100-continue", "--data-binary", "@" + body, base + "/echo"));
            assertEquals("x".repeat(5000), curl("-H", "Transfer-Encoding: chunked", "--data-binary", "@" + body, base + "/echo"));
        } finally {
            Files.delete(body);
        }
        String head = curl("-I", base + "/hello");
        assertTrue(head.contains("Content-Length: 13"), head);
        assertEquals("part one, part two, part three", curl(base + "/chunked"));
    }
}
