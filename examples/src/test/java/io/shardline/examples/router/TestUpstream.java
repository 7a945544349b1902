package io.shardline.examples.router;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream for the router's tests: the JDK's own HTTP server on an ephemeral loopback port, on
 * virtual threads. Thread-safe. {@code GET /...} answers its name (and {@code X-Upstream}); {@code /slow}
 * waits for {@link #release}; {@code /health} answers {@link #health}; {@code POST|PUT /echo} streams the
 * body back; {@code /big/N} streams N MiB. Every request's fields are kept in {@link #seen}.
 */
final class TestUpstream implements AutoCloseable {
    final String name;
    final AtomicInteger health = new AtomicInteger(200);
    final AtomicInteger hits = new AtomicInteger();
    final BlockingQueue<Headers> seen = new LinkedBlockingQueue<>();
    /** A token per /slow request that has arrived. */
    final BlockingQueue<String> slowArrived = new LinkedBlockingQueue<>();
    private volatile CountDownLatch release = new CountDownLatch(1);
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private TestUpstream(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static TestUpstream start(String name) throws IOException {
        return new TestUpstream(name);
    }

    /** {@code 127.0.0.1:port}, as a route names it. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Lets the waiting (and later) /slow requests answer. */
    void release() {
        release.countDown();
    }

    static byte pattern(long i) {
        return (byte) (i * 31 + (i >>> 11));
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        try (x) {
            if (path.equals("/health")) {
                byte[] b = "ok".getBytes(StandardCharsets.US_ASCII);
                x.sendResponseHeaders(health.get(), b.length);
                x.getResponseBody().write(b);
                return;
            }
            hits.incrementAndGet();
            seen.add(x.getRequestHeaders());
            if (path.equals("/echo")) {
                x.getResponseHeaders().add("X-Upstream", name);
                x.sendResponseHeaders(200, 0); // chunked: the length is not known before the end
                InputStream in = x.getRequestBody();
                OutputStream out = x.getResponseBody();
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                }
                return;
            }
            if (path.startsWith("/big/")) {
                long size = Long.parseLong(path.substring(5)) << 20;
                x.sendResponseHeaders(200, size);
                OutputStream out = x.getResponseBody();
                byte[] buf = new byte[64 * 1024];
                for (long at = 0; at < size; ) {
                    int n = (int) Math.min(buf.length, size - at);
                    for (int i = 0; i < n; i++) {
                        buf[i] = pattern(at + i);
                    }
                    out.write(buf, 0, n);
                    at += n;
                }
                return;
            }
            if (path.equals("/slow")) {
                slowArrived.add(name);
                release.await();
            }
            x.getRequestBody().readAllBytes();
            byte[] b = name.getBytes(StandardCharsets.US_ASCII);
            x.getResponseHeaders().add("X-Upstream", name);
            x.getResponseHeaders().add("Keep-Alive", "timeout=5");
            x.getResponseHeaders().add("Proxy-Agent", "test");
            if (x.getRequestMethod().equals("HEAD")) {
                x.getResponseHeaders().set("Content-Length", String.valueOf(b.length)); // what a GET would have
            }
            x.sendResponseHeaders(200, x.getRequestMethod().equals("HEAD") ? -1 : b.length);
            if (!x.getRequestMethod().equals("HEAD")) {
                x.getResponseBody().write(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
