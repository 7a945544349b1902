package io.shardline.net;

import io.shardline.core.Loop;
import io.shardline.core.Promise;
import java.net.SocketAddress;

/**
 * The handler-facing end of a connection's close and of its writability changes, the same on every
 * transport once the transport has released its own resources; static, called by the connection's loop.
 * None of these runs on a per-read or per-write path.
 */
final class ConnectionEnds {
    private static final System.Logger LOG = System.getLogger("io.shardline.net");

    private ConnectionEnds() {
    }

    /** Logs why {@code remote}'s connection on {@code loop} is failing, before it closes. */
    static void logFailure(SocketAddress remote, Loop loop, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, () -> "connection " + remote + " on " + loop + " closed: " + cause);
    }

    /**
     * Tells the handler {@code c} closed (a throwing handler is logged, nothing more: the connection is
     * gone) and completes its close future: succeeded for a close or an abort, failed with {@code cause}.
     */
    static void closed(Connection c, ConnectionHandler handler, Throwable cause, Promise<Void> closeFuture,
                       SocketAddress remote) {
        try {
            handler.onClosed(c, cause);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.DEBUG, () -> "onClosed of " + remote + " threw " + t);
        }
        if (cause == null) {
            closeFuture.trySucceed(null);
        } else {
            closeFuture.tryFail(cause);
        }
    }

    /**
     * Tells the handler {@code c}'s writability changed, unless it is closing (nothing more may be
     * written, so writability no longer matters); returns what the handler threw, for the connection
     * to fail with, or null.
     */
    static Throwable writabilityChanged(Connection c, ConnectionHandler handler, ConnectionState state,
                                        boolean writable) {
        if (state.closesWhenDrained()) {
            return null;
        }
        try {
            handler.onWritabilityChanged(c, writable);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
