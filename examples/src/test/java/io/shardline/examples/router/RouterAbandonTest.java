package io.shardline.examples.router;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Exchanges one side abandons, over real sockets: a client that leaves must not keep its upstream
 * connection (or its place in least-connections' count) until the pool's idle timeout, and an upstream
 * that dies mid-response gives the client a 502 if nothing was sent yet, else a closed connection. The
 * router's timeouts are set far beyond the tests' waits, so only the fix can close the connections.
 */
class RouterAbandonTest {
    private static final String[] PATIENT = {"--shards", "1", "--balance", "least-conn", "--pool-idle-timeout", "1h",
            "--response-timeout", "1h"};

    @Test
    void aClientThatLeavesBeforeTheResponseHeadFreesItsUpstreamConnection() throws Exception {
        try (ScriptedUpstream up = new ScriptedUpstream((s, out) -> true); // never answers
             RouterServer r = router(up)) {
            RawClient c = new RawClient(r.port());
            c.out().write("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(ISO_8859_1));
            c.out().flush();
            assertTrue(up.headArrived.await(30, TimeUnit.SECONDS));
            assertEquals(List.of(1), r.activeRequests(up.address()), "in flight while the upstream thinks");
            c.close();
            assertTrue(up.routerClosed.await(30, TimeUnit.SECONDS), "the router closed the upstream connection");
            assertEquals(List.of(0), r.activeRequests(up.address()), "least-connections no longer counts it");
            assertEquals(List.of(0), r.idleConnections(up.address()), "a connection with a response due is not kept");
            assertEquals(1, count(r, up, ProxyExchange.CLIENT_CLOSED), "counted as nginx's 499");
        }
    }

    @Test
    void aClientThatLeavesMidBodyFreesItsUpstreamConnection() throws Exception {
        try (ScriptedUpstream up = new ScriptedUpstream((s, out) -> {
                 ScriptedUpstream.send(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(1000));
                 return true; // and the rest never comes
             });
             RouterServer r = router(up)) {
            RawClient c = new RawClient(r.port());
            assertEquals(200, c.getHead("/part").status());
            assertEquals(1000, c.in().readNBytes(1000).length);
            c.close();
            assertTrue(up.routerClosed.await(30, TimeUnit.SECONDS), "the router closed the upstream connection");
            assertEquals(List.of(0), r.activeRequests(up.address()));
            assertEquals(List.of(0), r.idleConnections(up.address()), "a half-read response's connection is not kept");
            assertEquals(1, count(r, up, 200), "the head was sent: counted with its status");
        }
    }

    @Test
    void aClientThatLeavesMidUploadFreesItsUpstreamConnectionAndBlamesNoUpstream() throws Exception {
        try (ScriptedUpstream up = new ScriptedUpstream((s, out) -> true); // reads the body, never answers
             RouterServer r = router(up)) {
            RawClient c = new RawClient(r.port());
            c.out().write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + "z".repeat(5000))
                    .getBytes(ISO_8859_1));
            c.out().flush();
            assertTrue(up.headArrived.await(30, TimeUnit.SECONDS));
            c.close();
            assertTrue(up.routerClosed.await(30, TimeUnit.SECONDS), "the router closed the upstream connection");
            assertEquals(List.of(0), r.activeRequests(up.address()));
            assertEquals(1, count(r, up, ProxyExchange.CLIENT_CLOSED), "counted as the client's doing");
            assertEquals(0, count(r, up, 502), "not as the upstream's failure");
        }
    }

    @Test
    void anUpstreamThatDiesBeforeItsHeadGives502() throws Exception {
        try (ScriptedUpstream up = new ScriptedUpstream((s, out) -> {
                 ScriptedUpstream.reset(s);
                 return false;
             });
             RouterServer r = router(up);
             RawClient c = new RawClient(r.port())) {
            RawClient.Response resp = c.send("POST", "/form", "a=1".getBytes(ISO_8859_1));
            assertEquals(502, resp.status(), "not idempotent: no retry, and nothing was sent yet");
            assertEquals("502 Bad Gateway\n", resp.text());
            assertEquals(List.of(0), r.activeRequests(up.address()));
            assertEquals(List.of(0), r.idleConnections(up.address()));
        }
    }

    @Test
    void anUpstreamThatDiesMidBodyClosesTheClientConnection() throws Exception {
        try (ScriptedUpstream up = new ScriptedUpstream((s, out) -> {
                 ScriptedUpstream.send(out, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "y".repeat(1000));
                 ScriptedUpstream.reset(s);
                 return false;
             });
             RouterServer r = router(up);
             RawClient c = new RawClient(r.port())) {
            RawClient.Response head = c.getHead("/cut");
            assertEquals(200, head.status());
            long length = Long.parseLong(head.header("content-length"));
            assertEquals(100000, length, "the head went out before the upstream died");
            assertTrue(readToEnd(c.in()) < length, "the body is cut short by the close, never completed wrongly");
            assertEquals(List.of(0), r.activeRequests(up.address()));
            assertEquals(List.of(0), r.idleConnections(up.address()));
        }
    }

    private static RouterServer router(ScriptedUpstream up) {
        String[] args = java.util.Arrays.copyOf(PATIENT, PATIENT.length + 2);
        args[PATIENT.length] = "--route";
        args[PATIENT.length + 1] = "/=" + up.address();
        return RouterTests.router(args);
    }

    /** Bytes until the router closes the connection (an end of stream or a reset). */
    private static long readToEnd(InputStream in) {
        long n = 0;
        byte[] buf = new byte[8192];
        try {
            for (int k; (k = in.read(buf)) >= 0; ) {
                n += k;
            }
        } catch (IOException e) {
            // a reset ends it too
        }
        return n;
    }

    private static long count(RouterServer r, ScriptedUpstream up, int status) throws Exception {
        long n = 0;
        for (RouterStats.Snapshot s : r.stats().get(30, TimeUnit.SECONDS)) {
            for (RouterStats.RequestCount rc : s.requests()) {
                if (rc.upstream().equals(up.address()) && rc.status() == status) {
                    n += rc.count();
                }
            }
        }
        return n;
    }
}
