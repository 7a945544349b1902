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
final class IoUringUdpSocket implements UdpSocket, IoUringTransport.Member {
    private static final System.Logger LOG = System.getLogger("io.shardline.net");
    private static final int RECEIVES_PER_PASS = 64;

    private final IoUringTransport transport;
    private final Ring ring;
    private final DatagramChannel channel;
    private final DatagramHandler handler;
    private final InetSocketAddress address;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(NioTransport.READ_BUFFER_SIZE);
    private long pollToken;
    private boolean polling;
    private long dropped;
    private boolean closed;

    IoUringUdpSocket(IoUringTransport transport, DatagramChannel channel, DatagramHandler handler) throws IOException {
        this.transport = transport;
        this.ring = transport.ring();
        this.channel = channel;
        this.handler = handler;
        this.address = (InetSocketAddress) channel.getLocalAddress();
    }

    void start() {
        pollToken = ring.pollAdd(NioInternals.fd(channel), Ring.POLLIN, true, this::ready);
        polling = true;
    }

    private void ready(int result, int flags) {
        if ((flags & Ring.F_MORE) == 0) {
            polling = false;
        }
        if (closed) {
            return;
        }
        if (receiveSome() == RECEIVES_PER_PASS) {
            ring.nop((r, f) -> continueReceiving());
        }
        if (!polling && !closed) {
            start();
        }
    }

    private void continueReceiving() {
        if (!closed && receiveSome() == RECEIVES_PER_PASS) {
            ring.nop((r, f) -> continueReceiving());
        }
    }

    private int receiveSome() {
        int i = 0;
        for (; i < RECEIVES_PER_PASS && !closed; i++) {
            buffer.clear();
            SocketAddress sender;
            try {
                sender = channel.receive(buffer);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "UDP receive on " + address + " failed: " + e);
                return i;
            }
            if (sender == null) {
                return i;
            }
            buffer.flip();
            try {
                handler.onDatagram(this, buffer, sender);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "UDP handler on " + address + " threw " + e);
            }
        }
        return i;
    }

    @Override
    public boolean send(ByteBuffer data, SocketAddress target) {
        assert transport.loop().inLoop() : "UDP socket used from thread " + Thread.currentThread().getName();
        if (closed) {
            return false;
        }
        try {
            if (channel.send(data, target) == 0 && data.hasRemaining()) {
                dropped++;
                return false;
            }
            return true;
        } catch (IOException e) {
            dropped++;
            LOG.log(System.Logger.Level.DEBUG, () -> "UDP send to " + target + " failed: " + e);
            return false;
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return address;
    }

    @Override
    public long dropped() {
        return dropped;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (polling) {
            ring.cancel(pollToken);
            ring.submit(); // the poll lets go of the socket before it closes
        }
        NioTransport.closeQuietly(channel);
        transport.closed(this, false);
    }

    @Override
    public void closeForShutdown() {
        close();
    }
}
