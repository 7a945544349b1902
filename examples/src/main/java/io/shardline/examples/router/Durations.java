package io.shardline.examples.router;

import java.time.Duration;

/** Parses durations as the router's flags and config file write them ({@code 500ms}, {@code 2s}, {@code 1m}, or seconds). Stateless; any thread. */
final class Durations {
    private Durations() {
    }

    /** {@code 250ms}, {@code 2s}, {@code 5m}, {@code 1h}, or a plain number of seconds; at least zero. */
    static Duration parse(String s) {
        String t = s.strip();
        try {
            Duration d;
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            } else if (t.endsWith("m")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
            } else if (t.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException("a duration must not be negative, was '" + s + "'");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a duration is like 500ms, 2s, 1m or 1h, was '" + s + "'");
        }
    }
}
