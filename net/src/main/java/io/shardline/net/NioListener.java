package io.shardline.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A listening socket on the NIO backend. Owned by its loop.
 *
 * <p>Accepts at most 64 connections per ready event so an accept storm cannot starve the loop's
 * established connections; the rest wait in the backlog for the next pass.
 */
final class NioListener implements Listener, IoReady {
    private static final System.Logger LOG = System.getLogger("io.shardline.net");
    private static final int ACCEPTS_PER_PASS = 64;

    private final NioTransport transport;
    private final ServerSocketChannel channel;
    private final InetSocketAddress address;
    private final AcceptGate gate;
    SelectionKey key;
    private boolean closed;

    NioListener(NioTransport transport, ServerSocketChannel channel, ServerOptions options,
                Transport.Acceptor acceptor) throws IOException {
        this.transport = transport;
        this.channel = channel;
        this.address = (InetSocketAddress) channel.getLocalAddress();
        this.gate = new AcceptGate(transport, transport.counters(), options, acceptor, address);
    }

    @Override
    public void ready(int readyOps) {
        for (int i = 0; i < ACCEPTS_PER_PASS && !closed; i++) {
            SocketChannel c;
            try {
                c = channel.accept();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "accept on " + address + " failed: " + e);
                return;
            }
            if (c == null) {
                return;
            }
            gate.offer(AcceptedSocket.of(c));
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return address;
    }

    @Override
    public long refused() {
        return gate.refused();
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
        transport.flushCancelledKeys();
    }

    @Override
    public void closeForShutdown() {
        close();
    }
}
