package io.shardline.net;

import java.net.InetSocketAddress;

/**
 * What a listener does with each socket it accepted, the same on every transport: offer it to the
 * {@link Transport.Acceptor}, close it if refused or if the hand-off failed, and count refusals, logged
 * at most once a second. Owned by the listener's loop; not thread-safe.
 */
final class AcceptGate {
    private static final System.Logger LOG = System.getLogger("io.shardline.net");
    private static final long REFUSAL_LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final Transport transport;
    private final NetCounters counters;
    private final ServerOptions options;
    private final Transport.Acceptor acceptor;
    private final InetSocketAddress address;
    private long refused;
    private long lastRefusalLog;

    AcceptGate(Transport transport, NetCounters counters, ServerOptions options, Transport.Acceptor acceptor,
               InetSocketAddress address) {
        this.transport = transport;
        this.counters = counters;
        this.options = options;
        this.acceptor = acceptor;
        this.address = address;
    }

    /** Offers {@code socket} to the acceptor; a refused one is closed and counted, a failed one closed. */
    void offer(AcceptedSocket socket) {
        counters.accepted();
        try {
            if (!acceptor.accept(socket)) {
                socket.close();
                refuse();
            }
        } catch (RuntimeException e) {
            // Not a refusal at the limit: the handler factory or the hand-off failed for this one.
            socket.close();
            LOG.log(System.Logger.Level.DEBUG, () -> "accepting a connection on " + address + " failed: " + e);
        }
    }

    private void refuse() {
        refused++;
        counters.refused();
        long now = System.nanoTime();
        if (lastRefusalLog == 0 || now - lastRefusalLog >= REFUSAL_LOG_INTERVAL_NANOS) {
            lastRefusalLog = now;
            LOG.log(System.Logger.Level.WARNING, transport.loop() + " refused connections on " + address
                    + ": at its limit of " + options.maxConnectionsPerShard() + " (" + refused + " refused so far)");
        }
    }

    long refused() {
        return refused;
    }
}
