package io.shardline.net.http;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.net.Transport;
import java.net.InetSocketAddress;

/**
 * Opens HTTP/1.1 client connections on the calling shard; stateless. Call on a loop with a network
 * transport; the connection, and every future it returns, belong to that loop.
 *
 * <pre>{@code
 * HttpClient.connect(upstream, HttpClientOptions.DEFAULT)
 *     .flatMap(c -> c.send(ClientRequest.get("/health")))
 *     .flatMap(r -> r.body().aggregate(1 << 20));
 * }</pre>
 */
public final class HttpClient {
    private HttpClient() {
    }

    /** Connects to {@code address}; the future fails if the connect does. */
    public static Future<HttpClientConnection> connect(InetSocketAddress address, HttpClientOptions options) {
        Loop loop = Loop.current();
        if (loop == null) {
            throw new IllegalStateException("HttpClient.connect must run on a loop");
        }
        HttpClientConnection c = new HttpClientConnection(address, options);
        return Transport.of(loop).connect(address, options.connectTimeout(), options.connection(), c).map(conn -> c);
    }
}
