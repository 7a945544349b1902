package io.shardline.net;

import static io.shardline.net.NetTestSupport.ANY_PORT;
import static io.shardline.net.NetTestSupport.LOCALHOST;
import static io.shardline.net.NetTestSupport.PATIENCE;
import static io.shardline.net.NetTestSupport.connect;
import static io.shardline.net.NetTestSupport.eventually;
import static io.shardline.net.NetTestSupport.failureOf;
import static io.shardline.net.NetTestSupport.get;
import static io.shardline.net.NetTestSupport.patternChunk;
import static io.shardline.net.NetTestSupport.runtime;
import static io.shardline.net.NetTestSupport.totalConnections;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Closing a runtime with connections, listeners, pending connects and UDP sockets open: all close, nothing hangs. */
class ShutdownTest {

    /** Reads until the end; true for EOF or a reset, false if the peer kept the connection open (the hang guard fired). */
    private static boolean ends(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[64 * 1024];
        try {
            while (in.read(buf) >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void closingTheRuntimeClosesEverythingOpenAndNothingHangs() throws Exception {
        ConcurrentLinkedQueue<Throwable> serverCloses = new ConcurrentLinkedQueue<>();
        AtomicInteger opened = new AtomicInteger();
        List<Socket> clients = new ArrayList<>();
        ShardRuntime rt = runtime(2);
        try (ServerSocket full = new ServerSocket(0, 1, LOCALHOST)) {
            TcpServer echo = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT, () -> new EchoHandler() {
                @Override
                public void onOpen(Connection c) {
                    opened.incrementAndGet();
                }

                @Override
                public void onClosed(Connection c, Throwable cause) {
                    serverCloses.add(cause == null ? new AssertionError("closed gracefully?") : cause);
                }
            });
            // A server busy writing to a peer that does not read, and a blocking-style server parked in a read.
            TcpServer writer = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT, () -> new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    for (long at = 0; at < 8L * 1024 * 1024; at += 64 * 1024) {
                        c.write(patternChunk(at, 64 * 1024, true));
                    }
                }

                @Override
                public void onData(Connection c, ByteBuffer data) {
                    data.position(data.limit());
                }
            });
            CompletableFuture<Throwable> parkedReader = new CompletableFuture<>();
            TcpServer blocking = TcpServer.start(rt, ANY_PORT, ServerOptions.DEFAULT, () -> BlockingConnection.serving(c -> {
                try {
                    c.read(ByteBuffer.allocate(10));
                    parkedReader.complete(null);
                } catch (Throwable t) {
                    parkedReader.complete(t);
                }
            }));

            for (int i = 0; i < 50; i++) {
                Socket s = connect(echo.port());
                clients.add(s);
                s.getOutputStream().write(i);
                assertEquals(i, s.getInputStream().read());
            }
            clients.add(connect(writer.port(), 8 * 1024));
            clients.add(connect(blocking.port()));
            // A client connection from a shard, and one stuck connecting to a full backlog.
            NetTestSupport.Recorder outbound = new NetTestSupport.Recorder();
            get(rt.submitAsync(1, () -> Net.transport().connect(echo.address(), Duration.ofSeconds(10),
                    ConnectionOptions.DEFAULT, outbound)));
            List<Socket> fillers = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                Socket f = new Socket();
                try {
                    f.connect(full.getLocalSocketAddress(), 300);
                    fillers.add(f);
                } catch (SocketTimeoutException backlogFull) {
                    f.close();
                    break;
                }
            }
            CompletableFuture<Connection> pending = rt.submitAsync(0, () -> Net.transport().connect(
                    (InetSocketAddress) full.getLocalSocketAddress(), PATIENCE.multipliedBy(3), ConnectionOptions.DEFAULT,
                    new NetTestSupport.Recorder()));
            UdpSocket udp = get(rt.submit(0, () -> Net.transport().bindUdp(ANY_PORT, (s, d, a) -> { })));
            eventually("all connections open", () -> totalConnections(rt) == 50 + 1 + 1 + 2);
            int echoPort = echo.port();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(rt::close);
            get(closing); // bounded: fails the test instead of hanging

            for (Socket s : clients) {
                assertTrue(ends(s), "client " + s + " saw its connection end");
            }
            assertEquals(51, opened.get(), "50 plain clients and the shard's own outbound connection");
            eventually("every echo connection reported its close", () -> serverCloses.size() == 51);
            int graceful = 0;
            for (Throwable cause : serverCloses) {
                if (cause == null) {
                    graceful++; // only the shard's own outbound connection can see its peer end first
                } else {
                    assertInstanceOf(IOException.class, cause, "closed by the shutdown: " + cause);
                }
            }
            assertTrue(graceful <= 1, graceful + " server connections closed gracefully, not by the shutdown");
            // Closed by its own shard's shutdown (an IOException), or first by the peer shard's, which
            // this side sees as end-of-stream and closes gracefully (null): shards stop in parallel.
            Throwable outboundCause = get(outbound.closed);
            assertTrue(outboundCause == null || outboundCause instanceof IOException, "outbound closed by " + outboundCause);
            assertNotNull(failureOf(pending), "the pending connect failed");
            assertNotNull(get(parkedReader), "the parked blocking reader was woken with an error");
            assertThrows(ConnectException.class, () -> new Socket().connect(NetTestSupport.local(echoPort), 1000));
            for (Socket f : fillers) {
                f.close();
            }
            // The handles stay usable after their runtime is gone.
            echo.close();
            writer.close();
            blocking.close();
            assertTrue(udp.localAddress().getPort() > 0);
        } finally {
            rt.close();
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    private static void assertThrows(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable e) {
        org.junit.jupiter.api.Assertions.assertThrows(type, e);
    }
}
