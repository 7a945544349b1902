package io.shardline.perf;

import java.net.InetSocketAddress;

/**
 * One of the {@code http} suite's servers, answering {@link Hello}'s two tests on {@code threads}
 * event loops (shards), listening on {@code address}. Started and closed by one thread; it serves on
 * its own threads.
 */
interface HelloServer extends AutoCloseable {
    /** The contenders, by the name {@link HelloServerMain} takes. */
    enum Kind {
        SHARDLINE("shardline"),
        NETTY("netty"),
        VERTX("vertx");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        static Kind of(String label) {
            for (Kind k : values()) {
                if (k.label.equals(label)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no server '" + label + "'; servers: shardline, netty, vertx");
        }

        HelloServer start(InetSocketAddress address, int threads) throws Exception {
            return switch (this) {
                case SHARDLINE -> ShardlineHello.start(address, threads);
                case NETTY -> NettyHello.start(address, threads);
                case VERTX -> VertxHello.start(address, threads);
            };
        }
    }

    /** The port it listens on. */
    int port();

    /** What it runs on, for the report: "Shardline 2 shards, io_uring". */
    String description();

    /** Stops it and waits until it has stopped. */
    @Override
    void close();
}
