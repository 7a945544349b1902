package io.shardline.net;

import io.shardline.core.ring.Ring;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A UDP socket on the io_uring backend. Owned by its loop; not thread-safe.
 *
 * <p>A multishot poll on the ring says when datagrams wait; they are received through NIO, which
 * gives each its sender's address, into the loop's receive buffer, up to 64 per pass. Sends are
 * immediate NIO calls: UDP never waits for room, it drops.
 */
final class IoUringUdpSocket implements UdpSocket, OpenMembers.Member {
    private static final int RECEIVES_PER_PASS = 64;

    private final IoUringTransport transport;
    private final Ring ring;
    private final DatagramChannel channel;
    private final DatagramIo io;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(NioTransport.READ_BUFFER_SIZE);
    private long pollToken;
    private boolean polling;

    IoUringUdpSocket(IoUringTransport transport, DatagramChannel channel, DatagramHandler handler) throws IOException {
        this.transport = transport;
        this.ring = transport.ring();
        this.channel = channel;
        this.io = new DatagramIo(this, channel, handler);
    }

    void start() {
        pollToken = ring.pollAdd(NioInternals.fd(channel), Ring.POLLIN, true, this::ready);
        polling = true;
    }

    private void ready(int result, int flags) {
        if ((flags & Ring.F_MORE) == 0) {
            polling = false;
        }
        if (io.isClosed()) {
            return;
        }
        if (io.receive(buffer, RECEIVES_PER_PASS) == RECEIVES_PER_PASS) {
            ring.nop((r, f) -> continueReceiving());
        }
        if (!polling && !io.isClosed()) {
            start();
        }
    }

    private void continueReceiving() {
        if (!io.isClosed() && io.receive(buffer, RECEIVES_PER_PASS) == RECEIVES_PER_PASS) {
            ring.nop((r, f) -> continueReceiving());
        }
    }

    @Override
    public boolean send(ByteBuffer data, SocketAddress target) {
        assert transport.loop().inLoop() : "UDP socket used from thread " + Thread.currentThread().getName();
        return io.send(data, target);
    }

    @Override
    public InetSocketAddress localAddress() {
        return io.address();
    }

    @Override
    public long dropped() {
        return io.dropped();
    }

    @Override
    public void close() {
        if (!io.markClosed()) {
            return;
        }
        if (polling) {
            ring.cancel(pollToken);
            ring.submit(); // the poll lets go of the socket before it closes
        }
        io.closeChannel();
        transport.closed(this, false);
    }

    @Override
    public void closeForShutdown() {
        close();
    }
}
