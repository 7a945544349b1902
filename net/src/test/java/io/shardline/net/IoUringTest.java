package io.shardline.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The io_uring binding on its own: batched sends and receives on a connected loopback pair. */
class IoUringTest {
    private IoUring ring;
    private SocketChannel a;
    private SocketChannel b;

    @BeforeEach
    void setUp() throws IOException {
        assertNull(NioInternals.unavailable(), "the build runs tests with " + NioInternals.FLAG);
        ring = UringSupport.openOrSkip(8);
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            a = SocketChannel.open(server.getLocalAddress());
            b = server.accept();
        }
        a.configureBlocking(false);
        b.configureBlocking(false);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (ring != null) {
            ring.close();
        }
        if (a != null) {
            a.close();
            b.close();
        }
    }

    @Test
    void sendsAndReceivesInOneBatchEach() throws IOException {
        ByteBuffer out1 = ByteBuffer.allocateDirect(16).put("hello ".getBytes()).flip();
        ByteBuffer out2 = ByteBuffer.allocateDirect(16).put("world".getBytes()).flip();
        int[] results = new int[8];
        ring.prepare(IoUring.OP_SEND, NioInternals.fd(a), NioInternals.address(out1), out1.remaining(), 0);
        ring.prepare(IoUring.OP_SEND, NioInternals.fd(b), NioInternals.address(out2), out2.remaining(), 1);
        ring.run(results);
        assertEquals(6, results[0]);
        assertEquals(5, results[1]);

        ByteBuffer inA = ByteBuffer.allocateDirect(64);
        ByteBuffer inB = ByteBuffer.allocateDirect(64);
        // Loopback delivers during the send, so both are readable now.
        ring.prepare(IoUring.OP_RECV, NioInternals.fd(a), NioInternals.address(inA), 64, 1);
        ring.prepare(IoUring.OP_RECV, NioInternals.fd(b), NioInternals.address(inB), 64, 0);
        ring.run(results);
        assertEquals(5, results[1]);
        assertEquals(6, results[0]);
        assertEquals("world", text(inA, results[1]));
        assertEquals("hello ", text(inB, results[0]));
    }

    @Test
    void anEmptySocketReceivesAgainAtOnceInsteadOfWaiting() throws IOException {
        ByteBuffer in = ByteBuffer.allocateDirect(64);
        int[] results = new int[1];
        ring.prepare(IoUring.OP_RECV, NioInternals.fd(a), NioInternals.address(in), 64, 0);
        ring.run(results); // would block forever if the receive waited for data
        assertEquals(-IoUring.EAGAIN, results[0]);
    }

    @Test
    void aFullSocketRefusesTheSendAtOnceInsteadOfWaiting() throws IOException {
        a.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
        b.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
        int[] results = new int[1];
        long sent = 0;
        for (int i = 0; i < 1000; i++) {
            ring.prepare(IoUring.OP_SEND, NioInternals.fd(a), NioInternals.address(chunk), chunk.capacity(), 0);
            ring.run(results);
            if (results[0] == -IoUring.EAGAIN) {
                break;
            }
            assertTrue(results[0] > 0, "send result " + results[0]);
            sent += results[0];
        }
        assertEquals(-IoUring.EAGAIN, results[0], "the peer never reads, so the socket fills up");
        assertTrue(sent > 0);
    }

    @Test
    void aResetPeerGivesTheErrnoAndItsMessage() throws IOException {
        b.setOption(StandardSocketOptions.SO_LINGER, 0);
        b.close(); // sends a reset
        ByteBuffer in = ByteBuffer.allocateDirect(64);
        int[] results = new int[1];
        ring.prepare(IoUring.OP_RECV, NioInternals.fd(a), NioInternals.address(in), 64, 0);
        ring.run(results);
        assertEquals(-104, results[0]); // ECONNRESET
        assertEquals("Connection reset by peer", IoUring.strerror(104));
    }

    @Test
    void aBatchLargerThanTheRingIsRefusedWithAClearError() {
        ByteBuffer buf = ByteBuffer.allocateDirect(8);
        for (int i = 0; i < ring.capacity(); i++) {
            ring.prepare(IoUring.OP_RECV, NioInternals.fd(a), NioInternals.address(buf), 8, 0);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ring.prepare(IoUring.OP_RECV, NioInternals.fd(a), NioInternals.address(buf), 8, 0));
        assertTrue(e.getMessage().contains("full"), e.getMessage());
    }

    @Test
    void anOperationThatWentAsynchronousIsCancelledSoTheRunStillReturns() throws IOException {
        ring.entryFlags = IoUring.IOSQE_ASYNC; // the kernel's workers would wait for data that never comes
        ByteBuffer in = ByteBuffer.allocateDirect(64);
        ByteBuffer out = ByteBuffer.allocateDirect(8).putLong(0, 42);
        int[] results = new int[2];
        ring.prepare(IoUring.OP_RECV, NioInternals.fd(a), NioInternals.address(in), 64, 0);
        ring.prepare(IoUring.OP_SEND, NioInternals.fd(a), NioInternals.address(out), 8, 1); // to b: a stays empty
        ring.run(results); // would wait forever for the receive if stragglers were not cancelled
        assertTrue(results[1] == 8 || results[1] == -IoUring.ECANCELED,
                "the send completed, or was cancelled before a worker took it: " + results[1]);
        assertTrue(results[0] == -IoUring.ECANCELED || results[0] == -IoUring.EAGAIN,
                "the receive on an empty socket was cancelled (or refused): " + results[0]);
        ring.entryFlags = 0;
        // The ring is still usable afterwards.
        ring.prepare(IoUring.OP_SEND, NioInternals.fd(b), NioInternals.address(out), 8, 0);
        ring.run(results);
        assertEquals(8, results[0]);
    }

    @Test
    void aClosedRingRefusesWorkInsteadOfTouchingUnmappedMemory() {
        ring.close();
        ByteBuffer buf = ByteBuffer.allocateDirect(8);
        assertThrows(IllegalStateException.class,
                () -> ring.prepare(IoUring.OP_RECV, NioInternals.fd(a), NioInternals.address(buf), 8, 0));
        ring.close(); // twice is harmless
        ring = null;
    }

    @Test
    void zeroEntriesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> IoUring.open(0));
    }

    private static String text(ByteBuffer direct, int n) {
        byte[] bytes = new byte[n];
        direct.get(0, bytes);
        return new String(bytes);
    }

    @Test
    void bytesArriveInOrderOverManyBatches() throws IOException {
        ByteBuffer out = ByteBuffer.allocateDirect(4);
        ByteBuffer in = ByteBuffer.allocateDirect(4);
        int[] results = new int[2];
        for (int i = 0; i < 100; i++) {
            out.putInt(0, i);
            ring.prepare(IoUring.OP_SEND, NioInternals.fd(a), NioInternals.address(out), 4, 0);
            ring.run(results);
            ring.prepare(IoUring.OP_RECV, NioInternals.fd(b), NioInternals.address(in), 4, 1);
            ring.run(results);
            assertArrayEquals(new int[] {4, 4}, results);
            assertEquals(i, in.getInt(0));
        }
    }
}
