package io.shardline.net.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.core.Loop;
import io.shardline.shard.ShardRuntime;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the server, and against hand-written responses it must also read. */
class HttpClientTest {
    private ShardRuntime rt;
    private HttpServer server;

    @BeforeEach
    void start() {
        rt = HttpTestServers.runtime();
        server = HttpServer.start(rt, HttpTestServers.ANY, HttpServerOptions.DEFAULT, HttpTestServers.router());
    }

    @AfterEach
    void stop() {
        server.close();
        rt.close();
    }

    /** Runs {@code body} with a client connected to {@code port}, on shard 1, and waits for its result. */
    private <T> T withClient(int port, Function<HttpClientConnection, Future<T>> body) throws Exception {
        Loop loop = rt.shard(1).loop();
        CompletableFuture<T> f = loop.callAsync(() -> HttpClient.connect(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), HttpClientOptions.DEFAULT).flatMap(body));
        return f.get(20, TimeUnit.SECONDS);
    }

    private static Future<String> text(Future<ClientResponse> r) {
        return r.flatMap(resp -> resp.body().aggregate(1 << 20)).map(b -> new String(b, ISO_8859_1));
    }

    @Test
    void pipelinedRequestsGetTheirOwnResponsesInOrder() throws Exception {
        List<String> got = withClient(server.port(), c -> Futures.all(List.of(
                text(c.send(ClientRequest.get("/delay/50"))),
                text(c.send(ClientRequest.get("/users/1"))),
                text(c.send(ClientRequest.post("/echo", "abc".getBytes(ISO_8859_1)))),
                text(c.send(ClientRequest.get("/chunked"))),
                text(c.send(ClientRequest.get("/users/2"))))));
        assertEquals(List.of("delayed 50", "user 1", "abc", "part one, part two, part three", "user 2"), got);
    }

    @Test
    void chunkedResponseTrailersAreKept() throws Exception {
        String parts = withClient(server.port(), c -> c.send(ClientRequest.get("/chunked"))
                .flatMap(r -> r.body().aggregate(1 << 20).map(b -> r.body().trailers().get("x-parts"))));
        assertEquals("3", parts);
    }

    @Test
    void headAndBodylessResponsesHaveNoBody() throws Exception {
        List<String> got = withClient(server.port(), c -> Futures.all(List.of(
                c.send(ClientRequest.head("/hello")).flatMap(r -> r.body().aggregate(100)
                        .map(b -> r.status() + " " + r.headers().get("content-length") + " " + b.length)),
                c.send(ClientRequest.get("/nocontent")).flatMap(r -> r.body().aggregate(100).map(b -> r.status() + " " + b.length)),
                c.send(ClientRequest.get("/notmodified")).flatMap(r -> r.body().aggregate(100).map(b -> r.status() + " " + b.length)),
                text(c.send(ClientRequest.get("/hello"))))));
        assertEquals(List.of("200 13 0", "204 0", "304 0", "Hello, World!"), got);
    }

    @Test
    void aStreamedChunkedRequestBody() throws Exception {
        String got = withClient(server.port(), c -> text(c.send(ClientRequest.of("POST", "/echo").body(-1, sink -> {
            sink.write("one ".getBytes(ISO_8859_1));
            Loop.current().execute(() -> {
                sink.write("two".getBytes(ISO_8859_1));
                sink.end();
            });
        }))).flatMap(first -> text(c.send(ClientRequest.get("/users/3"))).map(second -> first + "|" + second)));
        assertEquals("one two|user 3", got);
    }

    /** A one-shot server that reads a request head and answers {@code response}, then closes. */
    private static int rawServer(String response) throws Exception {
        ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try (ss; Socket s = ss.accept()) {
                InputStream in = s.getInputStream();
                int state = 0;
                while (state < 4) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    state = (b == '\r' || b == '\n') ? state + 1 : 0;
                }
                OutputStream out = s.getOutputStream();
                out.write(response.getBytes(ISO_8859_1));
                out.flush();
            } catch (Exception ignored) {
                // the test sees what the client got
            }
        });
        return ss.getLocalPort();
    }

    @Test
    void informationalResponsesAreSkippedAndAnUndelimitedBodyIsReadToTheClose() throws Exception {
        int port = rawServer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nall of this until the close");
        String got = withClient(port, c -> c.send(ClientRequest.get("/")).flatMap(r -> r.body().aggregate(1000)
                .map(b -> r.status() + " " + r.headers().get("x-a") + " " + new String(b, ISO_8859_1) + " " + c.isReusable())));
        assertEquals("200 1 all of this until the close false", got);
    }

    @Test
    void anHttp10ResponseAndAChunkedOneFromARawServer() throws Exception {
        int p10 = rawServer("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertEquals("ok false", withClient(p10, c -> text(c.send(ClientRequest.get("/"))).map(s -> s + " " + c.isReusable())));
        int chunked = rawServer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x\r\nabc\r\n0\r\nT: v\r\n\r\n");
        assertEquals("abc", withClient(chunked, c -> text(c.send(ClientRequest.get("/")))));
    }

    @Test
    void aBrokenResponseFailsTheRequest() throws Exception {
        int port = rawServer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> withClient(port, c -> text(c.send(ClientRequest.get("/")))));
        assertTrue(e.getCause() != null, e.toString());
        int bad = rawServer("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx");
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> withClient(bad, c -> text(c.send(ClientRequest.get("/")))));
    }

    @Test
    void aLargeResponseStreamsToAReaderThatPausesAndResumes() throws Exception {
        // The reader pauses after every part and resumes from a later task, so the client's socket
        // is read only as fast as it consumes; the server, which honours whenWritable, waits meanwhile.
        String got = withClient(server.port(), c -> c.send(ClientRequest.get("/big/16")).flatMap(r -> {
            io.shardline.core.Promise<String> done = new io.shardline.core.Promise<>();
            HttpBody body = r.body();
            body.read(new BodyReader() {
                long n;
                long mismatch = -1;

                @Override
                public void onData(java.nio.ByteBuffer part) {
                    while (part.hasRemaining()) {
                        if (part.get() != (byte) n && mismatch < 0) {
                            mismatch = n;
                        }
                        n++;
                    }
                    body.pause();
                    Loop.current().execute(body::resume);
                }

                @Override
                public void onEnd(HttpHeaders trailers) {
                    done.trySucceed(n + " " + mismatch);
                }

                @Override
                public void onError(Throwable cause) {
                    done.tryFail(cause);
                }
            });
            return done;
        }).flatMap(s -> text(c.send(ClientRequest.get("/users/5"))).map(next -> s + " " + next)));
        assertEquals((16L << 20) + " -1 user 5", got);
    }

    @Test
    void aRequestSentWhileAnEarlierBodyIsStillStreamingWaitsItsTurn() throws Exception {
        String got = withClient(server.port(), c -> {
            Future<String> first = text(c.send(ClientRequest.of("POST", "/echo").body(-1, sink -> {
                sink.write("early ".getBytes(ISO_8859_1));
                Loop.current().schedule(java.time.Duration.ofMillis(20), () -> {
                    sink.write("late".getBytes(ISO_8859_1));
                    sink.end();
                });
            })));
            Future<String> second = text(c.send(ClientRequest.get("/users/4")));
            return Futures.all(List.of(first, second)).map(l -> l.get(0) + "|" + l.get(1));
        });
        assertEquals("early late|user 4", got);
    }

    @Test
    void keepAliveReusesOneConnection() throws Exception {
        String got = withClient(server.port(), c -> text(c.send(ClientRequest.get("/users/1")))
                .flatMap(a -> text(c.send(ClientRequest.get("/users/2"))).map(b -> a + "," + b + "," + c.isReusable())));
        assertEquals("user 1,user 2,true", got);
    }
}
