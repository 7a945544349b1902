package io.shardline.net;

import static io.shardline.net.NetTestSupport.ANY_PORT;
import static io.shardline.net.NetTestSupport.LOCALHOST;
import static io.shardline.net.NetTestSupport.PATIENCE;
import static io.shardline.net.NetTestSupport.connect;
import static io.shardline.net.NetTestSupport.connections;
import static io.shardline.net.NetTestSupport.echoServer;
import static io.shardline.net.NetTestSupport.eventually;
import static io.shardline.net.NetTestSupport.get;
import static io.shardline.net.NetTestSupport.local;
import static io.shardline.net.NetTestSupport.runtime;
import static io.shardline.net.NetTestSupport.totalConnections;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.shard.Shard;
import io.shardline.shard.ShardRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Placement over shards, per-shard connection limits, and the server's own lifecycle. */
class TcpServerTest {
    private ShardRuntime rt;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() {
        rt = runtime(2);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        rt.close();
    }

    private Socket open(int port) throws IOException {
        Socket s = connect(port);
        sockets.add(s);
        return s;
    }

    /** Sends one byte and reads the answer: true for an echo, false for EOF or a reset (a refused connection). */
    private static boolean echoes(Socket s) throws IOException {
        s.getOutputStream().write(42);
        InputStream in = s.getInputStream();
        try {
            int b = in.read();
            if (b == 42) {
                return true;
            }
            assertEquals(-1, b, "a refused connection ends, it does not answer");
            return false;
        } catch (SocketException reset) {
            return false;
        }
    }

    /** An echo handler that notes which shard each connection opened on. */
    static final class ShardNotingEcho extends EchoHandler {
        static final Set<String> PROBLEMS = ConcurrentHashMap.newKeySet();

        @Override
        public void onOpen(Connection c) {
            Shard s = Shard.current();
            if (s == null || s.loop() != c.loop() || !c.loop().inLoop()) {
                PROBLEMS.add("connection " + c + " opened off its own shard: " + s);
            }
        }
    }

    @Test
    void reusePortSpreadsConnectionsOverBothShards() throws Exception {
        ShardNotingEcho.PROBLEMS.clear();
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT, ShardNotingEcho::new)) {
            assertEquals(LOCALHOST, server.address().getAddress());
            assertTrue(server.port() > 0);
            int n = 200;
            for (int i = 0; i < n; i++) {
                open(server.port());
            }
            eventually("all " + n + " accepted", () -> totalConnections(rt) == n);
            // The kernel hashes connections over the two listeners: all on one has odds of 2^-199.
            assertTrue(connections(rt, 0) > 0 && connections(rt, 1) > 0,
                    "shard 0 has " + connections(rt, 0) + ", shard 1 has " + connections(rt, 1));
            for (Socket s : sockets) {
                assertTrue(echoes(s));
            }
            assertEquals(Set.of(), ShardNotingEcho.PROBLEMS);
            assertEquals(0, server.refused());
        }
    }

    @Test
    void handOffBalancesConnectionsOverTheShards() throws Exception {
        ShardNotingEcho.PROBLEMS.clear();
        ServerOptions options = ServerOptions.DEFAULT.withPlacement(ServerOptions.Placement.HAND_OFF);
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, options, ShardNotingEcho::new)) {
            int n = 100;
            for (int i = 0; i < n; i++) {
                open(server.port());
                int expected = i + 1;
                // Let each hand-off land before the next accept, so the least-loaded choice sees it.
                eventually("connection " + expected + " placed", () -> totalConnections(rt) == expected);
            }
            int c0 = connections(rt, 0);
            int c1 = connections(rt, 1);
            assertTrue(Math.abs(c0 - c1) <= 1, "shard 0 has " + c0 + ", shard 1 has " + c1);
            for (Socket s : sockets) {
                assertTrue(echoes(s), "handed-off connections are served on their new shard");
            }
            assertEquals(Set.of(), ShardNotingEcho.PROBLEMS);
        }
    }

    @Test
    void handOffUnderABurstStillUsesBothShards() throws Exception {
        ServerOptions options = ServerOptions.DEFAULT.withPlacement(ServerOptions.Placement.HAND_OFF);
        try (TcpServer server = echoServer(rt, options)) {
            int n = 100;
            for (int i = 0; i < n; i++) {
                open(server.port());
            }
            eventually("all " + n + " placed", () -> totalConnections(rt) == n);
            assertTrue(connections(rt, 0) > 0 && connections(rt, 1) > 0,
                    "shard 0 has " + connections(rt, 0) + ", shard 1 has " + connections(rt, 1));
            for (Socket s : sockets) {
                assertTrue(echoes(s));
            }
        }
    }

    @Test
    void handOffRefusesBeyondTheLimitOfEveryShard() throws Exception {
        ServerOptions options = ServerOptions.DEFAULT.withPlacement(ServerOptions.Placement.HAND_OFF)
                .withMaxConnectionsPerShard(2);
        try (TcpServer server = echoServer(rt, options)) {
            int served = 0;
            int refused = 0;
            for (int i = 0; i < 10; i++) {
                Socket s = open(server.port());
                if (echoes(s)) {
                    served++;
                } else {
                    refused++;
                }
                int expected = served;
                eventually("placements settled", () -> totalConnections(rt) == expected);
            }
            assertEquals(4, served, "two per shard");
            assertEquals(6, refused);
            assertEquals(6, server.refused());
            assertEquals(2, connections(rt, 0));
            assertEquals(2, connections(rt, 1));

            // Room again once one closes.
            sockets.remove(0).close();
            eventually("a slot frees up", () -> totalConnections(rt) == 3);
            assertTrue(echoes(open(server.port())));
            assertEquals(6, server.refused());
        }
    }

    /**
     * Holds shard 0 (the acceptor) busy while {@code n} clients complete their handshakes into the
     * backlog, then lets it accept them all in one burst; returns how many were served.
     */
    private int burstAgainstHandOff(TcpServer server, int n) throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Object> hold = rt.submit(0, () -> {
            blocked.countDown();
            return release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        });
        assertTrue(blocked.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        for (int i = 0; i < n; i++) {
            open(server.port()); // the kernel completes the handshake; nobody accepts yet
        }
        release.countDown();
        get(hold);
        int served = 0;
        for (Socket s : sockets) {
            if (echoes(s)) {
                served++;
            }
        }
        return served;
    }

    @Test
    void handOffCountsEveryRefusalUnderABurst() throws Exception {
        ServerOptions options = ServerOptions.DEFAULT.withPlacement(ServerOptions.Placement.HAND_OFF)
                .withMaxConnectionsPerShard(2);
        try (TcpServer server = echoServer(rt, options)) {
            int n = 20;
            int served = burstAgainstHandOff(server, n);
            int s = served;
            eventually("placements settled", () -> totalConnections(rt) == s);
            assertEquals(n - served, server.refused(), "every refusal a client saw is counted");
        }
    }

    @Test
    void handOffFillsEveryShardBeforeRefusingUnderABurst() throws Exception {
        ServerOptions options = ServerOptions.DEFAULT.withPlacement(ServerOptions.Placement.HAND_OFF)
                .withMaxConnectionsPerShard(2);
        try (TcpServer server = echoServer(rt, options)) {
            int served = burstAgainstHandOff(server, 20);
            assertEquals(4, served, "two per shard are served before any is refused");
        }
    }

    @Test
    void reusePortRefusesBeyondTheLimitOfEachShard() throws Exception {
        ServerOptions options = ServerOptions.DEFAULT.withMaxConnectionsPerShard(2);
        try (TcpServer server = echoServer(rt, options)) {
            int served = 0;
            int refused = 0;
            for (int i = 0; i < 12; i++) {
                if (echoes(open(server.port()))) {
                    served++;
                } else {
                    refused++;
                }
            }
            int s = served;
            eventually("served connections counted", () -> totalConnections(rt) == s);
            assertTrue(served >= 2 && served <= 4, served + " served");
            assertTrue(connections(rt, 0) <= 2 && connections(rt, 1) <= 2);
            assertEquals(12 - served, refused);
            assertEquals(refused, server.refused(), "every refusal the clients saw is counted");
        }
    }

    @Test
    void closingTheServerStopsAcceptingButKeepsOpenConnections() throws Exception {
        TcpServer server = echoServer(rt, ServerOptions.DEFAULT);
        Socket kept = open(server.port());
        assertTrue(echoes(kept));
        server.close();
        server.close(); // idempotent
        assertThrows(ConnectException.class, () -> new Socket().connect(local(server.port()), (int) PATIENCE.toMillis()));
        assertTrue(echoes(kept), "open connections stay until they or the runtime close");
        assertEquals(1, totalConnections(rt));
    }

    @Test
    void startingOnAPortInUseFailsCleanly() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, LOCALHOST)) {
            InetSocketAddress busy = local(taken.getLocalPort());
            for (ServerOptions.Placement p : ServerOptions.Placement.values()) {
                assertThrows(UncheckedIOException.class,
                        () -> TcpServer.start(rt, busy, ServerOptions.DEFAULT.withPlacement(p), EchoHandler::new),
                        p.name());
            }
        }
        try (TcpServer server = echoServer(rt, ServerOptions.DEFAULT)) { // the runtime is unharmed
            assertTrue(echoes(open(server.port())));
        }
    }

    @Test
    void aHandlerFactoryThatThrowsRefusesOnlyThatConnection() throws Exception {
        int[] made = {0};
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT.withPlacement(
                ServerOptions.Placement.HAND_OFF), () -> {
                    synchronized (made) {
                        if (made[0]++ == 0) {
                            throw new IllegalStateException("no handler for you");
                        }
                    }
                    return new EchoHandler();
                })) {
            Socket first = open(server.port());
            assertTrue(!echoes(first), "the connection without a handler is closed");
            eventually("nothing leaked", () -> totalConnections(rt) == 0);
            assertTrue(echoes(open(server.port())));
            assertTrue(echoes(open(server.port())));
        }
    }

    @Test
    void transportCallsOffTheirLoopAreRejected() {
        assertThrows(IllegalStateException.class, Net::transport);
        Transport t = Transport.of(rt.shard(0).loop());
        assertThrows(IllegalStateException.class, () -> t.listen(ANY_PORT, ServerOptions.DEFAULT, ch -> false));
        assertThrows(IllegalStateException.class,
                () -> t.connect(ANY_PORT, java.time.Duration.ofSeconds(1), ConnectionOptions.DEFAULT, new NetTestSupport.Recorder()));
        assertThrows(IllegalStateException.class, () -> t.bindUdp(ANY_PORT, (s, d, a) -> { }));
        assertEquals(rt.shard(0).loop(), t.loop());
        assertEquals(1, get(rt.submit(1, () -> Net.transport() == Transport.of(rt.shard(1).loop()) ? 1 : 0)));
    }

    @Test
    void aRuntimeWithoutNetworkingSaysHowToGetIt() throws Exception {
        try (ShardRuntime plain = ShardRuntime.builder().shards(1).start()) {
            Throwable t = NetTestSupport.failureOf(plain.submit(0, Net::transport));
            assertTrue(t instanceof IllegalStateException && t.getMessage().contains("Net.install"), String.valueOf(t));
        }
    }

    @Test
    void optionsRejectNonsense() {
        ConnectionOptions d = ConnectionOptions.DEFAULT;
        assertThrows(IllegalArgumentException.class, () -> d.withWatermarks(10, 10));
        assertThrows(IllegalArgumentException.class, () -> d.withWatermarks(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxQueuedBytes(d.highWatermark() - 1));
        assertThrows(IllegalArgumentException.class, () -> d.withIdleTimeout(java.time.Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> d.withReadTimeout(java.time.Duration.ofMillis(-1)));
        assertEquals(1 << 30, d.withWatermarks(1, 1 << 30).maxQueuedBytes(), "the limit rises to a higher high watermark");
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.DEFAULT.withMaxConnectionsPerShard(0));
        assertThrows(IllegalArgumentException.class, () -> new ServerOptions(ServerOptions.Placement.REUSE_PORT, 1, 0, d));
        assertThrows(NullPointerException.class, () -> ServerOptions.DEFAULT.withPlacement(null));
        assertEquals(ServerOptions.Placement.REUSE_PORT, ServerOptions.DEFAULT.placement());
    }
}
