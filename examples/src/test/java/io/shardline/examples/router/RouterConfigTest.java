package io.shardline.examples.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RouterConfigTest {
    @TempDir
    Path dir;

    private static RouterMain parsed(String... args) {
        RouterMain m = new RouterMain();
        new CommandLine(m).parseArgs(args);
        return m;
    }

    /** What {@code ./shardline router args} exits with, its stderr in {@code err}. */
    private static int exit(StringBuilder err, String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CommandLine cl = new CommandLine(new RouterMain());
        cl.setErr(new PrintWriter(buf, true));
        int code = cl.execute(args);
        err.append(buf);
        return code;
    }

    @Test
    void flagsBuildRoutesAndTimeouts() {
        RouterConfig c = parsed("--listen", "127.0.0.1:0", "--route", "/api=127.0.0.1:9001,127.0.0.1:9002",
                "--route", "/=127.0.0.1:9000", "--route", "API.example.com/=127.0.0.1:9003", "--balance", "least-conn",
                "--connect-timeout", "250ms", "--response-timeout", "2s", "--max-fails", "2", "--shards", "3").config();
        assertEquals(3, c.routes().size());
        assertEquals("/api", c.routes().get(0).prefix());
        assertEquals(2, c.routes().get(0).upstreams().size());
        assertEquals("api.example.com", c.routes().get(2).host());
        assertEquals(Balance.LEAST_CONN, c.routes().get(1).balance());
        assertEquals(Duration.ofMillis(250), c.connectTimeout());
        assertEquals(Duration.ofSeconds(2), c.responseTimeout());
        assertEquals(2, c.maxFails());
        assertEquals(3, c.shards());
        assertNull(c.accessLog(), "the access log is off by default");
        assertEquals(Duration.ZERO, c.healthInterval());
    }

    @Test
    void balanceModesParse() {
        assertEquals(Balance.ROUND_ROBIN, Balance.parse("round-robin"));
        assertEquals(new Balance(Balance.Mode.HASH, Balance.Source.HEADER, "X-User"), Balance.parse("hash:header:X-User"));
        assertEquals(new Balance(Balance.Mode.HASH, Balance.Source.COOKIE, "sid"), Balance.parse("hash:cookie:sid"));
        assertEquals(new Balance(Balance.Mode.HASH, Balance.Source.PATH, null), Balance.parse("hash:path"));
        for (String bad : new String[] {"random", "hash", "hash:header", "hash:header:", "hash:query:x", "least-conn:x"}) {
            assertThrows(IllegalArgumentException.class, () -> Balance.parse(bad), bad);
        }
    }

    @Test
    void cookiesAreFoundByName() {
        io.shardline.net.http.HttpHeaders h = new io.shardline.net.http.HttpHeaders()
                .add("Cookie", "a=1; sid=abc; b=2").add("Cookie", "c=\"q\"");
        assertEquals("abc", Balance.cookie(h, "sid"));
        assertEquals("q", Balance.cookie(h, "c"));
        assertNull(Balance.cookie(h, "si"));
    }

    @Test
    void routesMatchByHostThenLongestPrefix() {
        RouteTable t = new RouteTable(parsed("--route", "/=127.0.0.1:9000", "--route", "/api=127.0.0.1:9001",
                "--route", "/api/v2=127.0.0.1:9002", "--route", "api.example.com/=127.0.0.1:9003",
                "--route", "api.example.com/static=127.0.0.1:9004").config());
        assertEquals("/api/v2", t.match(null, "/api/v2/users").spec().prefix());
        assertEquals("/api", t.match(null, "/api/v1").spec().prefix());
        assertEquals("/api", t.match(null, "/apix").spec().prefix());
        assertEquals("/", t.match(null, "/other").spec().prefix());
        assertEquals("/", t.match("other.example.com", "/api/v2").spec().prefix().substring(0, 1));
        assertEquals("api.example.com/", t.match("api.example.com", "/api/v2").name());
        assertEquals("api.example.com/static", t.match("api.example.com", "/static/a.css").name());
        assertEquals("api.example.com", RouteTable.hostName("API.Example.com:8080"));
        assertEquals("[::1]", RouteTable.hostName("[::1]:8080"));
        assertEquals("[::1]", RouteTable.hostName("[::1]"));
        RouteTable noRoot = new RouteTable(parsed("--route", "/api=127.0.0.1:9001").config());
        assertNull(noRoot.match(null, "/"));
    }

    @Test
    void yamlConfigIsReadAndFlagsOverrideIt() throws Exception {
        Path f = dir.resolve("router.yaml");
        Files.writeString(f, """
                listen: 127.0.0.1:0
                shards: 2
                balance: hash:path
                access_log: %s
                timeouts: { connect: 1s, response: 3s, pool_idle: 30s }
                pool: { max_idle: 4 }
                health: { max_fails: 5, fail_timeout: 2s, interval: 500ms, path: /healthz }
                routes:
                  - host: api.example.com
                    prefix: /
                    balance: hash:header:X-User
                    upstreams: [127.0.0.1:9001, 127.0.0.1:9002]
                  - prefix: /
                    upstreams: [127.0.0.1:9000]
                """.formatted(dir.resolve("access.log")));
        RouterConfig c = parsed("--config", f.toString()).config();
        assertEquals(2, c.shards());
        assertEquals("api.example.com", c.routes().get(0).host());
        assertEquals(Balance.parse("hash:header:X-User"), c.routes().get(0).balance());
        assertEquals(Balance.parse("hash:path"), c.routes().get(1).balance());
        assertEquals(Duration.ofSeconds(1), c.connectTimeout());
        assertEquals(Duration.ofSeconds(30), c.poolIdleTimeout());
        assertEquals(4, c.maxIdle());
        assertEquals(5, c.maxFails());
        assertEquals(Duration.ofMillis(500), c.healthInterval());
        assertEquals("/healthz", c.healthPath());
        assertEquals(dir.resolve("access.log"), c.accessLog());

        RouterConfig o = parsed("--config", f.toString(), "--shards", "1", "--route", "/=127.0.0.1:9005",
                "--max-idle", "8").config();
        assertEquals(1, o.shards());
        assertEquals(8, o.maxIdle());
        assertEquals(2, o.routes().size(), "the flag's / replaces the file's /");
        assertEquals("127.0.0.1:9005", o.routes().get(1).upstreams().get(0).name());
    }

    @Test
    void badOptionsAndBadConfigsExitWithUsageAndTwo() throws Exception {
        Path unknownKey = dir.resolve("typo.yaml");
        Files.writeString(unknownKey, "listen: 127.0.0.1:0\nrouts:\n  - prefix: /\n    upstreams: [127.0.0.1:1]\n");
        Path notYaml = dir.resolve("bad.yaml");
        Files.writeString(notYaml, "routes: [unclosed\n");
        Path noUpstreams = dir.resolve("empty.yaml");
        Files.writeString(noUpstreams, "routes:\n  - prefix: /api\n");
        String[][] bad = {
                {"--bogus"},
                {"--listen", "127.0.0.1:0"},                                   // no routes
                {"--route", "api=127.0.0.1:9000"},                             // prefix without /
                {"--route", "/=127.0.0.1"},                                    // upstream without port
                {"--route", "/=127.0.0.1:99999"},
                {"--route", "/=127.0.0.1:9000", "--balance", "random"},
                {"--route", "/=127.0.0.1:9000", "--route", "/=127.0.0.1:9001"}, // the same route twice
                {"--route", "/=127.0.0.1:9000,127.0.0.1:9000"},
                {"--route", "/=127.0.0.1:9000", "--shards", "0"},
                {"--route", "/=127.0.0.1:9000", "--connect-timeout", "soon"},
                {"--route", "/=127.0.0.1:9000", "--listen", "nohost"},
                {"--config", dir.resolve("missing.yaml").toString()},
                {"--config", unknownKey.toString()},
                {"--config", notYaml.toString()},
                {"--config", noUpstreams.toString()},
        };
        for (String[] args : bad) {
            StringBuilder err = new StringBuilder();
            assertEquals(2, exit(err, args), String.join(" ", args));
            assertTrue(err.toString().contains("Usage: router"), "usage printed for " + String.join(" ", args) + ": " + err);
        }
        StringBuilder err = new StringBuilder();
        exit(err, "--config", unknownKey.toString());
        assertTrue(err.toString().contains("unknown key 'routs'"), err.toString());
    }
}
