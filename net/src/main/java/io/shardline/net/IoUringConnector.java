package io.shardline.net;

import io.shardline.core.Promise;
import io.shardline.core.Timer;
import io.shardline.core.ring.Ring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * A pending client connect on the io_uring backend: NIO's non-blocking connect, then a one-shot poll
 * of the ring for writability ends it, or the loop's timer does with a timeout. Owned by its loop.
 */
final class IoUringConnector implements OpenMembers.Member {
    private final IoUringTransport transport;
    private final Ring ring;
    private final SocketChannel channel;
    private final InetSocketAddress address;
    private final ConnectionOptions options;
    private final ConnectionHandler handler;
    private final Promise<Connection> promise;
    private Timer timer;
    private long pollToken;
    private boolean done;

    IoUringConnector(IoUringTransport transport, SocketChannel channel, InetSocketAddress address,
                     ConnectionOptions options, ConnectionHandler handler, Promise<Connection> promise) {
        this.transport = transport;
        this.ring = transport.ring();
        this.channel = channel;
        this.address = address;
        this.options = options;
        this.handler = handler;
        this.promise = promise;
    }

    void start(Duration timeout) {
        pollToken = ring.pollAdd(NioInternals.fd(channel), Ring.POLLOUT, false, (res, flags) -> ready(res));
        timer = transport.loop().schedule(timeout, () -> fail(new SocketTimeoutException(
                "connect to " + address + " timed out after " + timeout)));
        promise.onCancel(() -> fail(new CancellationException("connect cancelled")));
    }

    private void ready(int result) {
        if (done) {
            return; // failed already (timeout, cancel, shutdown): the cancelled poll ends here
        }
        try {
            if (result < 0) {
                throw new IOException("connect to " + address + " failed: poll " + result);
            }
            if (!channel.finishConnect()) {
                pollToken = ring.pollAdd(NioInternals.fd(channel), Ring.POLLOUT, false, (r, f) -> ready(r));
                return;
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
            return;
        }
        finish();
        try {
            promise.trySucceed(transport.adopt(channel, options, handler));
        } catch (RuntimeException e) {
            promise.tryFail(e instanceof UncheckedIOException u ? u.getCause() : e);
        }
    }

    void fail(Throwable cause) {
        if (done) {
            return;
        }
        finish();
        ring.cancel(pollToken);
        ring.submit(); // the poll lets go of the socket before the close below
        NioTransport.closeQuietly(channel);
        promise.tryFail(cause);
    }

    private void finish() {
        done = true;
        transport.closed(this, false);
        if (timer != null) {
            timer.cancel();
        }
    }

    @Override
    public void closeForShutdown() {
        fail(new IOException("transport closed while connecting to " + address));
    }
}
