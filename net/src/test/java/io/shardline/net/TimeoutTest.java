package io.shardline.net;

import static io.shardline.net.NetTestSupport.ANY_PORT;
import static io.shardline.net.NetTestSupport.LOCALHOST;
import static io.shardline.net.NetTestSupport.PATIENCE;
import static io.shardline.net.NetTestSupport.connect;
import static io.shardline.net.NetTestSupport.echoServer;
import static io.shardline.net.NetTestSupport.eventually;
import static io.shardline.net.NetTestSupport.failureOf;
import static io.shardline.net.NetTestSupport.get;
import static io.shardline.net.NetTestSupport.local;
import static io.shardline.net.NetTestSupport.runtime;
import static io.shardline.net.NetTestSupport.totalConnections;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shardline.core.Bridges;
import io.shardline.core.Future;
import io.shardline.core.Timer;
import io.shardline.shard.ShardRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idle, read and connect timeouts. The NIO loop runs on the system clock, so these use short real
 * timeouts and assert only that the timeout happens and how, never when.
 */
class TimeoutTest {
    private static final Duration SHORT = Duration.ofMillis(200);
    private ShardRuntime rt;

    @BeforeEach
    void start() {
        rt = runtime(2);
    }

    @AfterEach
    void stop() {
        rt.close();
    }

    /** Reads until the server ends the connection; true if it ended (EOF or reset). */
    private static boolean endsFromTheServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // drain whatever the server wrote first
            }
            return true;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void anIdleConnectionIsClosedByItsIdleTimeout() throws Exception {
        NetTestSupport.Recorder r = new NetTestSupport.Recorder();
        ServerOptions options = ServerOptions.DEFAULT.withConnection(ConnectionOptions.DEFAULT.withIdleTimeout(SHORT));
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, options, () -> r);
             Socket s = connect(server.port())) {
            assertInstanceOf(ConnectionTimeoutException.class, get(r.closed));
            assertTrue(endsFromTheServer(s));
        }
    }

    @Test
    void aReadTimeoutFiresEvenWhileTheServerKeepsWriting() throws Exception {
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        ConnectionHandler talker = new ConnectionHandler() {
            Timer ticker;

            @Override
            public void onOpen(Connection c) {
                // Output is activity, but not input: only the read timeout may close this.
                ticker = c.loop().schedulePeriodic(Duration.ofMillis(20), Duration.ofMillis(20),
                        () -> c.write(ByteBuffer.wrap(new byte[] {'.'})));
            }

            @Override
            public void onData(Connection c, ByteBuffer data) {
                data.position(data.limit());
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                ticker.cancel();
                closed.complete(cause);
            }
        };
        ServerOptions options = ServerOptions.DEFAULT.withConnection(ConnectionOptions.DEFAULT.withReadTimeout(SHORT));
        try (TcpServer server = TcpServer.start(rt, ANY_PORT, options, () -> talker);
             Socket s = connect(server.port())) {
            assertInstanceOf(ConnectionTimeoutException.class, get(closed));
            assertTrue(endsFromTheServer(s));
        }
    }

    @Test
    void aClientConnectionHasTimeoutsToo() throws Exception {
        try (TcpServer server = echoServer(rt, ServerOptions.DEFAULT)) {
            NetTestSupport.Recorder client = new NetTestSupport.Recorder();
            Connection c = get(rt.submitAsync(1, () -> Net.transport().connect(server.address(), Duration.ofSeconds(10),
                    ConnectionOptions.DEFAULT.withIdleTimeout(SHORT).withReadTimeout(SHORT.multipliedBy(2)), client)));
            assertInstanceOf(ConnectionTimeoutException.class, get(client.closed));
            Throwable viaFuture = failureOf(get(rt.submit(1, () -> Bridges.toCompletableFuture(c.closeFuture()))));
            assertInstanceOf(ConnectionTimeoutException.class, viaFuture);
            eventually("both ends closed", () -> totalConnections(rt) == 0);
        }
    }

    @Test
    void connectingToANonRoutableAddressEndsWithinItsTimeoutAndTheLoopGoesOn() throws Exception {
        InetSocketAddress nowhere = new InetSocketAddress("10.255.255.1", 81);
        Duration timeout = Duration.ofMillis(500);
        NetTestSupport.Recorder handler = new NetTestSupport.Recorder();
        // Without a network this may fail at once (unreachable) instead of timing out; both are failures.
        // A sandbox whose network answers every connect lets it succeed: then there is nothing to time out.
        CompletableFuture<Connection> attempt = rt.submitAsync(0,
                () -> Net.transport().connect(nowhere, timeout, ConnectionOptions.DEFAULT, handler));
        Throwable failure;
        try {
            Connection c = attempt.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            get(rt.submitAsync(0, c::close));
            failure = null;
        } catch (ExecutionException e) {
            failure = e.getCause();
            assertInstanceOf(IOException.class, failure);
            assertTrue(!handler.opened.isDone());
        }
        eventually("no connection left", () -> totalConnections(rt) == 0);
        try (TcpServer server = echoServer(rt, ServerOptions.DEFAULT)) { // the same loop still connects and serves
            NetTestSupport.Recorder ok = new NetTestSupport.Recorder();
            get(rt.submitAsync(0, () -> Net.transport().connect(server.address(), timeout, ConnectionOptions.DEFAULT, ok)));
            get(ok.opened);
        }
        assumeTrue(failure != null, "this machine's network accepted a connect to " + nowhere
                + ", so it could not time out here (the deterministic case is connectingToAFullBacklogTimesOut)");
    }

    /**
     * A listener with backlog 1 that never accepts holds two completed handshakes; after that Linux
     * drops further SYNs, so a connect can only time out.
     */
    private static List<Socket> fillBacklog(ServerSocket full) throws IOException {
        List<Socket> fillers = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            Socket s = new Socket();
            try {
                s.connect(full.getLocalSocketAddress(), 300);
                fillers.add(s);
            } catch (SocketTimeoutException e) {
                s.close();
                return fillers;
            }
        }
        for (Socket s : fillers) {
            s.close();
        }
        throw new AssertionError("the kernel kept completing handshakes on a full backlog: "
                + "no deterministic connect timeout on this machine");
    }

    @Test
    void connectingToAFullBacklogTimesOut() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, LOCALHOST)) {
            List<Socket> fillers = fillBacklog(full);
            try {
                NetTestSupport.Recorder never = new NetTestSupport.Recorder();
                InetSocketAddress target = (InetSocketAddress) full.getLocalSocketAddress();
                Throwable t = failureOf(rt.submitAsync(0, () -> Net.transport().connect(target, SHORT,
                        ConnectionOptions.DEFAULT, never)));
                assertInstanceOf(SocketTimeoutException.class, t);
                assertTrue(!never.opened.isDone());
                assertEquals(0, totalConnections(rt));
                assertEquals(42, get(rt.submit(0, () -> 42)), "the loop goes on");
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aPendingConnectCanBeCancelled() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, LOCALHOST)) {
            List<Socket> fillers = fillBacklog(full);
            try {
                AtomicReference<Future<Connection>> pending = new AtomicReference<>();
                InetSocketAddress target = (InetSocketAddress) full.getLocalSocketAddress();
                CompletableFuture<Connection> outcome = rt.submitAsync(0, () -> {
                    Future<Connection> f = Net.transport().connect(target, PATIENCE.multipliedBy(2),
                            ConnectionOptions.DEFAULT, new NetTestSupport.Recorder());
                    pending.set(f);
                    return f;
                });
                eventually("connect started", () -> pending.get() != null);
                assertEquals(Boolean.TRUE, get(rt.submit(0, () -> pending.get().cancel())));
                assertInstanceOf(CancellationException.class, failureOf(outcome));
                assertEquals(7, get(rt.submit(0, () -> 7)));
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    private static long openFileDescriptors() throws IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void connectingToAnUnresolvedAddressLeaksNoSocket() throws Exception {
        assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/fd")), "needs /proc/self/fd");
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("nowhere.invalid", 80);
        long before = openFileDescriptors();
        for (int i = 0; i < 50; i++) {
            // Thrown at once or failed through the future: either way it fails, and the socket is released.
            Throwable t = failureOf(rt.submitAsync(0, () -> Net.transport().connect(unresolved, SHORT,
                    ConnectionOptions.DEFAULT, new NetTestSupport.Recorder())));
            assertInstanceOf(java.nio.channels.UnresolvedAddressException.class, t);
        }
        long leaked = openFileDescriptors() - before;
        assertTrue(leaked < 10, leaked + " file descriptors leaked by 50 failed connects");
    }

    @Test
    void connectingToAClosedPortFailsAtOnce() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 1, LOCALHOST)) {
            port = gone.getLocalPort();
        }
        Throwable t = failureOf(rt.submitAsync(1, () -> Net.transport().connect(local(port), Duration.ofSeconds(10),
                ConnectionOptions.DEFAULT, new NetTestSupport.Recorder())));
        assertInstanceOf(ConnectException.class, t);
    }
}
