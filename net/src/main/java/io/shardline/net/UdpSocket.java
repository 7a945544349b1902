package io.shardline.net;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/** A UDP socket on one loop. Owned by that loop; not thread-safe. */
public interface UdpSocket extends AutoCloseable {

    InetSocketAddress localAddress();

    /**
     * Sends one datagram (all remaining bytes of {@code data}); returns false if the socket's send
     * buffer was full and the datagram was dropped, as UDP may.
     */
    boolean send(ByteBuffer data, SocketAddress target);

    /** Datagrams dropped because the send buffer was full. */
    long dropped();

    @Override
    void close();
}
