package io.shardline.perf;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The suites' one report printer: the summary line ("echo suite, 212 s; 2 CPUs, ..."), tables (a
 * header, a rule, rows), then at the end the notes, the targets (each "met" or "MISSED" with the
 * measured value) and as the last line {@code result: <suite> key=value ...}. Also the number formats
 * the tables share. Owned by the suite's main thread; not thread-safe.
 */
final class Report {
    private final String suite;
    private final PrintStream out;
    private final List<String> notes = new ArrayList<>();
    private final List<String> targets = new ArrayList<>();
    private final List<String> fields = new ArrayList<>();

    Report(String suite, PrintStream out) {
        this.suite = suite;
        this.out = out;
    }

    /**
     * After a blank line: "{@code <suite>} suite[ (--quick: rough numbers)], N s; {@code machine}" and
     * {@code others} (the other processes' CPU use) when not null.
     */
    void summary(boolean quick, CpuUse use, String machine, String others) {
        out.println();
        out.printf(Locale.ROOT, "%s suite%s, %.0f s; %s%n", suite, quick ? " (--quick: rough numbers)" : "",
                use.seconds(), machine);
        if (others != null) {
            out.println(others);
        }
    }

    /** A table whose header and rows are laid out by {@code headerFormat} and {@code rowFormat}. */
    Table table(String headerFormat, String rowFormat) {
        return new Table(headerFormat, rowFormat);
    }

    /** Header lines, then a rule as long as the first of them before the first row. */
    final class Table {
        private final String headerFormat;
        private final String rowFormat;
        private int ruleLength = -1;
        private boolean ruled;

        private Table(String headerFormat, String rowFormat) {
            this.headerFormat = headerFormat;
            this.rowFormat = rowFormat;
        }

        Table header(Object... names) {
            String line = String.format(Locale.ROOT, headerFormat, names).stripTrailing();
            if (ruleLength < 0) {
                ruleLength = line.length();
            }
            out.println(line);
            return this;
        }

        void row(Object... values) {
            if (!ruled) {
                out.println("-".repeat(Math.max(ruleLength, 0)));
                ruled = true;
            }
            out.printf(Locale.ROOT, rowFormat + "%n", values);
        }
    }

    /** A line for the notes section, printed by {@link #finish()}. */
    void note(String note) {
        notes.add(note);
    }

    /** A target line: {@code description}, met or MISSED, and the measured {@code value} in brackets. */
    void target(String description, boolean met, String value) {
        targets.add(String.format(Locale.ROOT, "  %-46s %s (%s)", description, met ? "met   " : "MISSED", value));
    }

    /** The target "{@code name} >= {@code target}" ({@code decimals} decimals), met by {@code value} (shown with two). */
    void atLeast(String name, double target, int decimals, double value) {
        target(name + " >= " + num(target, decimals), value >= target, num(value, 2));
    }

    /** The target "{@code name} <= {@code target}" ({@code decimals} decimals), met by {@code value} (shown with two). */
    void atMost(String name, double target, int decimals, double value) {
        target(name + " <= " + num(target, decimals), value <= target, num(value, 2));
    }

    /** A field of the result line, {@code key=value}, in the order given. */
    void field(String key, String value) {
        fields.add(key + "=" + value);
    }

    /** A field of the result line with two decimals. */
    void field(String key, double value) {
        field(key, String.format(Locale.ROOT, "%.2f", value));
    }

    /** The notes (if any), the targets and the result line. */
    void finish() {
        if (!notes.isEmpty()) {
            out.println();
            out.println("notes");
            for (String note : notes) {
                out.println("  " + note);
            }
        }
        out.println();
        out.println("targets");
        targets.forEach(out::println);
        out.println("result: " + suite + (fields.isEmpty() ? "" : " " + String.join(" ", fields)));
    }

    // ---------------------------------------------------------------- number formats

    /** {@code v} with {@code decimals} decimals, or "-" for NaN. */
    static String num(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A share in %, no decimals, or "-" for NaN. */
    static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f%%", v);
    }

    /** A rate as 1.23M or 45.6k. */
    static String rate(double perSecond) {
        return perSecond >= 1e6
                ? String.format(Locale.ROOT, "%.2fM", perSecond / 1e6)
                : String.format(Locale.ROOT, "%.1fk", perSecond / 1e3);
    }

    /** A count as 1.23M, 45.6k or 789; "-" for NaN. */
    static String count(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 1e6 ? String.format(Locale.ROOT, "%.2fM", v / 1e6)
                : v >= 1e4 ? String.format(Locale.ROOT, "%.1fk", v / 1e3)
                : String.format(Locale.ROOT, "%.0f", v);
    }

    /** ns as "3 s" when whole seconds, else "300 ms". */
    static String seconds(long nanos) {
        return nanos >= 1_000_000_000L && nanos % 1_000_000_000L == 0
                ? (nanos / 1_000_000_000L) + " s"
                : (nanos / 1_000_000L) + " ms";
    }

    /** ns as "12.3 ms", or "n/a" when negative (unknown). */
    static String millis(long nanos) {
        return nanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
