package io.shardline.net;

import io.shardline.core.Promise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * How every transport opens its listening, connecting and UDP channels and cleans up when that fails;
 * static, called on the transport's loop. What the transport then does with the channel (register
 * it, arm a ring operation) is its own {@link Setup}. Only on open, never per read or write.
 */
final class ChannelSetup {
    /** The transport's part, given the open channel; anything it throws closes the channel. */
    @FunctionalInterface
    interface Setup<C, R> {
        R use(C channel) throws IOException;
    }

    private ChannelSetup() {
    }

    /** A non-blocking listening channel bound to {@code address} as {@code options} say, handed to {@code setup}. */
    static <R> R listen(InetSocketAddress address, ServerOptions options, Setup<ServerSocketChannel, R> setup) {
        try {
            ServerSocketChannel ch = ServerSocketChannel.open();
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (options.placement() == ServerOptions.Placement.REUSE_PORT) {
                    ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                ch.bind(address, options.backlog());
                return setup.use(ch);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    /** A non-blocking UDP channel bound to {@code address}, handed to {@code setup}. */
    static <R> R bindUdp(InetSocketAddress address, Setup<DatagramChannel, R> setup) {
        try {
            DatagramChannel ch = DatagramChannel.open();
            try {
                ch.configureBlocking(false);
                ch.bind(address);
                return setup.use(ch);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind UDP on " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts a non-blocking connect to {@code address}: the channel, still connecting, for the transport
     * to wait on; or null once {@code p} is settled, by a connect that completed at once (its channel then
     * given to {@code adopt}) or by a failure (the channel closed; an unresolved address throws unchecked).
     */
    static SocketChannel connect(InetSocketAddress address, Promise<Connection> p, Setup<SocketChannel, Connection> adopt) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            if (ch.connect(address)) {
                p.succeed(adopt.use(ch));
                return null;
            }
            return ch;
        } catch (IOException | RuntimeException e) {
            // Anything connect throws must not leak the socket.
            if (ch != null) {
                NioTransport.closeQuietly(ch);
            }
            p.fail(e instanceof UncheckedIOException u ? u.getCause() : e);
            return null;
        }
    }
}
