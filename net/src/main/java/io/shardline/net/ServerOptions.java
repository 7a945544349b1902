package io.shardline.net;

import java.util.Objects;

/**
 * How a TCP server listens and places connections; immutable.
 *
 * @param placement               {@link Placement#REUSE_PORT} (default) or {@link Placement#HAND_OFF}
 * @param maxConnectionsPerShard  beyond this a shard accepts and closes new connections (logged once a second)
 * @param backlog                 the listen backlog
 * @param connection              options for each accepted connection
 */
public record ServerOptions(Placement placement, int maxConnectionsPerShard, int backlog,
                            ConnectionOptions connection) {

    /** Where accepted connections live. */
    public enum Placement {
        /**
         * Every shard binds the port with SO_REUSEPORT and the kernel spreads connections; no
         * cross-shard traffic on accept. The default.
         */
        REUSE_PORT,
        /** Shard 0 accepts and hands each connection to the shard with the fewest connections. */
        HAND_OFF
    }

    public static final ServerOptions DEFAULT =
            new ServerOptions(Placement.REUSE_PORT, 100_000, 1024, ConnectionOptions.DEFAULT);

    public ServerOptions {
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(connection, "connection options");
        if (maxConnectionsPerShard < 1) {
            throw new IllegalArgumentException("maxConnectionsPerShard must be at least 1, was " + maxConnectionsPerShard);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, was " + backlog);
        }
    }

    public ServerOptions withPlacement(Placement p) {
        return new ServerOptions(p, maxConnectionsPerShard, backlog, connection);
    }

    public ServerOptions withMaxConnectionsPerShard(int max) {
        return new ServerOptions(placement, max, backlog, connection);
    }

    public ServerOptions withConnection(ConnectionOptions options) {
        return new ServerOptions(placement, maxConnectionsPerShard, backlog, options);
    }
}
