package io.shardline.net;

import java.nio.channels.SocketChannel;

/**
 * A connection a listener accepted, on its way to the loop that adopts it: an NIO channel (the NIO
 * transport accepts those) or a bare descriptor (the io_uring transport's multishot accept). Handed
 * from the accepting loop to one adopting loop; adopted, or {@link #close closed}, once.
 *
 * <p>Each transport adopts what its own listeners accept; the io_uring transport adopts channels too
 * (a test's, a client's), the NIO transport only channels.
 */
public final class AcceptedSocket {
    private final SocketChannel channel;
    private final int fd;

    private AcceptedSocket(SocketChannel channel, int fd) {
        this.channel = channel;
        this.fd = fd;
    }

    /** A connected NIO channel. */
    public static AcceptedSocket of(SocketChannel channel) {
        if (channel == null) {
            throw new NullPointerException("channel");
        }
        return new AcceptedSocket(channel, -1);
    }

    /** A connected, non-blocking socket descriptor this object now owns. */
    static AcceptedSocket ofDescriptor(int fd) {
        return new AcceptedSocket(null, fd);
    }

    /** The NIO channel, or null for a bare descriptor. */
    public SocketChannel channel() {
        return channel;
    }

    /** The bare descriptor, or -1 for a channel. */
    int descriptor() {
        return fd;
    }

    /** Closes the socket unadopted (a refusal, a failed hand-off). */
    public void close() {
        if (channel != null) {
            NioTransport.closeQuietly(channel);
        } else if (SocketFds.INSTANCE != null) {
            SocketFds.INSTANCE.close(fd);
        }
    }

    @Override
    public String toString() {
        return channel != null ? channel.toString() : "socket fd " + fd;
    }
}
