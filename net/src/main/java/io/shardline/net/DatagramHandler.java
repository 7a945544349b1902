package io.shardline.net;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/** Receives datagrams on the socket's loop; {@code data} is reused after the call returns. */
@FunctionalInterface
public interface DatagramHandler {
    void onDatagram(UdpSocket socket, ByteBuffer data, SocketAddress sender);
}
