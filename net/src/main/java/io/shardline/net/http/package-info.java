/**
 * HTTP/1.1 (RFC 9110, 9112) on the shards: a server codec, a client codec and a small router. Every
 * object here belongs to the shard of its connection and is not thread-safe; the handler interface and
 * the router are the exceptions, shared by all shards.
 *
 * <p>Server: {@link io.shardline.net.http.HttpServer} starts a {@link io.shardline.net.TcpServer} whose
 * connections parse requests in place in their receive buffer (limits: 414, 431, 413; smuggling
 * refused with 400/501), run an {@link io.shardline.net.http.HttpHandler} on the shard, and write
 * responses in request order straight into the outbound buffer, with keep-alive, pipelining,
 * chunked bodies both ways, {@code Expect: 100-continue}, HEAD, HTTP/1.0 clients, a per-shard
 * {@code Date} line, and header-read and idle timeouts on the shard's timer wheel.
 *
 * <p>Bodies stream with backpressure: {@link io.shardline.net.http.HttpBody} delivers parts and stops
 * reading the socket while paused; {@link io.shardline.net.http.BodySink} takes parts and says when the
 * peer is slow. Nothing is buffered whole unless asked ({@link io.shardline.net.http.HttpBody#aggregate}).
 *
 * <p>Client: {@link io.shardline.net.http.HttpClient#connect} opens a pipelining
 * {@link io.shardline.net.http.HttpClientConnection} on the calling shard.
 */
package io.shardline.net.http;
