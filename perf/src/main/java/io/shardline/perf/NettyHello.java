package io.shardline.perf;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.Version;
import java.net.InetSocketAddress;
import java.util.Date;
import java.util.concurrent.TimeUnit;

/**
 * The {@code http} suite's Netty 4.2 server, written as Netty's TechEmpower entry writes it: the native
 * epoll transport, one event loop per thread (the same group accepts and serves), the pooled
 * allocator, {@link HttpServerCodec}, a handler that writes each response in {@code channelRead} and
 * flushes once per read batch in {@code channelReadComplete} (so pipelined responses leave in one
 * write), header names and values as {@link AsciiString} constants, the plaintext body one shared
 * buffer, and the Date value made once a second by a task on the group. Started and closed by one
 * thread; the handler is stateless and shared by every channel.
 */
final class NettyHello implements HelloServer {
    private static final AsciiString SERVER = AsciiString.cached("Netty");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached(Hello.TEXT_PLAIN);
    private static final AsciiString APPLICATION_JSON = AsciiString.cached(Hello.APPLICATION_JSON);
    private static final AsciiString PLAINTEXT_LENGTH = AsciiString.cached(Integer.toString(Hello.PLAINTEXT_BYTES.length));
    private static final ByteBuf PLAINTEXT = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(Hello.PLAINTEXT_BYTES.length).writeBytes(Hello.PLAINTEXT_BYTES)).asReadOnly();

    /** The constants set here are valid: no check per request (as Netty's TechEmpower entry). */
    private static final HttpHeadersFactory UNVALIDATED = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private final EventLoopGroup group;
    private final Channel channel;
    private final int threads;

    private NettyHello(EventLoopGroup group, Channel channel, int threads) {
        this.group = group;
        this.channel = channel;
        this.threads = threads;
    }

    static NettyHello start(InetSocketAddress address, int threads) throws InterruptedException {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's native epoll transport is unavailable: " + Epoll.unavailabilityCause());
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
        try {
            Handler handler = new Handler();
            // Written by the group's one scheduled task, read by every loop: a volatile field carries it.
            group.scheduleAtFixedRate(handler::updateDate, 0, 1, TimeUnit.SECONDS);
            Channel ch = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 8192)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192), handler);
                        }
                    })
                    .bind(address).sync().channel();
            return new NettyHello(group, ch, threads);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    @Override
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public String description() {
        Version v = Version.identify().get("netty-transport");
        return "Netty " + (v != null ? v.artifactVersion() : "?") + ", " + threads
                + " event loop" + (threads == 1 ? "" : "s") + ", epoll";
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Answers each request; shared by every channel, so it holds only the Date value. */
    @ChannelHandler.Sharable
    private static final class Handler extends SimpleChannelInboundHandler<Object> {
        private volatile AsciiString date;

        Handler() {
            super(false);
            updateDate();
        }

        void updateDate() {
            date = new AsciiString(DateFormatter.format(new Date()));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest req) {
                    if (HttpUtil.isKeepAlive(req)) {
                        ctx.write(respond(ctx, req));
                    } else {
                        FullHttpResponse r = respond(ctx, req);
                        r.headers().set(HttpHeaderNames.CONNECTION, "close");
                        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg); // the codec's contents: requests carry none here
            }
        }

        private FullHttpResponse respond(ChannelHandlerContext ctx, HttpRequest req) {
            String uri = req.uri();
            FullHttpResponse r;
            if (req.method() == HttpMethod.GET && uri.equals(Hello.PLAINTEXT_PATH)) {
                r = response(PLAINTEXT.duplicate(), TEXT_PLAIN, PLAINTEXT_LENGTH);
            } else if (req.method() == HttpMethod.GET && uri.equals(Hello.JSON_PATH)) {
                byte[] json = Hello.json();
                r = response(ctx.alloc().buffer(json.length).writeBytes(json), APPLICATION_JSON,
                        AsciiString.of(Integer.toString(json.length)));
            } else {
                r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
                r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            }
            return r;
        }

        private FullHttpResponse response(ByteBuf body, AsciiString type, AsciiString length) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body,
                    UNVALIDATED, UNVALIDATED);
            HttpHeaders h = r.headers();
            h.set(HttpHeaderNames.SERVER, SERVER);
            h.set(HttpHeaderNames.DATE, date);
            h.set(HttpHeaderNames.CONTENT_TYPE, type);
            h.set(HttpHeaderNames.CONTENT_LENGTH, length);
            return r;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
