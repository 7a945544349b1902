package io.shardline.net;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Parker;
import io.shardline.core.PollSource;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * One loop's I/O backend: it parks the loop in its readiness wait and polls its sockets every
 * iteration. Owned by its loop; only {@link #wakeup()} may be called from other threads.
 *
 * <p>The connection API ({@link Connection}, {@link ConnectionHandler}, {@link TcpServer}) is written
 * against this interface only, so an io_uring backend can replace NIO without changing it.
 */
public interface Transport extends Parker, PollSource {

    /** The transport of {@code loop}; fails if the loop was not built with one (see {@link Net}). */
    static Transport of(Loop loop) {
        Transport t = loop.service(Transport.class);
        if (t != null) {
            return t;
        }
        throw new IllegalStateException(loop + " has no network transport: build it with Net.install(...) or "
                + "LoopConfig.builder().parker(NioTransport::new)");
    }

    /** Opens a listener on {@code address}; each accepted channel goes to {@code acceptor}. Call on this loop. */
    Listener listen(InetSocketAddress address, ServerOptions options, Acceptor acceptor);

    /**
     * Takes over a connection accepted elsewhere (hand-off placement) or here. Call on this loop.
     *
     * @throws IllegalArgumentException for a socket this transport cannot adopt (the NIO transport
     *         adopts NIO channels only)
     */
    Connection adopt(AcceptedSocket socket, ConnectionOptions options, ConnectionHandler handler);

    /** Takes over a connected channel. Call on this loop. */
    default Connection adopt(SocketChannel channel, ConnectionOptions options, ConnectionHandler handler) {
        return adopt(AcceptedSocket.of(channel), options, handler);
    }

    /** Connects to {@code address}; fails with {@link java.net.SocketTimeoutException} after {@code timeout}. */
    Future<Connection> connect(InetSocketAddress address, Duration timeout, ConnectionOptions options,
                               ConnectionHandler handler);

    /** Binds a UDP socket on this loop. */
    UdpSocket bindUdp(InetSocketAddress address, DatagramHandler handler);

    /** Connections open on this loop now; readable from any thread. */
    int connectionCount();

    /** This loop's connection and byte counters; any thread. */
    NetStats stats();

    /** The loop this transport serves. */
    Loop loop();

    /**
     * Takes each accepted socket: adopts it here or hands it to another loop, and returns true; or
     * returns false to refuse it (the listener closes it and counts the refusal).
     */
    @FunctionalInterface
    interface Acceptor {
        boolean accept(AcceptedSocket socket);
    }
}
