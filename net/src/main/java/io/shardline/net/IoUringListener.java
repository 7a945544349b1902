package io.shardline.net;

import io.shardline.core.ring.Ring;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * A listening socket on the io_uring backend. Owned by its loop.
 *
 * <p>One multishot accept on the ring takes every connection as it arrives, a completion each with
 * the new descriptor (non-blocking, close-on-exec) and no accept call of ours; each goes to the
 * {@link Transport.Acceptor} as an {@link AcceptedSocket}, which may hand it to another loop.
 */
final class IoUringListener implements Listener, OpenMembers.Member {
    private static final System.Logger LOG = System.getLogger("io.shardline.net");
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;

    private final IoUringTransport transport;
    private final Ring ring;
    private final ServerSocketChannel channel;
    private final int fd;
    private final InetSocketAddress address;
    private final AcceptGate gate;
    private long acceptToken;
    private boolean accepting;
    private boolean closed;

    IoUringListener(IoUringTransport transport, ServerSocketChannel channel, ServerOptions options,
                    Transport.Acceptor acceptor) throws IOException {
        this.transport = transport;
        this.ring = transport.ring();
        this.channel = channel;
        this.fd = NioInternals.fd(channel);
        this.address = (InetSocketAddress) channel.getLocalAddress();
        this.gate = new AcceptGate(transport, transport.counters(), options, acceptor, address);
    }

    void start() {
        acceptToken = ring.acceptMultishot(fd, SOCK_NONBLOCK | SOCK_CLOEXEC, this::accepted);
        accepting = true;
    }

    private void accepted(int result, int flags) {
        if ((flags & Ring.F_MORE) == 0) {
            accepting = false;
        }
        if (result >= 0) {
            AcceptedSocket s = AcceptedSocket.ofDescriptor(result);
            if (closed) {
                s.close(); // accepted just before the cancel
                return;
            }
            gate.offer(s);
        } else if (result != -Ring.ECANCELED) {
            LOG.log(System.Logger.Level.DEBUG, () -> "accept on " + address + " failed: " + Ring.describe(-result));
        }
        if (!accepting && !closed) {
            start(); // the kernel ended the multishot accept (an error such as too many open files)
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
        if (accepting) {
            // The accept holds the socket open: the cancel, submitted now, lets go of it before the
            // close below, so new connections are refused as this returns.
            ring.cancel(acceptToken);
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
