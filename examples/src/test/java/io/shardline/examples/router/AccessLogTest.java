package io.shardline.examples.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogTest {
    /** nginx's combined format, field by field. */
    private static final Pattern COMBINED = Pattern.compile(
            "^(\\S+) - (\\S+) \\[(\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})] \"([^\"]*)\" (\\d{3}) (\\d+) \"([^\"]*)\" \"([^\"]*)\"$");

    @TempDir
    Path dir;

    @Test
    void linesAreInNginxCombinedFormat() throws Exception {
        Path log = dir.resolve("access.log");
        try (TestUpstream up = TestUpstream.start("upstream")) {
            try (RouterServer r = RouterTests.router("--access-log", log.toString(), "--route", "/app=" + up.address());
                 RawClient c = new RawClient(r.port())) {
                c.get("/app/page?q=1", "User-Agent: Mozilla/5.0 (X11)", "Referer: http://example.com/start",
                        "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString("alice:secret".getBytes()));
                c.get("/nowhere", "User-Agent: say \"hi\"");
                c.send("HEAD", "/app/x", null);
            } // closing flushes every shard's buffer and the writer
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(3, lines.size(), String.join("\n", lines));
        Matcher m = COMBINED.matcher(lines.stream().filter(l -> l.contains("/app/page")).findFirst().orElseThrow());
        assertTrue(m.matches(), lines.get(0));
        assertEquals("127.0.0.1", m.group(1));
        assertEquals("alice", m.group(2));
        assertEquals("GET /app/page?q=1 HTTP/1.1", m.group(4));
        assertEquals("200", m.group(5));
        assertEquals("8", m.group(6), "body bytes: \"upstream\"");
        assertEquals("http://example.com/start", m.group(7));
        assertEquals("Mozilla/5.0 (X11)", m.group(8));
        Matcher nf = COMBINED.matcher(lines.stream().filter(l -> l.contains("/nowhere")).findFirst().orElseThrow());
        assertTrue(nf.matches());
        assertEquals("-", nf.group(2));
        assertEquals("404", nf.group(5));
        assertEquals("-", nf.group(7));
        assertEquals("say \\x22hi\\x22", nf.group(8), "quotes escaped as nginx does");
        Matcher head = COMBINED.matcher(lines.stream().filter(l -> l.contains("HEAD")).findFirst().orElseThrow());
        assertTrue(head.matches());
        assertEquals("0", head.group(6), "no body bytes for HEAD");
    }

    @Test
    void theLogIsOffByDefault() throws Exception {
        try (TestUpstream up = TestUpstream.start("u");
             RouterServer r = RouterTests.router("--route", "/=" + up.address());
             RawClient c = new RawClient(r.port())) {
            assertEquals(200, c.get("/").status());
            assertEquals(null, r.config().accessLog());
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
