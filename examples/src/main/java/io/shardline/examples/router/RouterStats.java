package io.shardline.examples.router;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One shard's router counters: requests by route, upstream and status, and a latency histogram by
 * route. Owned by one shard and not thread-safe: counted on the shard with plain stores, read by an
 * exporter through {@link #snapshot()} run on the same shard (a {@code submitToAll}), which copies.
 *
 * <p>The hot path allocates nothing: a request counts into the {@link Requests} and {@link Latency}
 * objects its route resolved when the shard took its route table; they outlive reloads (found again
 * by name), so counts keep growing across a SIGHUP as Prometheus counters must.
 */
public final class RouterStats {
    /** The histogram's upper bounds in seconds (Prometheus' {@code le}), +Inf implied after the last. */
    public static final double[] LATENCY_BOUNDS_SECONDS =
            {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** The upstream name of requests answered with no upstream reached (none usable). */
    public static final String NO_UPSTREAM = "-";
    private static final long[] BOUNDS_NANOS =
            Arrays.stream(LATENCY_BOUNDS_SECONDS).mapToLong(s -> Math.round(s * 1e9)).toArray();

    /** Request counts of one route and upstream, by status (100..999). */
    static final class Requests {
        final String route;
        final String upstream;
        final long[] byStatus = new long[900];

        Requests(String route, String upstream) {
            this.route = route;
            this.upstream = upstream;
        }

        void count(int status) {
            byStatus[status - 100]++;
        }
    }

    /** One route's latency histogram: non-cumulative bucket counts, the last for +Inf. */
    static final class Latency {
        final String route;
        final long[] buckets = new long[BOUNDS_NANOS.length + 1];
        long sumNanos;

        Latency(String route) {
            this.route = route;
        }

        void observe(long nanos) {
            int i = 0;
            while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
                i++;
            }
            buckets[i]++;
            sumNanos += nanos;
        }
    }

    /** A count of requests of one route, upstream and status. */
    public record RequestCount(String route, String upstream, int status, long count) {
    }

    /**
     * One route's latency: {@code cumulative[i]} requests took at most {@link #LATENCY_BOUNDS_SECONDS}[i];
     * the last element is every request (+Inf).
     */
    public record LatencyHistogram(String route, long[] cumulative, double sumSeconds) {
        public long count() {
            return cumulative[cumulative.length - 1];
        }
    }

    public record Snapshot(List<RequestCount> requests, List<LatencyHistogram> latencies) {
    }

    private final Map<String, Requests> requests = new HashMap<>();
    private final Map<String, Latency> latencies = new HashMap<>();

    /** The counts of {@code route} through {@code upstream}; the same object for the same names. */
    Requests requests(String route, String upstream) {
        return requests.computeIfAbsent(route + ' ' + upstream, k -> new Requests(route, upstream));
    }

    Latency latency(String route) {
        return latencies.computeIfAbsent(route, Latency::new);
    }

    /** A copy of every non-zero count and every histogram; call on the owning shard. */
    public Snapshot snapshot() {
        List<RequestCount> rc = new ArrayList<>();
        for (Requests r : requests.values()) {
            for (int i = 0; i < r.byStatus.length; i++) {
                if (r.byStatus[i] != 0) {
                    rc.add(new RequestCount(r.route, r.upstream, i + 100, r.byStatus[i]));
                }
            }
        }
        List<LatencyHistogram> lh = new ArrayList<>();
        for (Latency l : latencies.values()) {
            long[] cum = new long[l.buckets.length];
            long run = 0;
            for (int i = 0; i < cum.length; i++) {
                run += l.buckets[i];
                cum[i] = run;
            }
            lh.add(new LatencyHistogram(l.route, cum, l.sumNanos / 1e9));
        }
        return new Snapshot(rc, lh);
    }
}
