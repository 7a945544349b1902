package io.shardline.perf;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.Version;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.PlatformDependent;
import io.shardline.core.LoopStats;
import io.shardline.net.ConnectionHandler;
import io.shardline.net.EchoHandler;
import io.shardline.net.Net;
import io.shardline.net.ServerOptions;
import io.shardline.net.TcpServer;
import io.shardline.net.Transport;
import io.shardline.shard.ShardRuntime;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The echo servers of the {@code echo} suite: Shardline on each of its transports and Netty on each
 * of its native transports (epoll, io_uring), each on {@code threads} server threads and each
 * written the way its own examples write it: Shardline's {@link ConnectionHandler} writes what arrives
 * and pauses reading while the connection is unwritable (the runtime's own {@link EchoHandler});
 * Netty's handler writes in {@code channelRead}, flushes in {@code channelReadComplete} and turns
 * auto-read off while the channel is unwritable (as Netty's own echo example does). Both keep their
 * default write watermarks (32 KiB low, 64 KiB high) and set TCP_NODELAY on accepted connections.
 *
 * <p>Started and closed from one thread (the suite's main thread); the servers run on their own threads.
 */
final class EchoServers {
    private EchoServers() {
    }

    /** Netty's native transports. */
    enum NettyTransport {
        EPOLL("epoll", "netty-epoll-"),
        IO_URING("io_uring", "netty-uring-");

        final String label;
        final String threadPrefix;

        NettyTransport(String label, String threadPrefix) {
            this.label = label;
            this.threadPrefix = threadPrefix;
        }

        /** Null where Netty can use this transport here, else why not. */
        String unavailability() {
            Throwable cause = switch (this) {
                case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
                case IO_URING -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
            };
            return cause == null ? null : String.valueOf(cause);
        }

        IoHandlerFactory ioHandlerFactory() {
            return this == EPOLL ? EpollIoHandler.newFactory() : IoUringIoHandler.newFactory();
        }

        Class<? extends ServerChannel> serverChannel() {
            return this == EPOLL ? EpollServerSocketChannel.class : IoUringServerSocketChannel.class;
        }
    }

    /** A running echo server on 127.0.0.1. */
    interface Server extends AutoCloseable {
        /** What runs its sockets, as it says itself: Shardline's transport class, or Netty's transport. */
        String transport();

        int port();

        /** The name of server thread {@code i}, 0 <= i < the thread count. */
        String threadName(int i);

        /** Starts counting what {@link #stats(long)} reports. */
        default void mark() {
        }

        /**
         * What the server's threads did since {@link #mark()} while serving {@code requests} requests,
         * for the log; empty if there is nothing to say.
         */
        default String stats(long requests) {
            return "";
        }

        /** Stops listening, closes every connection and stops the server's threads. */
        @Override
        void close();
    }

    /** The first {@code threads} CPUs, or null (run unpinned) if the machine does not have that many to spare. */
    static int[] cpus(int threads, boolean pin) {
        if (!pin) {
            return null;
        }
        int[] cpus = new int[threads];
        for (int i = 0; i < threads; i++) {
            cpus[i] = i;
        }
        return cpus;
    }

    // ---------------------------------------------------------------- Shardline

    /**
     * Shardline: {@code threads} shards, each listening with SO_REUSEPORT, on the transport
     * {@code transport} names ({@code nio}, {@code io_uring}). The transport is chosen by the system
     * property {@value Net#TRANSPORT_PROPERTY}, so it is set for the time the runtime is built and put
     * back after; the suite builds its servers one at a time from its one thread. A transport the
     * runtime does not have, or cannot set up here, gives the runtime's fallback, which
     * {@link Server#transport()} then names.
     */
    static Server shardline(int threads, int[] cpus, String transport) {
        ShardRuntime rt;
        String before = System.getProperty(Net.TRANSPORT_PROPERTY);
        System.setProperty(Net.TRANSPORT_PROPERTY, transport);
        try {
            ShardRuntime.Builder b = Net.install(ShardRuntime.builder().shards(threads));
            rt = (cpus != null ? b.cpus(cpus) : b.pin(false)).start();
        } finally {
            if (before == null) {
                System.clearProperty(Net.TRANSPORT_PROPERTY);
            } else {
                System.setProperty(Net.TRANSPORT_PROPERTY, before);
            }
        }
        TcpServer server;
        try {
            server = TcpServer.start(rt, new InetSocketAddress("127.0.0.1", 0), ServerOptions.DEFAULT,
                    EchoHandler::new);
        } catch (RuntimeException e) {
            rt.close();
            throw e;
        }
        if (cpus != null) {
            for (int i = 0; i < threads; i++) {
                if (rt.shard(i).cpu() != cpus[i]) {
                    server.close();
                    rt.close();
                    throw new IllegalStateException("shard " + i + " is not pinned to CPU " + cpus[i]
                            + " (cpu " + rt.shard(i).cpu() + ")");
                }
            }
        }
        String runs = Transport.of(rt.shard(0).loop()).getClass().getSimpleName();
        return new Server() {
            private LoopStats[] start = loopStats(rt);

            @Override
            public String transport() {
                return runs;
            }

            @Override
            public int port() {
                return server.port();
            }

            @Override
            public String threadName(int i) {
                return rt.shard(i).loop().thread().getName();
            }

            @Override
            public void mark() {
                start = loopStats(rt);
            }

            @Override
            public String stats(long requests) {
                LoopStats[] now = loopStats(rt);
                long iterations = 0;
                long parks = 0;
                for (int i = 0; i < now.length; i++) {
                    iterations += now[i].iterations() - start[i].iterations();
                    parks += now[i].parks() - start[i].parks();
                }
                return String.format(Locale.ROOT, "shard loop: %,d iterations (%.1f requests each), %,d parks",
                        iterations, iterations > 0 ? (double) requests / iterations : 0.0, parks);
            }

            @Override
            public void close() {
                try {
                    server.close();
                } finally {
                    rt.close();
                }
            }
        };
    }

    private static LoopStats[] loopStats(ShardRuntime rt) {
        LoopStats[] stats = new LoopStats[rt.shards()];
        for (int i = 0; i < stats.length; i++) {
            stats[i] = rt.stats().get(i).loop();
        }
        return stats;
    }

    // ---------------------------------------------------------------- Netty

    /**
     * Netty 4.2 on its native {@code transport} (epoll, or io_uring through {@link IoUringIoHandler}):
     * one {@link MultiThreadIoEventLoopGroup} of {@code threads} event loops that both accepts and
     * serves (the same threads-do-everything shape as the shards). Event-loop threads are
     * {@link FastThreadLocalThread}s, as Netty's default factory makes them (its buffer caches are
     * faster on them), pinned like the shards.
     */
    static Server netty(int threads, int[] cpus, NettyTransport transport) throws InterruptedException {
        String unavailable = transport.unavailability();
        if (unavailable != null) {
            throw new IllegalStateException("Netty's native " + transport.label + " transport is not available: "
                    + unavailable);
        }
        AtomicReference<String> pinFailure = new AtomicReference<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
                nettyThreads(transport.threadPrefix, cpus, pinFailure), transport.ioHandlerFactory());
        Channel listener;
        try {
            listener = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new NettyEcho())
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            // Every event loop has started (and pinned itself) once it has run a task.
            for (var loop : group) {
                loop.submit(() -> { }).sync();
            }
        } catch (Exception e) { // sync() rethrows a failed bind's IOException unchecked
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        if (pinFailure.get() != null) {
            listener.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            throw new IllegalStateException(pinFailure.get());
        }
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        return new Server() {
            @Override
            public String transport() {
                return transport.label;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String threadName(int i) {
                return transport.threadPrefix + i;
            }

            @Override
            public void close() {
                try {
                    listener.close().syncUninterruptibly();
                } finally {
                    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
                }
            }
        };
    }

    private static ThreadFactory nettyThreads(String prefix, int[] cpus, AtomicReference<String> pinFailure) {
        AtomicInteger next = new AtomicInteger();
        return body -> {
            int i = next.getAndIncrement();
            String name = prefix + i;
            Runnable run = body;
            if (cpus != null) {
                int cpu = cpus[i % cpus.length];
                run = () -> {
                    String why = BenchSupport.pin(cpu);
                    if (why != null) {
                        pinFailure.compareAndSet(null, name + " not pinned to CPU " + cpu + ": " + why);
                    }
                    body.run();
                };
            }
            FastThreadLocalThread t = new FastThreadLocalThread(run, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** A line about the Netty build and the features it found at run time. */
    static String nettyDescription() {
        Version v = Version.identify().get("netty-transport");
        return "netty " + (v != null ? v.artifactVersion() : "?") + ", native epoll " + Epoll.isAvailable()
                + ", native io_uring " + IoUring.isAvailable() + ", Unsafe " + PlatformDependent.hasUnsafe()
                + ", direct buffers without cleaner " + PlatformDependent.useDirectBufferNoCleaner();
    }

    /** Netty's echo: write on read, flush once per read batch, stop reading while unwritable. */
    @ChannelHandler.Sharable
    static final class NettyEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
