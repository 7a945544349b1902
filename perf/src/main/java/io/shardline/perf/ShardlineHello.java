package io.shardline.perf;

import io.shardline.core.Future;
import io.shardline.net.Net;
import io.shardline.net.http.HttpResponse;
import io.shardline.net.http.HttpRouter;
import io.shardline.net.http.HttpServer;
import io.shardline.net.http.HttpServerOptions;
import io.shardline.shard.Shard;
import io.shardline.shard.ShardRuntime;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code http} suite's Shardline server: {@link HttpServer} on every shard with an
 * {@link HttpRouter}, as the README writes one. The plaintext response holds no per-request field, so
 * one instance per shard serves every request of its shard (the codec adds Date and Content-Length as
 * it writes); the JSON
 * one is built per request around a body serialized for it. Started and closed by one thread.
 */
final class ShardlineHello implements HelloServer {
    static final String SERVER = "Shardline";
    /**
     * Set to false to run the shards unpinned. The suite keeps the runtime's default (each shard pinned
     * to its CPU), as a user runs it; on this 2-CPU machine, shared with wrk, unpinned shards were no
     * faster in A/B runs and spent more CPU per request (1.9 against 1.3 us pipelined).
     */
    static final String PIN_PROPERTY = "shardline.bench.http.pin";

    private final ShardRuntime runtime;
    private final HttpServer http;
    private final boolean pinned;

    private ShardlineHello(ShardRuntime runtime, HttpServer http, boolean pinned) {
        this.runtime = runtime;
        this.http = http;
        this.pinned = pinned;
    }

    static ShardlineHello start(InetSocketAddress address, int threads) {
        // A shared response is shared within its shard: one per shard, picked by the handler's shard.
        List<Future<HttpResponse>> plaintext = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            plaintext.add(Future.succeeded(
                    HttpResponse.of(200, Hello.TEXT_PLAIN, Hello.PLAINTEXT_BYTES).header("Server", SERVER)));
        }
        HttpRouter router = HttpRouter.builder()
                .get(Hello.PLAINTEXT_PATH, req -> plaintext.get(Shard.current().id()))
                .get(Hello.JSON_PATH, req -> Future.succeeded(
                        HttpResponse.of(200, Hello.APPLICATION_JSON, Hello.json()).header("Server", SERVER)))
                .build();
        boolean pin = Boolean.parseBoolean(System.getProperty(PIN_PROPERTY, "true"));
        ShardRuntime rt = Net.install(ShardRuntime.builder().shards(threads).pin(pin)).start();
        try {
            return new ShardlineHello(rt, HttpServer.start(rt, address, HttpServerOptions.DEFAULT, router), pin);
        } catch (RuntimeException e) {
            rt.close();
            throw e;
        }
    }

    @Override
    public int port() {
        return http.port();
    }

    @Override
    public String description() {
        return "Shardline " + runtime.shards() + " shard" + (runtime.shards() == 1 ? "" : "s") + ", "
                + (pinned ? " pinned" : " unpinned") + ", " + Net.transportName();
    }

    @Override
    public void close() {
        http.close();
        runtime.close();
    }
}
