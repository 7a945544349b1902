package io.shardline.net.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metric families of one scrape, filled by every collector and then turned into Prometheus'
 * {@link MetricSnapshots}; owned by the scraping shard for the length of one scrape, not thread-safe.
 *
 * <p>Collectors of different shards add data points to the same family (the same name), each with its
 * own {@code shard} label; a family keeps its first help text and type, and a data point of another
 * type under its name is a bug, so it throws. Counter names are given without {@code _total}, which
 * the text format adds; labels are name/value pairs.
 */
public final class MetricFamilies {
    private enum Type { COUNTER, GAUGE, HISTOGRAM }

    private record Family(Type type, String name, String help, List<Object> points) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    /** A counter's value (a total since start); {@code name} without {@code _total}. */
    public MetricFamilies counter(String name, String help, double value, String... labels) {
        family(Type.COUNTER, name, help).points.add(
                CounterDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build());
        return this;
    }

    /** A gauge's current value. */
    public MetricFamilies gauge(String name, String help, double value, String... labels) {
        family(Type.GAUGE, name, help).points.add(
                GaugeDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build());
        return this;
    }

    /**
     * A classic histogram: {@code counts[i]} observations fell at or under {@code upperBounds[i]} and
     * above the bound before it (not cumulative); the last bound must be {@code +Inf}.
     */
    public MetricFamilies histogram(String name, String help, double[] upperBounds, long[] counts, double sum,
                                    String... labels) {
        family(Type.HISTOGRAM, name, help).points.add(HistogramDataPointSnapshot.builder()
                .labels(Labels.of(labels))
                .classicHistogramBuckets(ClassicHistogramBuckets.of(upperBounds, counts))
                .sum(sum)
                .build());
        return this;
    }

    private Family family(Type type, String name, String help) {
        Family f = families.computeIfAbsent(name, n -> new Family(type, n, help, new ArrayList<>()));
        if (f.type != type) {
            throw new IllegalArgumentException("metric " + name + " is a " + f.type + ", not a " + type);
        }
        return f;
    }

    /** The families as Prometheus snapshots, in the order they were first named. */
    public MetricSnapshots snapshots() {
        List<MetricSnapshot> out = new ArrayList<>(families.size());
        for (Family f : families.values()) {
            out.add(switch (f.type) {
                case COUNTER -> {
                    CounterSnapshot.Builder b = CounterSnapshot.builder().name(f.name).help(f.help);
                    f.points.forEach(p -> b.dataPoint((CounterDataPointSnapshot) p));
                    yield b.build();
                }
                case GAUGE -> {
                    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(f.name).help(f.help);
                    f.points.forEach(p -> b.dataPoint((GaugeDataPointSnapshot) p));
                    yield b.build();
                }
                case HISTOGRAM -> {
                    HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(f.name).help(f.help);
                    f.points.forEach(p -> b.dataPoint((HistogramDataPointSnapshot) p));
                    yield b.build();
                }
            });
        }
        return new MetricSnapshots(out);
    }
}
