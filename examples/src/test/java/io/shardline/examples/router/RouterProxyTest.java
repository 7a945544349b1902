package io.shardline.examples.router;

import static io.shardline.examples.router.RouterTests.deadAddress;
import static io.shardline.examples.router.RouterTests.eventually;
import static io.shardline.examples.router.RouterTests.router;
import static io.shardline.examples.router.RouterTests.unchecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The router against real upstream servers the test starts: balancing, routing, headers, failures. */
class RouterProxyTest {
    private TestUpstream a;
    private TestUpstream b;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void upstreams() throws Exception {
        a = TestUpstream.start("a");
        b = TestUpstream.start("b");
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        a.close();
        b.close();
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private RouterServer start(String... args) {
        return keep(router(args));
    }

    private RawClient client(RouterServer r) throws Exception {
        return keep(new RawClient(r.port()));
    }

    @Test
    void roundRobinTakesTurnsOnEachShard() throws Exception {
        RouterServer r = start("--route", "/=" + a.address() + "," + b.address());
        RawClient c = client(r);
        String prev = null;
        Map<String, Integer> count = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            RawClient.Response resp = c.get("/");
            assertEquals(200, resp.status());
            String who = resp.text();
            count.merge(who, 1, Integer::sum);
            if (prev != null) {
                assertTrue(!who.equals(prev), "turns alternate on one connection (one shard): " + who + " twice");
            }
            prev = who;
        }
        assertEquals(Map.of("a", 5, "b", 5), count);
    }

    @Test
    void leastConnectionsAvoidsTheBusyUpstream() throws Exception {
        RouterServer r = start("--shards", "1", "--balance", "least-conn", "--route", "/=" + a.address() + "," + b.address());
        RawClient slow = client(r);
        Thread t = Thread.ofVirtual().start(() -> unchecked(() -> slow.get("/slow")));
        String busy = a.slowArrived.poll(30, TimeUnit.SECONDS) != null ? "a" : null;
        if (busy == null) {
            busy = b.slowArrived.poll(30, TimeUnit.SECONDS) != null ? "b" : null;
        }
        assertNotNull(busy, "the slow request reached an upstream");
        RawClient c = client(r);
        for (int i = 0; i < 6; i++) {
            assertEquals(busy.equals("a") ? "b" : "a", c.get("/").text(), "the upstream with a request in flight is avoided");
        }
        a.release();
        b.release();
        t.join();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hash:header:X-User", "hash:cookie:sid", "hash:path"})
    void consistentHashingSendsAKeyToOneUpstreamFromEveryShard(String mode) throws Exception {
        RouterServer r = start("--shards", "4", "--balance", mode, "--route", "/=" + a.address() + "," + b.address());
        List<RawClient> clients = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            clients.add(client(r)); // SO_REUSEPORT spreads these over the shards
        }
        Set<String> used = new HashSet<>();
        for (int k = 0; k < 30; k++) {
            String key = "user" + k;
            String[] headers = switch (mode) {
                case "hash:header:X-User" -> new String[] {"X-User: " + key};
                case "hash:cookie:sid" -> new String[] {"Cookie: theme=dark; sid=" + key + "; x=1"};
                default -> new String[0];
            };
            String path = mode.equals("hash:path") ? "/" + key : "/any";
            String first = null;
            for (RawClient c : clients) {
                String who = c.get(path, headers).text();
                if (first == null) {
                    first = who;
                }
                assertEquals(first, who, "key " + key + " on every connection and shard");
            }
            used.add(first);
        }
        assertEquals(Set.of("a", "b"), used, "keys spread over both upstreams");
        assertEquals(200, clients.get(0).get("/nokey").status(), "a request without the key is still served");
    }

    @Test
    void routesByHostAndLongestPrefix() throws Exception {
        try (TestUpstream c = TestUpstream.start("c")) {
            RouterServer r = start("--route", "/=" + a.address(), "--route", "/api=" + b.address(),
                    "--route", "api.example.com/=" + c.address());
            RawClient cl = client(r);
            assertEquals("a", cl.get("/").text());
            assertEquals("b", cl.get("/api/users").text());
            assertEquals("c", cl.get("/api/users", "Host: api.example.com").text());
            assertEquals("c", cl.get("/", "Host: API.Example.COM:8080").text());
            assertEquals("a", cl.get("/", "Host: other.example.com").text());
        }
        RouterServer onlyApi = start("--route", "/api=" + a.address());
        RawClient.Response notFound = client(onlyApi).get("/elsewhere");
        assertEquals(404, notFound.status());
        assertEquals("404 Not Found\n", notFound.text());
    }

    @Test
    void forwardingHeadersAreAddedAndHopByHopOnesStripped() throws Exception {
        RouterServer r = start("--route", "/=" + a.address());
        RawClient c = client(r);
        RawClient.Response resp = c.get("/h", "Host: app.example", "X-Forwarded-For: 203.0.113.7", "Via: 1.0 edge",
                "Connection: keep-alive, X-Hop", "X-Hop: secret", "Keep-Alive: timeout=9", "Proxy-Authorization: Basic eA==",
                "TE: trailers", "Upgrade: h2c", "X-Forwarded-Proto: https", "X-Keep: yes");
        assertEquals(200, resp.status());
        Headers h = a.seen.poll(30, TimeUnit.SECONDS);
        assertNotNull(h);
        assertEquals("app.example", h.getFirst("Host"), "Host goes through");
        assertEquals("203.0.113.7, 127.0.0.1", h.getFirst("X-Forwarded-For"));
        assertEquals("http", h.getFirst("X-Forwarded-Proto"));
        assertEquals("1.0 edge, 1.1 shardline", h.getFirst("Via"));
        assertEquals("yes", h.getFirst("X-Keep"));
        for (String gone : new String[] {"X-Hop", "Keep-Alive", "Proxy-Authorization", "TE", "Upgrade"}) {
            assertNull(h.getFirst(gone), gone + " is hop-by-hop");
        }
        // and back: the upstream's Keep-Alive and Proxy-Agent stop here, Via says we passed
        assertNull(resp.header("Keep-Alive"));
        assertNull(resp.header("Proxy-Agent"));
        assertEquals("a", resp.header("X-Upstream"));
        assertEquals("1.1 shardline", resp.header("Via"));
        assertEquals("1", resp.header("Content-Length"));

        RawClient.Response head = c.send("HEAD", "/", null);
        assertEquals(200, head.status());
        assertEquals("1", head.header("Content-Length"), "HEAD keeps the length a GET would have");
        RawClient.Response post = c.send("POST", "/echo", "hello".getBytes());
        assertEquals("hello", post.text());
    }

    @Test
    void responseHopByHopFieldsNamedByConnectionAreStripped() throws Exception {
        try (RawUpstream raw = new RawUpstream("x")) {
            raw.response = "HTTP/1.1 200 OK\r\nConnection: X-Private, keep-alive\r\nX-Private: 1\r\nX-Public: 2\r\n"
                    + "Trailer: X-Sum\r\nUpgrade: h2c\r\nProxy-Authenticate: Basic\r\nContent-Length: 1\r\n\r\nx";
            RawClient.Response resp = client(start("--route", "/=" + raw.address())).get("/");
            assertEquals(200, resp.status());
            assertEquals("2", resp.header("X-Public"));
            for (String gone : new String[] {"X-Private", "Trailer", "Upgrade", "Proxy-Authenticate"}) {
                assertNull(resp.header(gone), gone);
            }
            assertEquals("x", resp.text());
        }
    }

    @Test
    void aDownUpstreamAnswers502() throws Exception {
        RawClient c = client(start("--route", "/=" + deadAddress()));
        RawClient.Response resp = c.get("/");
        assertEquals(502, resp.status());
        assertEquals("502 Bad Gateway\n", resp.text());
        assertEquals(502, c.get("/").status(), "the connection stays usable");
    }

    @Test
    void idempotentRequestsRetryAnotherUpstreamAfterAConnectFailure() throws Exception {
        RouterServer r = start("--shards", "1", "--max-fails", "100", "--route", "/=" + deadAddress() + "," + a.address());
        RawClient c = client(r);
        for (String method : new String[] {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "GET", "PUT"}) {
            RawClient.Response resp = c.send(method, "/", method.equals("PUT") ? "x".getBytes() : null);
            assertEquals(200, resp.status(), method + " retried on the live upstream");
        }
        int ok = 0;
        int bad = 0;
        for (int i = 0; i < 4; i++) {
            int s = c.send("POST", "/", "x".getBytes()).status();
            if (s == 200) {
                ok++;
            } else {
                assertEquals(502, s);
                bad++;
            }
        }
        assertEquals(2, ok, "POST is not retried: the turns that pick the dead upstream fail");
        assertEquals(2, bad);
    }

    @Test
    void noResponseHeadInTimeAnswers504() throws Exception {
        RawClient c = client(start("--response-timeout", "300ms", "--route", "/=" + a.address()));
        RawClient.Response resp = c.get("/slow");
        assertEquals(504, resp.status());
        assertEquals("504 Gateway Timeout\n", resp.text());
        a.release();
        assertEquals("a", c.get("/").text(), "the client's connection goes on");
    }

    @Test
    void anUpstreamIsEjectedAfterConsecutiveFailuresAndComesBack() throws Exception {
        try (RawUpstream flaky = new RawUpstream("f")) {
            flaky.broken = true;
            RouterServer r = start("--shards", "1", "--max-fails", "2", "--fail-timeout", "1s",
                    "--route", "/=" + flaky.address() + "," + a.address());
            RawClient c = client(r);
            for (int i = 0; i < 8; i++) {
                assertEquals("a", c.get("/").text(), "a reset before the head is retried for GET");
            }
            assertEquals(2, flaky.accepts.get(), "after 2 failures the upstream is out: no more attempts");
            flaky.broken = false;
            eventually("the ejection ends and the upstream serves again", () -> "f".equals(unchecked(() -> c.get("/").text())));
        }
    }

    @Test
    void activeHealthChecksTakeAnUpstreamOutAndBringItBack() throws Exception {
        RouterServer r = start("--shards", "1", "--health-interval", "100ms", "--route", "/=" + a.address() + "," + b.address());
        RawClient c = client(r);
        a.health.set(503);
        eventually("a is out after a failed check", () -> {
            for (int i = 0; i < 6; i++) {
                if (!"b".equals(unchecked(() -> c.get("/").text()))) {
                    return false;
                }
            }
            return true;
        });
        a.health.set(200);
        eventually("a is back after a passed check", () -> "a".equals(unchecked(() -> c.get("/").text()))
                || "a".equals(unchecked(() -> c.get("/").text())));
    }
}
