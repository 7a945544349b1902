package io.shardline.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/** A UDP socket on the NIO backend. Owned by its loop; not thread-safe. */
final class NioUdpSocket implements UdpSocket, IoReady {
    private static final System.Logger LOG = System.getLogger("io.shardline.net");
    private static final int RECEIVES_PER_PASS = 64;

    private final NioTransport transport;
    private final DatagramChannel channel;
    private final DatagramHandler handler;
    private final InetSocketAddress address;
    SelectionKey key;
    private long dropped;
    private boolean closed;

    NioUdpSocket(NioTransport transport, DatagramChannel channel, DatagramHandler handler) throws IOException {
        this.transport = transport;
        this.channel = channel;
        this.handler = handler;
        this.address = (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public void ready(int readyOps) {
        for (int i = 0; i < RECEIVES_PER_PASS && !closed; i++) {
            ByteBuffer buf = transport.readBuffer();
            SocketAddress sender;
            try {
                sender = channel.receive(buf);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "UDP receive on " + address + " failed: " + e);
                return;
            }
            if (sender == null) {
                return;
            }
            buf.flip();
            try {
                handler.onDatagram(this, buf, sender);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "UDP handler on " + address + " threw " + e);
            }
        }
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
        key.cancel();
        NioTransport.closeQuietly(channel);
        transport.closed(this, false);
    }

    @Override
    public void closeForShutdown() {
        close();
    }
}
