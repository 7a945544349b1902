package io.shardline.net;

import io.shardline.core.ring.Ring;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A listening socket on the io_uring backend. Owned by its loop.
 *
 * <p>A multishot poll on the ring says when connections wait; they are accepted as NIO channels, so
 * an {@link Transport.Acceptor} may hand them to another loop as on NIO. At most 64 are accepted per
 * pass so an accept storm cannot starve the loop's established connections; a backlog left over is
 * taken up in the next pass (a poll reports only new arrivals).
 */
final class IoUringListener implements Listener, IoUringTransport.Member {
    private static final System.Logger LOG = System.getLogger("io.shardline.net");
    private static final int ACCEPTS_PER_PASS = 64;
    private static final long REFUSAL_LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final IoUringTransport transport;
    private final Ring ring;
    private final ServerSocketChannel channel;
    private final int fd;
    private final ServerOptions options;
    private final Transport.Acceptor acceptor;
    private final InetSocketAddress address;
    private long pollToken;
    private boolean polling;
    private long refused;
    private long lastRefusalLog;
    private boolean closed;

    IoUringListener(IoUringTransport transport, ServerSocketChannel channel, ServerOptions options,
                    Transport.Acceptor acceptor) throws IOException {
        this.transport = transport;
        this.ring = transport.ring();
        this.channel = channel;
        this.fd = NioInternals.fd(channel);
        this.options = options;
        this.acceptor = acceptor;
        this.address = (InetSocketAddress) channel.getLocalAddress();
    }

    void start() {
        pollToken = ring.pollAdd(fd, Ring.POLLIN, true, this::ready);
        polling = true;
    }

    private void ready(int result, int flags) {
        if ((flags & Ring.F_MORE) == 0) {
            polling = false;
        }
        if (closed) {
            return;
        }
        if (acceptSome() == ACCEPTS_PER_PASS) {
            ring.nop((r, f) -> continueAccepting()); // more may wait: come back next pass
        }
        if (!polling) {
            start(); // a multishot poll the kernel ended (an error, a cancel we did not ask for)
        }
    }

    private void continueAccepting() {
        if (!closed && acceptSome() == ACCEPTS_PER_PASS) {
            ring.nop((r, f) -> continueAccepting());
        }
    }

    /** Accepts what waits, up to the per-pass bound; returns how many. */
    private int acceptSome() {
        int i = 0;
        for (; i < ACCEPTS_PER_PASS && !closed; i++) {
            SocketChannel c;
            try {
                c = channel.accept();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "accept on " + address + " failed: " + e);
                return i;
            }
            if (c == null) {
                return i;
            }
            try {
                if (!acceptor.accept(c)) {
                    NioTransport.closeQuietly(c);
                    refuse();
                }
            } catch (RuntimeException e) {
                // Not a refusal at the limit: the handler factory or the hand-off failed for this one.
                NioTransport.closeQuietly(c);
                LOG.log(System.Logger.Level.DEBUG, () -> "accepting a connection on " + address + " failed: " + e);
            }
        }
        return i;
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
        if (polling) {
            // The poll holds the socket open: the cancel, submitted now, lets go of it before the
            // close below, so new connections are refused as this returns.
            ring.cancel(pollToken);
            ring.submit();
        }
        NioTransport.closeQuietly(channel);
        transport.closed(this, false);
    }

    @Override
    public void closeForShutdown() {
        close();
    }
}
