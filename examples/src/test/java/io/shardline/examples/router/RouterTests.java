package io.shardline.examples.router;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;

/** Starts routers from command-line flags, as {@code ./shardline router} does, for the tests. Stateless; any thread. */
final class RouterTests {
    private RouterTests() {
    }

    /** A router on an ephemeral loopback port with {@code args} (default 2 shards). */
    static RouterServer router(String... args) {
        return RouterServer.start(config(args));
    }

    /** The config {@code args} give, listening on an ephemeral port, with 2 shards unless they say. */
    static RouterConfig config(String... args) {
        List<String> all = new ArrayList<>(List.of("--listen", "127.0.0.1:0"));
        if (!List.of(args).contains("--shards")) {
            all.addAll(List.of("--shards", "2"));
        }
        all.addAll(List.of(args));
        RouterMain m = new RouterMain();
        new CommandLine(m).parseArgs(all.toArray(new String[0]));
        return m.config();
    }

    /** {@code 127.0.0.1:port} of a port nothing listens on (bound, then closed). */
    static String deadAddress() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    /** Polls {@code done} until it holds or 30 s pass (for state that changes on its own clock: health). */
    static void eventually(String what, BooleanSupplier done) throws InterruptedException {
        io.shardline.examples.Polling.await(what, java.time.Duration.ofSeconds(30), done::getAsBoolean);
    }

    static <T> T unchecked(Callable<T> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
