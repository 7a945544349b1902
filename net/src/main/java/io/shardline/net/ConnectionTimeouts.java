package io.shardline.net;

import io.shardline.core.Loop;
import io.shardline.core.Timer;
import java.util.function.Consumer;

/**
 * A connection's idle timeout and read timeout on one timer of its loop; owned by that loop, not
 * thread-safe.
 *
 * <p>Transport-neutral: the connection reports its reads ({@link #read()}) and its writes
 * ({@link #wrote()}), and this fires the timeout callback once with a {@link ConnectionTimeoutException}
 * when the read timeout passes with no bytes read, or the idle timeout with neither. Reporting costs a
 * clock read and no timer work: the one timer is re-armed when it fires, for whichever deadline is then
 * next, as activity only ever moves the deadlines later. With neither timeout set, reports cost nothing.
 */
final class ConnectionTimeouts {
    private final Loop loop;
    private final ConnectionOptions options;
    private final Object peer;
    private final Consumer<ConnectionTimeoutException> onTimeout;
    private final long readNanos;
    private final long idleNanos;
    private Timer timer;
    private long lastReadNanos;
    private long lastActivityNanos;

    /**
     * Timeouts of {@code options} for a connection to {@code peer} (named in the exception), which
     * {@code onTimeout} closes. Nothing runs until {@link #start()}.
     */
    ConnectionTimeouts(Loop loop, ConnectionOptions options, Object peer, Consumer<ConnectionTimeoutException> onTimeout) {
        this.loop = loop;
        this.options = options;
        this.peer = peer;
        this.onTimeout = onTimeout;
        this.readNanos = options.readTimeout().toNanos();
        this.idleNanos = options.idleTimeout().toNanos();
    }

    /** Whether any timeout is set. */
    boolean enabled() {
        return readNanos > 0 || idleNanos > 0;
    }

    /** The connection is open: both timeouts count from now. */
    void start() {
        if (!enabled()) {
            return;
        }
        lastReadNanos = lastActivityNanos = loop.clock().nanoTime();
        timer = loop.timer(this::check);
        timer.scheduleNanos(shortest(), 0);
    }

    /** Bytes arrived: input and activity. */
    void read() {
        if (timer != null) {
            lastReadNanos = lastActivityNanos = loop.clock().nanoTime();
        }
    }

    /** Bytes were written or taken by the socket: activity, not input. */
    void wrote() {
        if (timer != null) {
            lastActivityNanos = loop.clock().nanoTime();
        }
    }

    /** The connection closed: no timeout fires after this. */
    void stop() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void check() {
        if (timer == null) {
            return;
        }
        long now = loop.clock().nanoTime();
        if (readNanos > 0 && now - lastReadNanos >= readNanos) {
            expire(new ConnectionTimeoutException("no data from " + peer + " for " + options.readTimeout()));
            return;
        }
        if (idleNanos > 0 && now - lastActivityNanos >= idleNanos) {
            expire(new ConnectionTimeoutException("connection to " + peer + " idle for " + options.idleTimeout()));
            return;
        }
        long next = Long.MAX_VALUE;
        if (readNanos > 0) {
            next = Math.min(next, lastReadNanos + readNanos - now);
        }
        if (idleNanos > 0) {
            next = Math.min(next, lastActivityNanos + idleNanos - now);
        }
        timer.scheduleNanos(Math.max(next, 1), 0);
    }

    private void expire(ConnectionTimeoutException cause) {
        stop(); // fires once, even if the callback leaves the connection open
        onTimeout.accept(cause);
    }

    private long shortest() {
        if (readNanos == 0) {
            return idleNanos;
        }
        return idleNanos == 0 ? readNanos : Math.min(readNanos, idleNanos);
    }
}
