package io.shardline.net;

import static io.shardline.net.NetTestSupport.ANY_PORT;
import static io.shardline.net.NetTestSupport.PATIENCE;
import static io.shardline.net.NetTestSupport.connections;
import static io.shardline.net.NetTestSupport.crc;
import static io.shardline.net.NetTestSupport.eventually;
import static io.shardline.net.NetTestSupport.randomBytes;
import static io.shardline.net.NetTestSupport.runtime;
import static io.shardline.net.NetTestSupport.totalConnections;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.shardline.shard.ShardRuntime;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 1,000 concurrent connections echoing random payloads of random sizes, each checked by CRC32. The
 * client side is one NIO selector thread, so every connection writes and reads at the same time.
 */
class EchoStressTest {
    private static final int CONNECTIONS = 1000;
    private static final int MAX_PAYLOAD = 64 * 1024;

    /** One client connection's state, owned by the selector thread. */
    private static final class Client {
        final int id;
        final ByteBuffer out;
        final long sentCrc;
        final int length;
        final CRC32 receivedCrc = new CRC32();
        SocketChannel channel;
        long received;

        Client(int id, byte[] payload) {
            this.id = id;
            this.out = ByteBuffer.wrap(payload);
            this.sentCrc = crc(payload);
            this.length = payload.length;
        }
    }

    @ParameterizedTest
    @EnumSource(ServerOptions.Placement.class)
    void thousandConcurrentConnectionsEchoRandomPayloads(ServerOptions.Placement placement) throws Exception {
        Random rnd = new Random(0x5EED + placement.ordinal());
        ServerOptions options = ServerOptions.DEFAULT.withPlacement(placement);
        try (ShardRuntime rt = runtime(2);
             TcpServer server = TcpServer.start(rt, ANY_PORT, options, EchoHandler::new);
             Selector selector = Selector.open()) {
            InetSocketAddress target = server.address();
            Client[] clients = new Client[CONNECTIONS];
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Client c = new Client(i, randomBytes(rnd, 1 + rnd.nextInt(MAX_PAYLOAD)));
                    clients[i] = c;
                    c.channel = SocketChannel.open();
                    c.channel.configureBlocking(false);
                    c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    boolean connected = c.channel.connect(target);
                    c.channel.register(selector, connected ? SelectionKey.OP_READ | SelectionKey.OP_WRITE
                            : SelectionKey.OP_CONNECT, c);
                }
                ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
                int verified = 0;
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                while (verified < CONNECTIONS) {
                    if (System.nanoTime() - deadline > 0) {
                        fail("only " + verified + " of " + CONNECTIONS + " connections completed within " + PATIENCE);
                    }
                    selector.select(100);
                    for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                        SelectionKey key = it.next();
                        it.remove();
                        Client c = (Client) key.attachment();
                        if (key.isConnectable()) {
                            if (c.channel.finishConnect()) {
                                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                            }
                            continue;
                        }
                        if (key.isWritable()) {
                            c.channel.write(c.out);
                            if (!c.out.hasRemaining()) {
                                key.interestOps(SelectionKey.OP_READ);
                            }
                        }
                        if (key.isReadable()) {
                            in.clear();
                            int n = c.channel.read(in);
                            if (n < 0) {
                                fail("connection " + c.id + " ended after " + c.received + " of " + c.length + " bytes");
                            }
                            in.flip();
                            c.receivedCrc.update(in);
                            c.received += n;
                            if (c.received > c.length) {
                                fail("connection " + c.id + " got " + c.received + " bytes back for " + c.length + " sent");
                            }
                            if (c.received == c.length) {
                                assertEquals(c.sentCrc, c.receivedCrc.getValue(), "checksum of connection " + c.id);
                                key.interestOps(0); // stays open: all 1,000 are open at once
                                verified++;
                            }
                        }
                    }
                }
                assertEquals(CONNECTIONS, totalConnections(rt), "every connection is still open on the server");
                assertTrue(connections(rt, 0) > 0 && connections(rt, 1) > 0,
                        placement + ": shard 0 has " + connections(rt, 0) + ", shard 1 has " + connections(rt, 1));
            } finally {
                for (Client c : clients) {
                    if (c != null) {
                        closeQuietly(c.channel);
                    }
                }
            }
            eventually("the server closed every connection after the clients left", () -> totalConnections(rt) == 0);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
