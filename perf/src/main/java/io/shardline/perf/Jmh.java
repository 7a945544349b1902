package io.shardline.perf;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** What the JMH-based suites share: run options and reading results back. */
final class Jmh {
    /**
     * The flags the runtime needs on JDK 25 (the same set ./shardline passes; see the root pom), in
     * the one-word form the JVM reports them in, so flags the fork already inherits are not repeated.
     */
    static final List<String> RUNTIME_FLAGS = List.of(
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");
    /** A fixed heap, so heap resizing does not show up in one implementation's numbers and not the other's. */
    static final List<String> HEAP_FLAGS = List.of("-Xms1g", "-Xmx1g");

    static final String ALLOC_NORM = "gc.alloc.rate.norm";

    private Jmh() {
    }

    /**
     * Options for benchmarks whose full names match {@code include}: one fork, one thread, the gc
     * profiler, and the runtime's JVM flags for the fork (which inherits this JVM's class path).
     * Full runs: 4 warm-up and 8 measurement iterations of 1 s (the JDK's cross-thread variants swing
     * between a fast and a slow mode from second to second, so more iterations average them better);
     * quick runs: 1 and 2 of 500 ms.
     */
    static ChainedOptionsBuilder options(String include, BenchMain.Settings settings) {
        TimeValue time = settings.quick() ? TimeValue.milliseconds(500) : TimeValue.seconds(1);
        return new OptionsBuilder()
                .include(include)
                .forks(1)
                .threads(1)
                .warmupIterations(settings.quick() ? 1 : 4)
                .warmupTime(time)
                .measurementIterations(settings.quick() ? 2 : 8)
                .measurementTime(time)
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend(forkFlags())
                .shouldFailOnError(true);
    }

    /**
     * One benchmark's numbers: throughput (ops/µs when the benchmark says so) as the median of its
     * measured iterations, the slowest and fastest iteration, and B/op. The median, not JMH's mean: on
     * a shared machine a slow phase of the host can take a few iterations of one benchmark and none of
     * the next, and a mean carries that into the ratio.
     */
    record Score(double score, double min, double max, double allocNorm) {
        double nanosPerOp() {
            return 1000.0 / score;
        }
    }

    /** The results keyed by full benchmark name ({@code package.Class.method}). */
    static Map<String, Score> scores(Collection<RunResult> results) {
        Map<String, Score> map = new HashMap<>();
        for (RunResult r : results) {
            Result<?> primary = r.getPrimaryResult();
            Statistics stats = primary.getStatistics();
            Result<?> alloc = r.getSecondaryResults().get(ALLOC_NORM);
            map.put(r.getParams().getBenchmark(), new Score(stats.getPercentile(50), stats.getMin(), stats.getMax(),
                    alloc != null ? alloc.getScore() : Double.NaN));
        }
        return map;
    }

    /**
     * The runtime's flags and the heap flags for the forked JVM. A fork inherits this JVM's flags (and
     * its class path) and appends these; the runtime flags this JVM already has are left out.
     */
    static String[] forkFlags() {
        List<String> inherited = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> flags = new ArrayList<>();
        for (String flag : RUNTIME_FLAGS) {
            if (!inherited.contains(flag)) {
                flags.add(flag);
            }
        }
        flags.addAll(HEAP_FLAGS);
        return flags.toArray(String[]::new);
    }
}
