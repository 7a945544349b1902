package io.shardline.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/** A UDP socket on the NIO backend. Owned by its loop; not thread-safe. */
final class NioUdpSocket implements UdpSocket, IoReady {
    private static final int RECEIVES_PER_PASS = 64;

    private final NioTransport transport;
    private final DatagramIo io;
    SelectionKey key;

    NioUdpSocket(NioTransport transport, DatagramChannel channel, DatagramHandler handler) throws IOException {
        this.transport = transport;
        this.io = new DatagramIo(this, channel, handler);
    }

    @Override
    public void ready(int readyOps) {
        io.receive(transport.readBuffer(), RECEIVES_PER_PASS);
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
        key.cancel();
        io.closeChannel();
        transport.closed(this, false);
    }

    @Override
    public void closeForShutdown() {
        close();
    }
}
