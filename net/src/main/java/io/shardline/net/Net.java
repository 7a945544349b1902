package io.shardline.net;

import io.shardline.core.Loop;
import io.shardline.shard.ShardRuntime;

/**
 * Entry points for networking on shards; stateless, any thread.
 *
 * <pre>{@code
 * try (ShardRuntime rt = Net.install(ShardRuntime.builder().shards(4)).start();
 *      TcpServer echo = TcpServer.start(rt, new InetSocketAddress("127.0.0.1", 7000),
 *                                       ServerOptions.DEFAULT, EchoHandler::new)) { ... }
 * }</pre>
 */
public final class Net {
    private Net() {
    }

    /** Gives every shard of the runtime being built an NIO transport (its parker and poll source). */
    public static ShardRuntime.Builder install(ShardRuntime.Builder builder) {
        return builder.loop(b -> b.parker(NioTransport::new));
    }

    /** The transport of the loop the caller runs on. */
    public static Transport transport() {
        Loop loop = Loop.current();
        if (loop == null) {
            throw new IllegalStateException("not on a loop: thread " + Thread.currentThread().getName());
        }
        return Transport.of(loop);
    }
}
