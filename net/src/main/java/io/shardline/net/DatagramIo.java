package io.shardline.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The receive loop, sends, drop count and closed flag of one UDP socket, the same on every transport
 * (both receive and send through the NIO channel; they differ only in how they learn a datagram waits).
 * Owned by the socket's loop; not thread-safe.
 */
final class DatagramIo {
    private static final System.Logger LOG = System.getLogger("io.shardline.net");

    private final UdpSocket owner;
    private final DatagramChannel channel;
    private final DatagramHandler handler;
    private final InetSocketAddress address;
    private long dropped;
    private boolean closed;

    DatagramIo(UdpSocket owner, DatagramChannel channel, DatagramHandler handler) throws IOException {
        this.owner = owner;
        this.channel = channel;
        this.handler = handler;
        this.address = (InetSocketAddress) channel.getLocalAddress();
    }

    /**
     * Hands up to {@code max} waiting datagrams to the handler, each in {@code buffer} (reused, so the
     * handler must not keep it); stops early when none waits, a receive fails or the handler closes.
     * Returns how many it received.
     */
    int receive(ByteBuffer buffer, int max) {
        int i = 0;
        for (; i < max && !closed; i++) {
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
                handler.onDatagram(owner, buffer, sender);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "UDP handler on " + address + " threw " + e);
            }
        }
        return i;
    }

    /** Sends at once; a full socket or an error drops the datagram (counted) rather than waiting. */
    boolean send(ByteBuffer data, SocketAddress target) {
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

    /** Marks the socket closed; false if it already was, so the caller releases it once. */
    boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes the channel; the transport's registration (key, poll) must have let go of it first. */
    void closeChannel() {
        NioTransport.closeQuietly(channel);
    }

    InetSocketAddress address() {
        return address;
    }

    long dropped() {
        return dropped;
    }
}
