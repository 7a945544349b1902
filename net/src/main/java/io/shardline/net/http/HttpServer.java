package io.shardline.net.http;

import io.shardline.net.TcpServer;
import io.shardline.shard.ShardRuntime;
import java.net.InetSocketAddress;

/**
 * An HTTP/1.1 server on every shard of a runtime; the handle is thread-safe. Each connection lives on
 * one shard and its handler runs there.
 *
 * <pre>{@code
 * HttpRouter router = HttpRouter.builder()
 *         .get("/hello/{name}", req -> Future.succeeded(HttpResponse.ok("Hello, " + req.param("name"))))
 *         .build();
 * try (HttpServer http = HttpServer.start(rt, new InetSocketAddress("127.0.0.1", 8080),
 *                                          HttpServerOptions.DEFAULT, router)) { ... }
 * }</pre>
 */
public final class HttpServer implements AutoCloseable {
    private final TcpServer tcp;

    private HttpServer(TcpServer tcp) {
        this.tcp = tcp;
    }

    /** Listens on {@code address} on every shard (as {@code options.server()} places); {@code handler} serves them all. */
    public static HttpServer start(ShardRuntime runtime, InetSocketAddress address, HttpServerOptions options,
                                   HttpHandler handler) {
        return new HttpServer(TcpServer.start(runtime, address, options.server(),
                () -> new HttpServerConnection(options, handler)));
    }

    public InetSocketAddress address() {
        return tcp.address();
    }

    public int port() {
        return tcp.port();
    }

    /** Stops listening; open connections finish on their own or when the runtime stops. */
    @Override
    public void close() {
        tcp.close();
    }
}
