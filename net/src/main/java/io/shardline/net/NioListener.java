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
    private static final long REFUSAL_LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final NioTransport transport;
    private final ServerSocketChannel channel;
    private final ServerOptions options;
    private final Transport.Acceptor acceptor;
    private final InetSocketAddress address;
    SelectionKey key;
    private long refused;
    private long lastRefusalLog;
    private boolean closed;

    NioListener(NioTransport transport, ServerSocketChannel channel, ServerOptions options,
                Transport.Acceptor acceptor) throws IOException {
        this.transport = transport;
        this.channel = channel;
        this.options = options;
        this.acceptor = acceptor;
        this.address = (InetSocketAddress) channel.getLocalAddress();
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
            try {
                if (!acceptor.accept(AcceptedSocket.of(c))) {
                    NioTransport.closeQuietly(c);
                    refuse();
                }
            } catch (RuntimeException e) {
                // Not a refusal at the limit: the handler factory or the hand-off failed for this one.
                NioTransport.closeQuietly(c);
                LOG.log(System.Logger.Level.DEBUG, () -> "accepting a connection on " + address + " failed: " + e);
            }
        }
    }

    private void refuse() {
        refused++;
        long now = System.nanoTime();
        if (lastRefusalLog == 0 || now - lastRefusalLog >= REFUSAL_LOG_INTERVAL_NANOS) {
            lastRefusalLog = now;
            LOG.log(System.Logger.Level.WARNING, transport.loop() + " refused connections on " + address
                    + ": at its limit of " + options.maxConnectionsPerShard() + " (" + refused + " refused so far)");
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return address;
    }

    @Override
    public long refused() {
        return refused;
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
