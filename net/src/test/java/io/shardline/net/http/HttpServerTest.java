package io.shardline.net.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.shard.ShardRuntime;
import java.time.Duration;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server over real sockets, with the bytes on the wire checked: keep-alive, pipelining, bodies, limits, timeouts. */
class HttpServerTest {
    private ShardRuntime rt;
    private HttpServer server;

    @BeforeEach
    void start() {
        rt = HttpTestServers.runtime();
        server = HttpServer.start(rt, HttpTestServers.ANY, HttpServerOptions.DEFAULT.withMaxBodyBytes(1 << 20)
                .withHeaderTimeout(Duration.ofMillis(300)).withIdleTimeout(Duration.ofMillis(300)), HttpTestServers.router());
    }

    @AfterEach
    void stop() {
        server.close();
        rt.close();
    }

    private RawHttp client() throws Exception {
        return new RawHttp(server.port());
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnectionWithADate() throws Exception {
        try (RawHttp c = client()) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Response r = c.send("GET /users/" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals("HTTP/1.1 200 OK", r.statusLine());
                assertEquals("user " + i, r.text());
                assertEquals(String.valueOf(r.body().length), r.header("content-length"));
                assertNull(r.header("connection"));
                ZonedDateTime d = ZonedDateTime.parse(r.header("date"), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                assertTrue(r.header("date").matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"), r.header("date"));
                assertTrue(Math.abs(d.toEpochSecond() - System.currentTimeMillis() / 1000) < 300);
            }
        }
    }

    @Test
    void pipelinedResponsesComeInRequestOrderEvenWhenTheFirstIsSlow() throws Exception {
        try (RawHttp c = client()) {
            c.send("GET /delay/100 HTTP/1.1\r\nHost: x\r\n\r\nGET /users/7 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("delayed 100", c.read().text());
            assertEquals("user 7", c.read().text());
            assertEquals("abc", c.read().text());
            RawHttp.Response head = c.read(true);
            assertEquals("13", head.header("content-length"));
            assertEquals("Hello, World!", c.read().text());
        }
    }

    @Test
    void manyPipelinedRequestsInOneWrite() throws Exception {
        try (RawHttp c = client()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                sb.append("GET /users/").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    c.send(sb.toString());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            for (int i = 0; i < 2000; i++) {
                assertEquals("user " + i, c.read().text());
            }
            writer.join();
        }
    }

    @Test
    void chunkedRequestBodyWithTrailers() throws Exception {
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 11\r\n\r\n").read();
            assertEquals(200, r.status());
            assertEquals("hello world", r.text());
            assertEquals("11", r.header("x-trailer-sum"));
            assertEquals("user 1", c.send("GET /users/1 HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
        }
    }

    @Test
    void chunkedResponseBodyInPartsWithTrailers() throws Exception {
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send("GET /chunked HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals("chunked", r.header("transfer-encoding"));
            assertNull(r.header("content-length"));
            assertEquals("part one, part two, part three", r.text());
            assertEquals("3", r.trailers().get("x-parts"));
            RawHttp.Response sized = c.send("GET /sized HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals("6", sized.header("content-length"));
            assertNull(sized.header("transfer-encoding"));
            assertEquals("abcdef", sized.text());
        }
    }

    @Test
    void headSendsTheHeadOnlyWithTheLength() throws Exception {
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertEquals(200, r.status());
            assertEquals("13", r.header("content-length"));
            RawHttp.Response chunked = c.send("HEAD /chunked HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertEquals(200, chunked.status());
            // No body bytes followed either head: the next response starts right here.
            assertEquals("Hello, World!", c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
        }
    }

    @Test
    void noContentAndNotModifiedHaveNoBody() throws Exception {
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send("GET /nocontent HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(204, r.status());
            assertNull(r.header("content-length"));
            assertEquals(304, c.send("GET /notmodified HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            assertEquals("Hello, World!", c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
            assertEquals("close", r.header("connection"));
            assertEquals("Hello, World!", r.text());
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void http10ClientsGetNoKeepAliveUnlessAskedAndNoChunked() throws Exception {
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send("GET /hello HTTP/1.0\r\n\r\n").read();
            assertEquals("Hello, World!", r.text());
            assertEquals("close", r.header("connection"));
            assertTrue(c.closedByPeer());
        }
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("keep-alive", r.header("connection"));
            RawHttp.Response chunked = c.send("GET /chunked HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertNull(chunked.header("transfer-encoding"), "an HTTP/1.0 client gets no chunked body");
            assertEquals("close", chunked.header("connection"));
            assertEquals("part one, part two, part three", chunked.text(), "read until close");
        }
    }

    @Test
    void expectContinueIsAnsweredWhenTheBodyIsRead() throws Exception {
        try (RawHttp c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", c.line());
            assertEquals("", c.line());
            RawHttp.Response r = c.send("ping").read();
            assertEquals("ping", r.text());
        }
        try (RawHttp c = client()) {
            // A handler that answers without reading the body: no 100, and the connection closes, as
            // the client never sends the body it was not invited to send.
            RawHttp.Response r = c.send("POST /ignore HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n").read();
            assertEquals("ignored", r.text());
            assertEquals("close", r.header("connection"));
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void anUnreadBodyIsSkippedAndTheConnectionGoesOn() throws Exception {
        try (RawHttp c = client()) {
            assertEquals("ignored", c.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nxxxxx").read().text());
            assertEquals("ignored", c.send("POST /ignore HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n0\r\n\r\n").read().text());
            assertEquals("Hello, World!", c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
        }
    }

    private void refused(String request, int status) throws Exception {
        try (RawHttp c = client()) {
            RawHttp.Response r = c.send(request).read();
            assertEquals(status, r.status(), request.length() > 200 ? request.substring(0, 200) : request);
            assertEquals("close", r.header("connection"));
            assertTrue(c.closedByPeer(), "a refused request closes the connection");
        }
    }

    @Test
    void limitsAndBadRequestsAreAnsweredAndClosed() throws Exception {
        refused("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
        refused("GET /" + "a".repeat(9000), 414); // still incomplete when the limit passes
        refused("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n", 431);
        refused("GET / HTTP/1.1\r\nHost: x\r\n" + "X-Many: b\r\n".repeat(900), 431);
        refused("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n", 413);
        refused("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + ("4000\r\n" + "z".repeat(0x4000) + "\r\n").repeat(70), 413);
        refused("GET / HTTP/1.1\r\n\r\n", 400);
        refused("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400);
        refused("GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", 400);
        refused("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501);
        refused("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400);
        refused("GET / HTTP/3.0\r\nHost: x\r\n\r\n", 505);
    }

    @Test
    void aPipelinedBadRequestIsAnsweredAfterTheGoodOnesBeforeIt() throws Exception {
        try (RawHttp c = client()) {
            c.send("GET /delay/50 HTTP/1.1\r\nHost: x\r\n\r\nGET /bad HTTP/1.1\r\nHost: x\r\nContent-Length : 1\r\n\r\n");
            assertEquals("delayed 50", c.read().text());
            assertEquals(400, c.read().status());
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void routerAnswers404And405WithAllow() throws Exception {
        try (RawHttp c = client()) {
            assertEquals(404, c.send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            RawHttp.Response r = c.send("DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(405, r.status());
            assertEquals("GET, HEAD", r.header("allow"));
            assertEquals("file a/b/c.txt", c.send("GET /files/a/b/c.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            assertEquals("user 9", c.send("GET http://x/users/9?q HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            assertEquals(500, c.send("GET /throws HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            assertEquals("HTTP/1.1 418 ", c.send("GET /teapot HTTP/1.1\r\nHost: x\r\n\r\n").read().statusLine());
            assertEquals("Hello, World!", c.send("\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().text(),
                    "a blank line before a request is ignored");
        }
    }

    @Test
    void slowlorisGets408AndTheConnectionCloses() throws Exception {
        try (RawHttp c = client()) {
            c.send("GET /hello HTTP/1.1\r\nHo");
            RawHttp.Response r = c.read();
            assertEquals(408, r.status());
            assertEquals("close", r.header("connection"));
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void aClientThatShutsItsOutputStillGetsEveryPipelinedAnswer() throws Exception {
        try (RawHttp c = client()) {
            c.send("GET /delay/30 HTTP/1.1\r\nHost: x\r\n\r\nGET /users/8 HTTP/1.1\r\nHost: x\r\n\r\n");
            c.socket.shutdownOutput();
            assertEquals("delayed 30", c.read().text());
            assertEquals("user 8", c.read().text());
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void aConnectionThatNeverSendsIsClosedQuietly() throws Exception {
        try (RawHttp c = client()) {
            assertTrue(c.closedByPeer(), "closed with no response");
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosed() throws Exception {
        try (RawHttp c = client()) {
            assertEquals("Hello, World!", c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void eachShardHasItsOwnDateLine() throws Exception {
        java.util.concurrent.Callable<Object[]> probe = () -> {
            HttpDate d = HttpDate.of(io.shardline.core.Loop.current());
            return new Object[] {d, d == HttpDate.of(io.shardline.core.Loop.current()),
                    new String(d.line(), java.nio.charset.StandardCharsets.US_ASCII)};
        };
        Object[] zero = rt.shard(0).loop().call(probe).get(20, java.util.concurrent.TimeUnit.SECONDS);
        Object[] one = rt.shard(1).loop().call(probe).get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue((Boolean) zero[1], "one cache per shard, found again");
        assertTrue(zero[0] != one[0], "no cache shared between shards");
        assertTrue(((String) zero[2]).matches("Date: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n"),
                (String) zero[2]);
    }

    @Test
    void theHandlerRunsOnTheConnectionsShard() throws Exception {
        try (RawHttp c = client()) {
            String first = c.send("GET /shard HTTP/1.1\r\nHost: x\r\n\r\n").read().text();
            for (int i = 0; i < 5; i++) {
                assertEquals(first, c.send("GET /shard HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            }
            assertNotNull(first);
            assertFalse(first.isEmpty());
        }
    }
}
