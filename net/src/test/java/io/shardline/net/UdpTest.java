package io.shardline.net;

import static io.shardline.net.NetTestSupport.ANY_PORT;
import static io.shardline.net.NetTestSupport.LOCALHOST;
import static io.shardline.net.NetTestSupport.PATIENCE;
import static io.shardline.net.NetTestSupport.get;
import static io.shardline.net.NetTestSupport.randomBytes;
import static io.shardline.net.NetTestSupport.runtime;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.shard.ShardRuntime;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UdpTest {
    private ShardRuntime rt;

    @BeforeEach
    void start() {
        rt = runtime(2);
    }

    @AfterEach
    void stop() {
        rt.close();
    }

    record Received(byte[] data, SocketAddress sender) {
    }

    /** An echo socket on {@code shard}: each datagram goes back to its sender. */
    private UdpSocket echo(int shard, BlockingQueue<Received> seen) {
        return get(rt.submit(shard, () -> Net.transport().bindUdp(ANY_PORT, (socket, data, sender) -> {
            byte[] copy = new byte[data.remaining()];
            data.get(data.position(), copy);
            seen.add(new Received(copy, sender));
            socket.send(data, sender);
        })));
    }

    private static Received take(BlockingQueue<Received> q) throws InterruptedException {
        Received r = q.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(r, "no datagram within " + PATIENCE);
        return r;
    }

    @Test
    void datagramsMakeARoundTripBetweenTwoShards() throws Exception {
        BlockingQueue<Received> atServer = new LinkedBlockingQueue<>();
        BlockingQueue<Received> atClient = new LinkedBlockingQueue<>();
        UdpSocket server = echo(0, atServer);
        UdpSocket client = get(rt.submit(1, () -> Net.transport().bindUdp(ANY_PORT, (socket, data, sender) -> {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            atClient.add(new Received(copy, sender));
        })));
        assertTrue(server.localAddress().getPort() > 0);
        Random rnd = new Random(1);
        for (int i = 0; i < 50; i++) {
            byte[] payload = randomBytes(rnd, i == 0 ? 0 : 1 + rnd.nextInt(i < 40 ? 1400 : 60_000));
            InetSocketAddress to = server.localAddress();
            assertTrue(get(rt.submit(1, () -> client.send(ByteBuffer.wrap(payload), to))));
            Received there = take(atServer);
            assertArrayEquals(payload, there.data());
            assertEquals(client.localAddress(), there.sender());
            Received back = take(atClient);
            assertArrayEquals(payload, back.data());
            assertEquals(server.localAddress(), back.sender());
        }
        assertEquals(0L, get(rt.submit(1, client::dropped)));
        get(rt.submit(0, () -> {
            server.close();
            server.close(); // idempotent
            return null;
        }));
        get(rt.submit(1, () -> {
            client.close();
            return null;
        }));
        assertFalse(get(rt.submit(1, () -> client.send(ByteBuffer.wrap(new byte[1]), server.localAddress()))),
                "a closed socket sends nothing");
    }

    @Test
    void aPlainDatagramSocketGetsItsDatagramsEchoed() throws Exception {
        BlockingQueue<Received> atServer = new LinkedBlockingQueue<>();
        UdpSocket server = echo(1, atServer);
        try (DatagramSocket plain = new DatagramSocket(new InetSocketAddress(LOCALHOST, 0))) {
            plain.setSoTimeout((int) PATIENCE.toMillis()); // hang guard only
            Random rnd = new Random(2);
            byte[] buf = new byte[65_535];
            for (int i = 0; i < 20; i++) {
                byte[] payload = randomBytes(rnd, 1 + rnd.nextInt(8000));
                plain.send(new DatagramPacket(payload, payload.length, server.localAddress()));
                DatagramPacket reply = new DatagramPacket(buf, buf.length);
                plain.receive(reply);
                assertEquals(server.localAddress(), reply.getSocketAddress());
                assertArrayEquals(payload, java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
                assertEquals(plain.getLocalSocketAddress(), take(atServer).sender());
            }
        }
    }

    @Test
    void aHandlerThatThrowsDoesNotStopTheSocket() throws Exception {
        BlockingQueue<Received> seen = new LinkedBlockingQueue<>();
        UdpSocket server = get(rt.submit(0, () -> Net.transport().bindUdp(ANY_PORT, (socket, data, sender) -> {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            seen.add(new Received(copy, sender));
            if (copy.length == 1) {
                throw new IllegalStateException("handler bug");
            }
        })));
        try (DatagramSocket plain = new DatagramSocket(new InetSocketAddress(LOCALHOST, 0))) {
            plain.send(new DatagramPacket(new byte[1], 1, server.localAddress()));
            assertEquals(1, take(seen).data().length);
            plain.send(new DatagramPacket(new byte[2], 2, server.localAddress()));
            assertEquals(2, take(seen).data().length);
        }
    }

    @Test
    void bindingABusyPortFails() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(LOCALHOST, 0))) {
            InetSocketAddress busy = (InetSocketAddress) taken.getLocalSocketAddress();
            Throwable t = NetTestSupport.failureOf(rt.submit(0, () -> Net.transport().bindUdp(busy, (s, d, a) -> { })));
            assertTrue(t instanceof UncheckedIOException, String.valueOf(t));
        }
        assertThrows(IllegalStateException.class, () -> Transport.of(rt.shard(0).loop()).bindUdp(ANY_PORT, (s, d, a) -> { }));
    }
}
