package io.shardline.storage;

import java.time.Duration;

/**
 * When an append counts as done. Immutable, any thread.
 *
 * <ul>
 *   <li>{@link #always()}: after its bytes, and every earlier write of its file, are on the device
 *       (the log's files open with O_DSYNC, so the write itself is durable; see
 *       {@link LogConfig#syncedWrites()}); appends that arrive while a write runs share the next one
 *       (group commit).
 *   <li>{@link #interval(Duration)}: after its bytes are written; the log forces every interval, so a
 *       machine crash loses at most that much.
 *   <li>{@link #never()}: after its bytes are written; the log forces only when it rolls a segment or
 *       closes, and the OS decides the rest.
 * </ul>
 *
 * @param mode the policy
 * @param interval the force period of {@link Mode#INTERVAL}, else zero
 */
public record Durability(Mode mode, Duration interval) {
    public enum Mode { ALWAYS, INTERVAL, NEVER }

    public Durability {
        if (mode == null || interval == null) {
            throw new IllegalArgumentException("durability mode and interval must not be null");
        }
        if (mode == Mode.INTERVAL && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("durability interval must be positive, got " + interval);
        }
    }

    public static Durability always() {
        return new Durability(Mode.ALWAYS, Duration.ZERO);
    }

    public static Durability interval(Duration period) {
        return new Durability(Mode.INTERVAL, period);
    }

    public static Durability never() {
        return new Durability(Mode.NEVER, Duration.ZERO);
    }

    /**
     * Parses {@code always}, {@code never} or {@code interval:<ms>} (with or without the {@code ms} that
     * {@link #toString} writes). An application with words of its own maps them onto these itself.
     */
    public static Durability parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("always")) {
            return always();
        }
        if (t.equals("never")) {
            return never();
        }
        if (t.startsWith("interval:")) {
            try {
                String ms = t.substring("interval:".length());
                return interval(Duration.ofMillis(Long.parseLong(ms.endsWith("ms") ? ms.substring(0, ms.length() - 2) : ms)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("unknown durability '" + text + "': expected always, interval:<ms> or never");
    }

    @Override
    public String toString() {
        return mode == Mode.INTERVAL ? "interval:" + interval.toMillis() + "ms" : mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
