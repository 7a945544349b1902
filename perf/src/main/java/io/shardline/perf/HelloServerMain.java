package io.shardline.perf;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A forked JVM's main for the {@code http} suite: {@code HelloServerMain <shardline|netty|vertx> <threads>}
 * starts that {@link HelloServer} on an ephemeral port of 127.0.0.1, prints
 * {@value #READY_PREFIX}{@code <port> <description>} and serves until its standard input ends (the
 * suite closes it, or the suite died), then closes the server and exits. Runs on the main thread.
 */
final class HelloServerMain {
    static final String READY_PREFIX = "listening ";

    private HelloServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: HelloServerMain <shardline|netty|vertx> <threads>");
            System.exit(2);
        }
        HelloServer.Kind kind = HelloServer.Kind.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        try (HelloServer server = kind.start(new InetSocketAddress("127.0.0.1", 0), threads)) {
            System.out.println(READY_PREFIX + server.port() + " " + server.description());
            System.out.flush();
            drain();
        }
        System.exit(0); // a library's non-daemon thread must not keep the fork alive
    }

    private static void drain() throws IOException {
        byte[] skip = new byte[256];
        while (System.in.read(skip) >= 0) {
            // nothing is sent; the read ends when the parent closes the pipe or exits
        }
    }
}
