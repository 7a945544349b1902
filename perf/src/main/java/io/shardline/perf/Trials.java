package io.shardline.perf;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The suites' one trial runner: each contender (an implementation of a workload) gets a warm-up, then
 * their trials take turns in rounds (trial 1 of each, trial 2 of each, ...), so a change in the
 * machine's state during the run reaches every contender alike; a suite may ask for extra rounds
 * (the echo suite does while rounds were disturbed). Each trial is logged as it ends. The results are
 * summed up by medians ({@link #median}), and two contenders compared by the median of their per-round
 * ratios ({@link #pairedMedian}). Used from a suite's main thread.
 */
final class Trials {
    private Trials() {
    }

    /** One trial of a contender; {@code turn} says which. */
    interface Trial<R> {
        R run(Turn turn) throws Exception;
    }

    /**
     * Which trial runs: the warm-up (round 0), or round {@code round} of {@code rounds}; an extra round
     * has a number above {@code rounds}.
     */
    record Turn(int round, int rounds) {
        boolean warmup() {
            return round == 0;
        }

        /** "warmup" or the round number: for file names. */
        String tag() {
            return warmup() ? "warmup" : Integer.toString(round);
        }

        /** "warm-up", "trial 2/5" or "trial 6+": for the log. */
        String label() {
            return warmup() ? "warm-up" : "trial " + (round <= rounds ? round + "/" + rounds : round + "+");
        }
    }

    /** A contender: its row label (for the report), a short name (for the log) and its trial. */
    record Contender<R>(String label, String name, Trial<R> trial) {
    }

    /**
     * How many: a warm-up trial per contender before the rounds (or none, for contenders whose trials
     * warm up by themselves), {@code rounds} rounds, and at most {@code extraRounds} more.
     */
    record Plan(boolean warmups, int rounds, int extraRounds) {
    }

    /**
     * Asked before each extra round: why one more is wanted (printed as the round's log line), or
     * null for no more.
     */
    interface Extra<R> {
        String reason(Results<R> sofar);
    }

    /** Every contender's trials, by row label, in the contenders' order, and how long a round took at most. */
    static final class Results<R> {
        private final Map<String, List<R>> byLabel = new LinkedHashMap<>();
        private long longestRoundNanos;

        /** The trials of the row {@code label}; fails if there is no such row. */
        List<R> of(String label) {
            List<R> t = byLabel.get(label);
            if (t == null) {
                throw new IllegalStateException("no trials of '" + label + "'");
            }
            return t;
        }

        Map<String, List<R>> byLabel() {
            return byLabel;
        }

        long longestRoundNanos() {
            return longestRoundNanos;
        }
    }

    /** Runs {@code contenders} by {@code plan} under the log heading {@code title}; see the class comment. */
    static <R> Results<R> run(PrintStream out, String title, Plan plan, List<Contender<R>> contenders,
                              Function<R, String> describe, Extra<R> extra) throws Exception {
        out.println("# " + title);
        int width = contenders.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        String line = "  %-11s %-" + width + "s  %s%n";
        if (plan.warmups()) {
            Turn warmup = new Turn(0, plan.rounds());
            for (Contender<R> c : contenders) {
                out.printf(Locale.ROOT, line, warmup.label(), c.name(), describe.apply(c.trial().run(warmup)));
            }
        }
        Results<R> results = new Results<>();
        for (Contender<R> c : contenders) {
            results.byLabel.put(c.label(), new ArrayList<>());
        }
        for (int round = 1; round <= plan.rounds() + plan.extraRounds(); round++) {
            if (round > plan.rounds()) {
                String why = extra == null ? null : extra.reason(results);
                if (why == null) {
                    break;
                }
                out.printf(Locale.ROOT, "# round %d: %s%n", round, why);
            }
            Turn turn = new Turn(round, plan.rounds());
            long roundStart = System.nanoTime();
            for (Contender<R> c : contenders) {
                R r = c.trial().run(turn);
                results.byLabel.get(c.label()).add(r);
                out.printf(Locale.ROOT, line, turn.label(), c.name(), describe.apply(r));
            }
            results.longestRoundNanos = Math.max(results.longestRoundNanos, System.nanoTime() - roundStart);
        }
        return results;
    }

    // ---------------------------------------------------------------- medians

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    static <T> double median(List<T> trials, ToDoubleFunction<T> value) {
        return median(trials.stream().mapToDouble(value).toArray());
    }

    static <T> double min(List<T> trials, ToDoubleFunction<T> value) {
        return trials.stream().mapToDouble(value).min().orElse(Double.NaN);
    }

    static <T> double max(List<T> trials, ToDoubleFunction<T> value) {
        return trials.stream().mapToDouble(value).max().orElse(Double.NaN);
    }

    /** The trial at the median of {@code value} (the upper one of an even count). */
    static <T> T medianTrial(List<T> trials, ToDoubleFunction<T> value) {
        List<T> sorted = new ArrayList<>(trials);
        sorted.sort((x, y) -> Double.compare(value.applyAsDouble(x), value.applyAsDouble(y)));
        return sorted.get(sorted.size() / 2);
    }

    /**
     * The median over rounds of {@code a}'s {@code value} over {@code b}'s in the same round: the paired
     * statistic, in which whatever slowed one round slowed both sides of its ratio. Only rounds where
     * {@code counted} holds for both trials count; if none does, every round does. NaN with no rounds.
     */
    static <T> double pairedMedian(List<T> a, List<T> b, ToDoubleFunction<T> value, Predicate<T> counted) {
        List<Double> kept = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            double ratio = value.applyAsDouble(a.get(i)) / value.applyAsDouble(b.get(i));
            all.add(ratio);
            if (counted.test(a.get(i)) && counted.test(b.get(i))) {
                kept.add(ratio);
            }
        }
        return median((kept.isEmpty() ? all : kept).stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * As {@link #perRound(List, List, ToDoubleFunction)}, with the ratio of a round that
     * {@link #pairedMedian} leaves out in parentheses (none is, when no round counts).
     */
    static <T> String perRound(List<T> a, List<T> b, ToDoubleFunction<T> value, Predicate<T> counted) {
        int n = Math.min(a.size(), b.size());
        boolean any = false;
        for (int i = 0; i < n; i++) {
            any |= counted.test(a.get(i)) && counted.test(b.get(i));
        }
        List<String> ratios = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String r = String.format(Locale.ROOT, "%.2f", value.applyAsDouble(a.get(i)) / value.applyAsDouble(b.get(i)));
            ratios.add(!any || (counted.test(a.get(i)) && counted.test(b.get(i))) ? r : "(" + r + ")");
        }
        return String.join(" ", ratios);
    }

    /** Each round's ratio of {@code value}, {@code a}'s over {@code b}'s, as "1.02 0.98 ...". */
    static <T> String perRound(List<T> a, List<T> b, ToDoubleFunction<T> value) {
        List<String> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            ratios.add(String.format(Locale.ROOT, "%.2f", value.applyAsDouble(a.get(i)) / value.applyAsDouble(b.get(i))));
        }
        return String.join(" ", ratios);
    }
}
