package io.shardline.perf;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs one workload of a suite in a JVM of its own, as JMH forks each benchmark: C2 compiles the
 * code it measures with that workload's type and branch profiles only, not with those of the
 * workloads that ran before it. Used from a suite's main thread.
 *
 * <p>The child is this JVM's java with this JVM's flags and class path, running
 * {@code BenchMain <suite> [--quick]} with the system property {@value #PROPERTY} naming the
 * workload. It prints its progress log, which is relayed, and its results as lines starting with
 * {@value #PREFIX}, which are returned.
 */
final class ForkedWorkload {
    /** The system property that tells a suite it runs as a child, and which workload it runs. */
    static final String PROPERTY = "shardline.bench.workload";
    /** How a child marks a result line. */
    static final String PREFIX = "@@ ";
    /** A child that has not ended after this long is taken for hung and killed. */
    private static final long LIMIT_MINUTES = 10;

    private ForkedWorkload() {
    }

    /** The workload this JVM runs as a child, or null in the parent. */
    static String current() {
        return System.getProperty(PROPERTY);
    }

    /**
     * Runs {@code workload} of {@code suite} in a child JVM, copies its log to {@code out} and returns
     * its result lines without the prefix; fails if the child fails.
     */
    static List<String> run(String suite, String workload, boolean quick, PrintStream out) throws Exception {
        List<String> flags = new ArrayList<>();
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!flag.startsWith("-D" + PROPERTY + "=")) {
                flags.add(flag);
            }
        }
        flags.add("-D" + PROPERTY + "=" + workload);
        List<String> args = quick ? List.of(suite, "--quick") : List.of(suite);
        Process p = BenchSupport.startJava(List.of(), flags, BenchMain.class, args,
                TimeUnit.MINUTES.toMillis(LIMIT_MINUTES));
        List<String> results = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(PREFIX)) {
                    results.add(line.substring(PREFIX.length()));
                } else {
                    out.println(line);
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0) {
            throw new IllegalStateException("the " + suite + " suite's " + workload + " workload exited with " + exit
                    + " in its own JVM; its stderr is above");
        }
        return results;
    }

    /**
     * In a child: prints each contender's trials as result lines {@code trial <encode(trial)> <row label>},
     * in the contenders' order; {@code encode} writes a fixed number of space-free fields.
     */
    static <R> void emit(PrintStream out, Map<String, List<R>> byLabel, Function<R, String> encode) {
        byLabel.forEach((label, trials) -> trials.forEach(r ->
                out.println(PREFIX + "trial " + encode.apply(r) + " " + label)));
    }

    /**
     * In the parent: the {@code trial} lines of a child's results, by row label: {@code fields}
     * fields, read by {@code parse}, then the label (which has spaces).
     */
    static <R> Map<String, List<R>> trials(List<String> lines, int fields, Function<String[], R> parse) {
        Map<String, List<R>> out = new HashMap<>();
        for (String line : lines) {
            if (!line.startsWith("trial ")) {
                continue;
            }
            String[] f = line.substring("trial ".length()).split(" ", fields + 1);
            if (f.length != fields + 1) {
                throw new IllegalStateException("unreadable result from a workload's JVM: " + line);
            }
            out.computeIfAbsent(f[fields], k -> new ArrayList<>()).add(parse.apply(f));
        }
        return out;
    }
}
