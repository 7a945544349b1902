package io.shardline.net.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.net.http.HttpRequest;
import io.shardline.net.http.HttpResponse;
import io.shardline.net.http.HttpRouter;
import io.shardline.net.http.HttpServer;
import io.shardline.net.http.HttpServerOptions;
import io.shardline.shard.Shard;
import io.shardline.shard.ShardRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /metrics} in the Prometheus text format (or OpenMetrics, when the scraper asks for it),
 * served on every shard of a runtime by Shardline's own HTTP server; the handle is thread-safe.
 *
 * <p>A scrape runs on the shard its connection landed on. The runtime's counters are read from there
 * ({@link RuntimeMetrics}: single-writer counters, opaque reads). Each application's counters are
 * plain fields and maps of their shard, which no other thread may read, so the scraping shard asks
 * every shard through the mesh for a copy ({@link ShardMetrics#sample}); a shard that does not answer
 * within the timeout (stalled, say) is reported with {@code shardline_metrics_shard_up 0} and its
 * application counters left out, so one stuck shard never blocks the scrape. Nothing is computed on
 * an increment: the cost is all at scrape time. Prometheus' own client library builds the model
 * ({@code prometheus-metrics-model}) and writes the text ({@code prometheus-metrics-exposition-textformats}).
 */
public final class MetricsServer implements AutoCloseable {
    /** How long a scrape waits for each shard's application counters. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    private static final System.Logger LOG = System.getLogger("io.shardline.net.metrics");

    private final HttpServer http;

    private MetricsServer(HttpServer http) {
        this.http = http;
    }

    /**
     * Serves the runtime's metrics and {@code apps}' on {@code address} from every shard of {@code runtime};
     * returns once it listens. Call from any thread but a shard's.
     */
    public static MetricsServer start(ShardRuntime runtime, InetSocketAddress address, List<ShardMetrics> apps) {
        return start(runtime, address, apps, DEFAULT_TIMEOUT);
    }

    /** Like {@link #start(ShardRuntime, InetSocketAddress, List)}, waiting {@code timeout} for each shard. */
    public static MetricsServer start(ShardRuntime runtime, InetSocketAddress address, List<ShardMetrics> apps,
                                      Duration timeout) {
        Scrape scrape = new Scrape(runtime, List.copyOf(apps), timeout);
        HttpRouter router = HttpRouter.builder().get("/metrics", scrape::handle).build();
        return new MetricsServer(HttpServer.start(runtime, address, HttpServerOptions.DEFAULT, router));
    }

    /**
     * Parses {@code --metrics}' value, {@code HOST:PORT} (an IPv6 host in brackets, {@code [::1]:9100}).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static InetSocketAddress parseAddress(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("--metrics takes HOST:PORT, e.g. 127.0.0.1:9100, not '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--metrics: the port must be a number 0..65535, not '"
                    + value.substring(colon + 1) + "'");
        }
        if (port < 0 || port > 65535 || host.isEmpty()) {
            throw new IllegalArgumentException("--metrics takes HOST:PORT with a port 0..65535, not '" + value + "'");
        }
        return new InetSocketAddress(host, port);
    }

    public InetSocketAddress address() {
        return http.address();
    }

    public int port() {
        return http.port();
    }

    /** Stops listening. */
    @Override
    public void close() {
        http.close();
    }

    /** A scrape's answer: its media type and the exposition text. */
    record Exposition(String contentType, byte[] body) {
    }

    /** The scrape handler; immutable, so one instance serves every shard. */
    record Scrape(ShardRuntime runtime, List<ShardMetrics> apps, Duration timeout) {

        Future<HttpResponse> handle(HttpRequest request) {
            return collect(request.headers().get("Accept"))
                    .map(e -> HttpResponse.of(200, e.contentType(), e.body()));
        }

        /** Gathers every shard's counters and writes them in the format {@code accept} asks for; on a shard. */
        Future<Exposition> collect(String accept) {
            Shard here = Shard.current();
            int n = here.count();
            List<Future<List<ShardMetrics.Sample>>> parts = new ArrayList<>(n);
            for (int s = 0; s < n; s++) {
                if (apps.isEmpty()) {
                    parts.add(Future.succeeded(List.of()));
                } else {
                    int shard = s;
                    parts.add(here.submitTo(s, this::sampleHere).withTimeout(timeout).recover(e -> {
                        LOG.log(System.Logger.Level.DEBUG, () -> "shard " + shard + " gave no metrics: " + e);
                        return null;
                    }));
                }
            }
            return Futures.all(parts).map(samples -> render(accept, samples));
        }

        /** On each shard: every application's copy of its counters. */
        private List<ShardMetrics.Sample> sampleHere() {
            Shard shard = Shard.current();
            List<ShardMetrics.Sample> out = new ArrayList<>(apps.size());
            for (ShardMetrics m : apps) {
                out.add(m.sample(shard));
            }
            return out;
        }

        private Exposition render(String accept, List<List<ShardMetrics.Sample>> samples) {
            MetricFamilies out = new MetricFamilies();
            RuntimeMetrics.writeTo(out, runtime);
            for (int s = 0; s < samples.size(); s++) {
                String id = Integer.toString(s);
                List<ShardMetrics.Sample> mine = samples.get(s);
                out.gauge("shardline_metrics_shard_up", "1 if the shard gave its application counters to this "
                        + "scrape in time, 0 if not (they are left out)", mine != null ? 1 : 0, "shard", id);
                if (mine != null) {
                    for (ShardMetrics.Sample sample : mine) {
                        sample.writeTo(out, id);
                    }
                }
            }
            ExpositionFormatWriter writer = accept != null && OpenMetricsTextFormatWriter.create().accepts(accept)
                    ? OpenMetricsTextFormatWriter.create() : PrometheusTextFormatWriter.create();
            ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
            try {
                writer.write(body, out.snapshots());
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
            }
            return new Exposition(writer.getContentType(), body.toByteArray());
        }
    }
}
