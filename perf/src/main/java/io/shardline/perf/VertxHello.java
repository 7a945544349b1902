package io.shardline.perf;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The {@code http} suite's Vert.x 5 server, written as Vert.x's TechEmpower entry writes it: the native
 * transport preferred, an event loop per thread and one verticle instance per event loop, all
 * listening on the same port (Vert.x spreads connections among them), header names and values made
 * with {@link HttpHeaders#createOptimized}, the plaintext body one shared buffer, the JSON body a
 * {@link JsonObject} encoded per request, and each verticle's Date value renewed by a periodic timer
 * on its own event loop. Started and closed by one thread; each verticle lives on its event loop.
 */
final class VertxHello implements HelloServer {
    private static final CharSequence SERVER = HttpHeaders.createOptimized("Vert.x");
    private static final CharSequence TEXT_PLAIN = HttpHeaders.createOptimized(Hello.TEXT_PLAIN);
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized(Hello.APPLICATION_JSON);
    private static final long START_TIMEOUT_SECONDS = 60;

    private final Vertx vertx;
    private final int port;
    private final int threads;

    private VertxHello(Vertx vertx, int port, int threads) {
        this.vertx = vertx;
        this.port = port;
        this.threads = threads;
    }

    static VertxHello start(InetSocketAddress address, int threads) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads).setPreferNativeTransport(true));
        try {
            int port = address.getPort();
            if (port == 0) {
                // Each instance binds on its own; port 0 would give each its own port, so pick one first.
                port = ServerProcess.freePort();
            }
            int chosen = port;
            vertx.deployVerticle(() -> new Verticle(address.getHostString(), chosen),
                            new DeploymentOptions().setInstances(threads))
                    .toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new VertxHello(vertx, chosen, threads);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String description() {
        return "Vert.x " + threads + " event loop" + (threads == 1 ? "" : "s") + ", "
                + (vertx.isNativeTransportEnabled() ? "native transport" : "NIO (" + vertx.unavailableNativeTransportCause() + ")");
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(START_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
    }

    /** One event loop's server; touched only on that loop. */
    private static final class Verticle extends VerticleBase {
        /** RFC 9110's IMF-fixdate (RFC_1123_DATE_TIME would drop the day's leading zero). */
        private static final DateTimeFormatter IMF_FIXDATE =
                DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
        private static final Buffer PLAINTEXT = Buffer.buffer(Hello.PLAINTEXT_BYTES);
        private final String host;
        private final int port;
        private CharSequence date;

        Verticle(String host, int port) {
            this.host = host;
            this.port = port;
        }

        @Override
        public Future<?> start() {
            updateDate();
            vertx.setPeriodic(1000, id -> updateDate());
            return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true))
                    .requestHandler(this::handle)
                    .listen();
        }

        private void updateDate() {
            date = HttpHeaders.createOptimized(IMF_FIXDATE.format(Instant.now()));
        }

        private void handle(HttpServerRequest req) {
            HttpServerResponse r = req.response();
            if (req.method() == HttpMethod.GET && req.path().equals(Hello.PLAINTEXT_PATH)) {
                headers(r, TEXT_PLAIN).end(PLAINTEXT);
            } else if (req.method() == HttpMethod.GET && req.path().equals(Hello.JSON_PATH)) {
                headers(r, APPLICATION_JSON).end(new JsonObject().put(Hello.MESSAGE_FIELD, Hello.PLAINTEXT).toBuffer());
            } else {
                r.setStatusCode(404).end();
            }
        }

        private HttpServerResponse headers(HttpServerResponse r, CharSequence type) {
            return r.putHeader(HttpHeaders.SERVER, SERVER).putHeader(HttpHeaders.DATE, date)
                    .putHeader(HttpHeaders.CONTENT_TYPE, type);
        }
    }
}
