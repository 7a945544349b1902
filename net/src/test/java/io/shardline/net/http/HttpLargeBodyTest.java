package io.shardline.net.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardline.net.ConnectionOptions;
import io.shardline.shard.ShardRuntime;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 100 MB uploaded and streamed back on one connection while it is still arriving. The server's
 * write queue is capped at 1 MiB (past it the connection would be closed), so the echo only
 * completes if the codec holds the upload back whenever the response cannot be written: bounded
 * memory, not whole buffering.
 */
class HttpLargeBodyTest {
    private static final long MB = 1024 * 1024;
    private ShardRuntime rt;
    private HttpServer server;

    @BeforeEach
    void start() {
        rt = HttpTestServers.runtime();
        ConnectionOptions tight = ConnectionOptions.DEFAULT.withWatermarks(32 * 1024, 64 * 1024).withMaxQueuedBytes(MB);
        HttpServerOptions options = HttpServerOptions.DEFAULT.withMaxBodyBytes(200 * MB)
                .withServer(HttpServerOptions.DEFAULT.server().withConnection(tight));
        server = HttpServer.start(rt, HttpTestServers.ANY, options, HttpTestServers.streamingEcho());
    }

    @AfterEach
    void stop() {
        server.close();
        rt.close();
    }

    private static byte pattern(long i) {
        return (byte) (i * 31 + (i >>> 11));
    }

    @ParameterizedTest
    @CsvSource({"false, 100", "true, 64"})
    void aLargeBodyStreamsThroughWithBoundedMemory(boolean chunked, long megabytes) throws Exception {
        long size = megabytes * MB;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(60_000); // a hang guard only
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /stream HTTP/1.1\r\nHost: x\r\n"
                            + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n") + "\r\n")
                            .getBytes(ISO_8859_1));
                    byte[] buf = new byte[60_000];
                    for (long at = 0; at < size; ) {
                        int n = (int) Math.min(buf.length, size - at);
                        for (int i = 0; i < n; i++) {
                            buf[i] = pattern(at + i);
                        }
                        if (chunked) {
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(ISO_8859_1));
                        }
                        out.write(buf, 0, n);
                        if (chunked) {
                            out.write("\r\n".getBytes(ISO_8859_1));
                        }
                        at += n;
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(ISO_8859_1));
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, r -> Thread.ofVirtual().start(r));
            RawHttp reader = new RawHttp(s);
            assertEquals("HTTP/1.1 200 OK", reader.line());
            String te = null;
            String line;
            while (!(line = reader.line()).isEmpty()) {
                if (line.regionMatches(true, 0, "transfer-encoding:", 0, 18)) {
                    te = line.substring(18).trim();
                }
            }
            assertEquals("chunked", te, "a streamed response of unknown length is chunked");
            long got = 0;
            InputStream in = reader.in;
            while (true) {
                int n = Integer.parseInt(reader.line(), 16);
                if (n == 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    int b = in.read();
                    if (b != (pattern(got) & 0xff)) {
                        throw new AssertionError("byte " + got + " was " + b + ", expected " + (pattern(got) & 0xff));
                    }
                    got++;
                }
                assertEquals("", reader.line());
            }
            assertEquals("", reader.line());
            assertEquals(size, got);
            upload.get(60, TimeUnit.SECONDS);
        }
    }
}
