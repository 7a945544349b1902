package io.shardline.examples.router;

import io.shardline.core.Loop;
import io.shardline.core.Timer;
import io.shardline.net.ConnectionOptions;
import io.shardline.net.http.ClientRequest;
import io.shardline.net.http.HttpClient;
import io.shardline.net.http.HttpClientConnection;
import io.shardline.net.http.HttpClientOptions;
import java.time.Duration;
import java.util.Map;

/**
 * One shard's active health checks: every interval, on the shard's timer, a {@code GET <path>} to each
 * of the shard's upstreams on a connection of its own (never a pooled one, so a check never delays a
 * request); a 2xx or 3xx within the interval keeps or brings the upstream in, anything else (an error
 * status, a refused connect, no answer in time) takes it out until a check passes. Owned by one shard;
 * not thread-safe.
 */
final class HealthCheck {
    private final Loop loop;
    private final Map<String, UpstreamPool> pools;
    private Timer timer;
    private Duration interval = Duration.ZERO;
    private String path = "/health";
    private HttpClientOptions options;

    HealthCheck(Loop loop, Map<String, UpstreamPool> pools) {
        this.loop = loop;
        this.pools = pools;
    }

    /** Takes a (reloaded) config: starts, restarts or stops the checks. */
    void configure(RouterConfig c) {
        path = c.healthPath();
        Duration connect = c.connectTimeout().compareTo(c.healthInterval()) < 0 || c.healthInterval().isZero()
                ? c.connectTimeout() : c.healthInterval();
        options = new HttpClientOptions(16 * 1024, 1 << 20, connect, ConnectionOptions.DEFAULT);
        if (c.healthInterval().equals(interval)) {
            return;
        }
        interval = c.healthInterval();
        stop();
        if (interval.isZero()) {
            for (UpstreamPool p : pools.values()) {
                p.checked(true); // no checks any more: nothing stays out for a check it failed
            }
            return;
        }
        timer = loop.schedulePeriodic(Duration.ofMillis(1), interval, this::checkAll);
    }

    void stop() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void checkAll() {
        for (UpstreamPool p : pools.values()) {
            if (!p.checking) {
                check(p);
            }
        }
    }

    private void check(UpstreamPool p) {
        p.checking = true;
        HttpClientConnection[] opened = new HttpClientConnection[1];
        HttpClient.connect(p.upstream.address(), options)
                .flatMap(c -> {
                    opened[0] = c;
                    return c.send(ClientRequest.get(path).header("Host", p.upstream.name())
                            .header("User-Agent", "shardline-router-health"));
                })
                .flatMap(r -> r.body().discard().map(v -> r.status()))
                .withTimeout(interval)
                .whenComplete((status, e) -> {
                    p.checking = false;
                    if (opened[0] != null) {
                        opened[0].close();
                    }
                    p.checked(e == null && status >= 200 && status < 400);
                });
    }
}
