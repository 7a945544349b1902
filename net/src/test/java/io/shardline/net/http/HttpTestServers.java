package io.shardline.net.http;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.net.Net;
import io.shardline.shard.ShardRuntime;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The routes the HTTP tests serve, and a runtime to serve them on. Stateless; any thread. */
final class HttpTestServers {
    static final InetSocketAddress ANY = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);

    private HttpTestServers() {
    }

    static ShardRuntime runtime() {
        return Net.install(ShardRuntime.builder().shards(2)).start();
    }

    /** Streams the request body back as the response body, pausing the upload while the response cannot be written. */
    static HttpHandler streamingEcho() {
        return req -> {
            HttpBody body = req.body();
            return Future.succeeded(HttpResponse.status(200).header("Content-Type", "application/octet-stream")
                    .body(sink -> body.read(new BodyReader() {
                        @Override
                        public void onData(ByteBuffer part) {
                            if (!sink.write(part)) {
                                body.pause();
                                sink.whenWritable(body::resume);
                            }
                        }

                        @Override
                        public void onEnd(HttpHeaders trailers) {
                            sink.end();
                        }

                        @Override
                        public void onError(Throwable cause) {
                            sink.abort(cause);
                        }
                    })));
        };
    }

    static HttpRouter router() {
        return HttpRouter.builder()
                .get("/hello", req -> Future.succeeded(HttpResponse.ok("Hello, World!")))
                .get("/users/{id}", req -> Future.succeeded(HttpResponse.ok("user " + req.param("id"))))
                .get("/files/*", req -> Future.succeeded(HttpResponse.ok("file " + req.param("*"))))
                .get("/delay/{ms}", req -> Loop.current().sleep(Duration.ofMillis(Long.parseLong(req.param("ms"))))
                        .map(v -> HttpResponse.ok("delayed " + req.param("ms"))))
                .post("/echo", req -> req.body().aggregate(1 << 20).map(b -> {
                    HttpResponse r = HttpResponse.of(200, "application/octet-stream", b);
                    HttpHeaders t = req.body().trailers();
                    if (t != null && t.get("x-sum") != null) {
                        r.header("X-Trailer-Sum", t.get("x-sum"));
                    }
                    return r;
                }))
                .post("/stream", streamingEcho())
                .post("/ignore", req -> Future.succeeded(HttpResponse.ok("ignored")))
                .get("/chunked", req -> Future.succeeded(HttpResponse.status(200).body(sink -> {
                    sink.write("part one, ".getBytes(StandardCharsets.US_ASCII));
                    sink.write("part two, ".getBytes(StandardCharsets.US_ASCII));
                    Loop.current().schedule(Duration.ofMillis(5), () -> {
                        sink.write("part three".getBytes(StandardCharsets.US_ASCII));
                        sink.end(new HttpHeaders().add("X-Parts", "3"));
                    });
                })))
                .get("/parts", req -> Future.succeeded(HttpResponse.status(200).body(sink -> {
                    sink.write("part one, ".getBytes(StandardCharsets.US_ASCII));
                    Loop.current().execute(() -> {
                        sink.write("part two".getBytes(StandardCharsets.US_ASCII));
                        sink.end();
                    });
                })))
                .get("/big/{mb}", req -> {
                    long total = Long.parseLong(req.param("mb")) << 20;
                    return Future.succeeded(HttpResponse.status(200).body(total, new BodyProducer() {
                        private final byte[] block = new byte[32 * 1024];
                        private long sent;

                        @Override
                        public void produce(BodySink sink) {
                            while (sent < total) {
                                int n = (int) Math.min(block.length, total - sent);
                                for (int i = 0; i < n; i++) {
                                    block[i] = (byte) (sent + i);
                                }
                                sent += n;
                                if (!sink.write(java.nio.ByteBuffer.wrap(block, 0, n)) && sent < total) {
                                    sink.whenWritable(() -> produce(sink));
                                    return;
                                }
                            }
                            sink.end();
                        }
                    }));
                })
                .get("/sized", req -> Future.succeeded(HttpResponse.status(200).body(6, sink -> {
                    sink.write(new byte[] {'a', 'b', 'c'});
                    sink.write(new byte[] {'d', 'e', 'f'});
                    sink.end();
                })))
                .get("/nocontent", req -> Future.succeeded(HttpResponse.status(204)))
                .get("/notmodified", req -> Future.succeeded(HttpResponse.status(304)))
                .get("/throws", req -> {
                    throw new IllegalStateException("boom");
                })
                .get("/teapot", req -> Future.failed(new HttpException(418, "short and stout")))
                .get("/shard", req -> Future.succeeded(HttpResponse.ok(String.valueOf(io.shardline.shard.Shard.current().id()))))
                .build();
    }
}
