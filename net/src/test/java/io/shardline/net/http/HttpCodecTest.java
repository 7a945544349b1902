package io.shardline.net.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The codec without sockets: request heads, limits, smuggling, chunked decoding, patterns. */
class HttpCodecTest {
    private static final int LIMIT = 8 * 1024;

    private static HttpRequest parse(String head) {
        return HeadParser.parseRequest(head.getBytes(ISO_8859_1), LIMIT, LIMIT);
    }

    private static int status(String head) {
        return assertThrows(HttpException.class, () -> parse(head)).status();
    }

    @Test
    void parsesRequestLineTargetAndFields() {
        HttpRequest r = parse("POST /a/b?x=1&y HTTP/1.1\r\nHost: example.com\r\nX-Thing:  spaced value \t\r\n"
                + "Content-Length: 5\r\n\r\n");
        assertEquals("POST", r.method());
        assertEquals("/a/b?x=1&y", r.target());
        assertEquals("/a/b", r.path());
        assertEquals("x=1&y", r.query());
        assertEquals(1, r.minorVersion());
        assertEquals("example.com", r.host());
        assertEquals("spaced value", r.headers().get("x-thing"));
        assertEquals("spaced value", r.headers().get("X-THING"), "names are case-insensitive");
        assertEquals(5, r.contentLength());
        assertTrue(r.keepAlive());
        assertFalse(r.expectContinue());
    }

    @Test
    void standardMethodsAreSharedConstants() {
        assertTrue(parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n").method() == "GET");
        assertEquals("PROPFIND", parse("PROPFIND / HTTP/1.1\r\nHost: h\r\n\r\n").method());
    }

    @Test
    void bareLfLineEndsAreAccepted() {
        assertEquals("h", parse("GET / HTTP/1.1\nHost: h\n\n").host());
    }

    @Test
    void absoluteFormTargetIsAcceptedAndItsAuthorityWins() {
        HttpRequest r = parse("GET http://other.example:8080/p/q?z HTTP/1.1\r\nHost: ignored\r\n\r\n");
        assertEquals("other.example:8080", r.host());
        assertEquals("/p/q", r.path());
        assertEquals("z", r.query());
        assertEquals("/", parse("GET HTTPS://h.example HTTP/1.1\r\nHost: h\r\n\r\n").path());
        assertEquals("*", parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").path());
    }

    @Test
    void http10KeepAliveOnlyWhenAsked() {
        assertFalse(parse("GET / HTTP/1.0\r\n\r\n").keepAlive());
        assertTrue(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive());
        assertFalse(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, close\r\n\r\n").keepAlive());
        assertNull(parse("GET / HTTP/1.0\r\n\r\n").host(), "HTTP/1.0 needs no Host");
    }

    @Test
    void expectContinueNeedsABody() {
        assertTrue(parse("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n").expectContinue());
        assertFalse(parse("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n").expectContinue());
        assertEquals(417, status("PUT / HTTP/1.1\r\nHost: h\r\nExpect: teapot\r\nContent-Length: 3\r\n\r\n"));
    }

    @Test
    void chunkedFraming() {
        HttpRequest r = parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n");
        assertTrue(r.chunked());
        assertEquals(-1, r.contentLength());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing Host in 1.1             | GET / HTTP/1.1\\r\\n\\r\\n                                                              | 400",
        "two Host fields                 | GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n                                          | 400",
        "CL and TE                       | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n | 400",
        "TE and CL                       | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 3\\r\\n\\r\\n | 400",
        "conflicting CL fields           | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 3\\r\\nContent-Length: 4\\r\\n\\r\\n     | 400",
        "conflicting CL list             | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 3, 4\\r\\n\\r\\n                         | 400",
        "signed CL                       | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: +3\\r\\n\\r\\n                           | 400",
        "hex CL                          | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 0x3\\r\\n\\r\\n                          | 400",
        "empty CL                        | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length:\\r\\n\\r\\n                              | 400",
        "huge CL                         | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 99999999999999999999\\r\\n\\r\\n         | 400",
        "obs-fold                        | GET / HTTP/1.1\\r\\nHost: h\\r\\nX-A: one\\r\\n two\\r\\n\\r\\n                              | 400",
        "obs-fold with tab               | GET / HTTP/1.1\\r\\nHost: h\\r\\nX-A: one\\r\\n\\ttwo\\r\\n\\r\\n                            | 400",
        "space before colon              | GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length : 3\\r\\n\\r\\n                          | 400",
        "tab before colon                | GET / HTTP/1.1\\r\\nHost: h\\r\\nX-A\\t: 3\\r\\n\\r\\n                                     | 400",
        "TE gzip alone                   | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n                     | 400",
        "TE chunked then gzip            | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked, gzip\\r\\n\\r\\n            | 400",
        "TE chunked twice                | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n | 400",
        "TE gzip then chunked            | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n            | 501",
        "TE in HTTP/1.0                  | POST / HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n                           | 400",
        "bad version                     | GET / HTTP/x.1\\r\\nHost: h\\r\\n\\r\\n                                                | 400",
        "HTTP/2.0                        | GET / HTTP/2.0\\r\\nHost: h\\r\\n\\r\\n                                                | 505",
        "lowercase version               | GET / http/1.1\\r\\nHost: h\\r\\n\\r\\n                                                | 400",
        "two spaces                      | GET  / HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                                               | 400",
        "no target                       | GET HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                                                  | 400",
        "bad method char                 | G(T / HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                                                | 400",
        "control char in value           | GET / HTTP/1.1\\r\\nHost: h\\r\\nX-A: a\\u0001b\\r\\n\\r\\n                                | 400",
        "bare CR in value                | GET / HTTP/1.1\\r\\nHost: h\\r\\nX-A: a\\rb\\r\\n\\r\\n                                   | 400",
        "field without colon             | GET / HTTP/1.1\\r\\nHost: h\\r\\nnocolon\\r\\n\\r\\n                                   | 400",
        "empty field name                | GET / HTTP/1.1\\r\\nHost: h\\r\\n: v\\r\\n\\r\\n                                       | 400",
        "authority-form for GET          | GET example.com:80 HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                                   | 400",
    })
    void refuses(String why, String head, int expected) {
        assertEquals(expected, status(unescape(head)), why);
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\u0001", "\u0001");
    }

    @Test
    void sameContentLengthTwiceIsAccepted() {
        assertEquals(3, parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n").contentLength());
        assertEquals(3, parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\n\r\n").contentLength());
    }

    @Test
    void uriLimitIs414AndHeaderLimitIs431() {
        String longTarget = "/" + "a".repeat(LIMIT);
        assertEquals(414, status("GET " + longTarget + " HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertEquals("/" + "a".repeat(LIMIT - 1), parse("GET /" + "a".repeat(LIMIT - 1) + " HTTP/1.1\r\nHost: h\r\n\r\n").path());
        String bigField = "X-Big: " + "b".repeat(LIMIT) + "\r\n";
        assertEquals(431, status("GET / HTTP/1.1\r\nHost: h\r\n" + bigField + "\r\n"));
        // While a head is incomplete the same limits apply, so a client cannot make it grow without end.
        byte[] partialLine = ("GET /" + "a".repeat(LIMIT + 100)).getBytes(ISO_8859_1);
        assertEquals(414, assertThrows(HttpException.class,
                () -> HeadParser.checkIncomplete(partialLine, 0, partialLine.length, LIMIT, LIMIT)).status());
        byte[] partialFields = ("GET / HTTP/1.1\r\nHost: h\r\n" + bigField).getBytes(ISO_8859_1);
        assertEquals(431, assertThrows(HttpException.class,
                () -> HeadParser.checkIncomplete(partialFields, 0, partialFields.length, LIMIT, LIMIT)).status());
        byte[] fine = "GET / HTTP/1.1\r\nHost: h\r\n".getBytes(ISO_8859_1);
        HeadParser.checkIncomplete(fine, 0, fine.length, LIMIT, LIMIT);
    }

    @Test
    void findsTheEndOfAHeadAcrossCalls() {
        byte[] a = "GET / HTTP/1.1\r\nHost: h\r\n\r\nNEXT".getBytes(ISO_8859_1);
        int end = a.length - 4;
        assertEquals(-1, HeadParser.findEnd(a, 0, 0, end - 1));
        assertEquals(end, HeadParser.findEnd(a, 0, end - 1, a.length));
    }

    // ------------------------------------------------------------------ chunked bodies

    /** Feeds {@code wire} {@code step} bytes at a time; returns the body and checks only "TAIL" is left. */
    private static String decodeChunked(String wire, int step, BodyDecoder d) {
        byte[] all = wire.getBytes(ISO_8859_1);
        ByteBuffer in = ByteBuffer.allocate(all.length).flip();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int fed = 0;
        while (true) {
            int n;
            while ((n = d.next(in)) > 0) {
                body.write(in.array(), in.position(), n);
                in.position(in.position() + n);
            }
            if (d.done()) {
                break;
            }
            if (fed == all.length) {
                throw new AssertionError("decoder stuck after all input");
            }
            int k = Math.min(step, all.length - fed);
            in.compact().put(all, fed, k).flip();
            fed += k;
        }
        int left = in.remaining() + all.length - fed;
        assertEquals(wire.endsWith("TAIL") ? 4 : 0, left, "consumed exactly the body");
        return body.toString(ISO_8859_1);
    }

    @Test
    void decodesChunkedBodiesWithExtensionsAndTrailersAtAnySplit() {
        String wire = "5;name=val\r\nhello\r\n1A \t; x\r\n" + "z".repeat(26) + "\r\n0\r\nX-Sum: 42\r\nX-Other: y\r\n\r\nTAIL";
        for (int step = 1; step <= wire.length(); step++) {
            BodyDecoder d = new BodyDecoder();
            d.chunked(1 << 20, LIMIT);
            assertEquals("hello" + "z".repeat(26), decodeChunked(wire, step, d), "step " + step);
            assertEquals("42", d.trailers().get("x-sum"));
            assertEquals(2, d.trailers().size());
        }
    }

    @Test
    void inboundAndDecoderKeepEveryByteOfALongChunkedStream() {
        java.util.Random rnd = new java.util.Random(7);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int c = 0; c < 300; c++) {
            byte[] chunk = new byte[1 + rnd.nextInt(70_000)];
            rnd.nextBytes(chunk);
            wire.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(ISO_8859_1));
            wire.writeBytes(chunk);
            wire.writeBytes("\r\n".getBytes(ISO_8859_1));
            expected.writeBytes(chunk);
        }
        wire.writeBytes("0\r\n\r\n".getBytes(ISO_8859_1));
        byte[] all = wire.toByteArray();
        Inbound inbound = new Inbound();
        BodyDecoder d = new BodyDecoder();
        d.chunked(Long.MAX_VALUE, LIMIT);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int fed = 0;
        while (!d.done()) {
            int n;
            // Consume only part of what is there now and then, as a paused reader does.
            int budget = rnd.nextInt(4) == 0 ? rnd.nextInt(3) : Integer.MAX_VALUE;
            while (budget-- > 0 && (n = d.next(inbound.buffer())) > 0) {
                ByteBuffer part = inbound.take(n);
                byte[] b = new byte[part.remaining()];
                part.get(b);
                got.writeBytes(b);
            }
            if (d.done()) {
                break;
            }
            int k = Math.min(all.length - fed, 1 + rnd.nextInt(65_536));
            if (k == 0 && budget >= 0) {
                throw new AssertionError("stuck");
            }
            inbound.append(ByteBuffer.wrap(all, fed, k));
            fed += k;
        }
        assertTrue(java.util.Arrays.equals(expected.toByteArray(), got.toByteArray()), "bytes differ");
    }

    @Test
    void chunkedWithoutTrailers() {
        BodyDecoder d = new BodyDecoder();
        d.chunked(1 << 20, LIMIT);
        assertEquals("abc", decodeChunked("3\r\nabc\r\n0\r\n\r\n", 3, d));
        assertNull(d.trailers());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "x\\r\\nabc\\r\\n0\\r\\n\\r\\n | 400",
        "3\\r\\nabcd\\r\\n0\\r\\n\\r\\n | 400",
        "-3\\r\\nabc\\r\\n0\\r\\n\\r\\n | 400",
        "fffffffffffffffff\\r\\n | 400",
        "3 x\\r\\nabc\\r\\n0\\r\\n\\r\\n | 400",
        "3\\r\\nabc\\r\\n0\\r\\n folded: no\\r\\n\\r\\n | 400",
        "400\\r\\n | 413",
    })
    void refusesBadChunks(String wire, int expected) {
        BodyDecoder d = new BodyDecoder();
        d.chunked(1000, LIMIT);
        byte[] b = wire.replace("\\r", "\r").replace("\\n", "\n").getBytes(ISO_8859_1);
        ByteBuffer in = ByteBuffer.wrap(b);
        HttpException e = assertThrows(HttpException.class, () -> {
            while (true) {
                int n = d.next(in);
                if (n == 0) {
                    break;
                }
                in.position(in.position() + n);
            }
        });
        assertEquals(expected, e.status());
    }

    @Test
    void chunkedBodyOverTheLimitIs413() {
        BodyDecoder d = new BodyDecoder();
        d.chunked(10, LIMIT);
        ByteBuffer in = ByteBuffer.wrap("8\r\n12345678\r\n8\r\n".getBytes(ISO_8859_1));
        assertEquals(8, d.next(in));
        in.position(in.position() + 8);
        assertEquals(413, assertThrows(HttpException.class, () -> d.next(in)).status());
    }

    @Test
    void closeDelimitedBodyEndsWithTheInput() {
        BodyDecoder d = new BodyDecoder();
        d.untilClose(100);
        ByteBuffer in = ByteBuffer.wrap("abc".getBytes(ISO_8859_1));
        assertEquals(3, d.next(in));
        d.inputEnded();
        assertTrue(d.done());
        BodyDecoder fixed = new BodyDecoder();
        fixed.fixed(5, 100);
        assertEquals(400, assertThrows(HttpException.class, fixed::inputEnded).status());
    }

    // ------------------------------------------------------------------ patterns and fields

    @Test
    void pathPatterns() {
        PathPattern p = new PathPattern("/users/{id}/files/*");
        String[] m = p.match("/users/7/files/a/b.txt");
        assertEquals("id", m[0]);
        assertEquals("7", m[1]);
        assertEquals("*", m[2]);
        assertEquals("a/b.txt", m[3]);
        assertNull(p.match("/users//files/x"), "a parameter needs a non-empty segment");
        assertNull(p.match("/users/7/file/x"));
        assertEquals("", p.match("/users/7/files")[3]);
        PathPattern root = new PathPattern("/");
        assertEquals(0, root.match("/").length);
        assertNull(root.match("/a"));
        PathPattern lit = new PathPattern("/a/b");
        assertEquals(0, lit.match("/a/b").length);
        assertNull(lit.match("/a/b/"));
        assertNull(lit.match("/a"));
        assertThrows(IllegalArgumentException.class, () -> new PathPattern("/a/*/b"));
        assertThrows(IllegalArgumentException.class, () -> new PathPattern("a"));
    }

    @Test
    void builtFieldsRefuseResponseSplitting() {
        HttpHeaders h = new HttpHeaders();
        assertThrows(IllegalArgumentException.class, () -> h.add("X-A", "a\r\nSet-Cookie: x"));
        assertThrows(IllegalArgumentException.class, () -> h.add("Bad Name", "v"));
        h.add("X-A", "1").add("x-a", "2").add("B", "3");
        assertEquals(2, h.getAll("X-a").size());
        h.set("X-A", "9");
        assertEquals("9", h.get("x-a"));
        assertEquals(2, h.size());
        assertTrue(h.containsToken("b", "3"));
    }

    @Test
    void dateIsImfFixdate() {
        String s = HttpDate.IMF_FIXDATE.format(java.time.Instant.ofEpochSecond(784111777));
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", s);
    }
}
