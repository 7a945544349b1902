package io.shardline.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The settings of one {@link Loop}; immutable once built, safe to share. Built with
 * {@link #builder()}; every setter checks its value and throws {@link IllegalArgumentException}
 * saying what was wrong and why.
 */
public final class LoopConfig {
    final int id;
    final String name;
    final long quotaNanos;
    final long stallThresholdNanos;
    final long stallReportIntervalNanos;
    final long spinNanos;
    final int taskBudget;
    final int inboxCapacity;
    final long closeTimeoutNanos;
    final Clock clock;
    final Supplier<Parker> parkerFactory;
    final ThreadFactory threadFactory;
    final BiConsumer<Loop, Throwable> uncaughtHandler;
    final Consumer<StallReport> stallListener;

    private LoopConfig(Builder b) {
        this.id = b.id;
        this.name = b.name != null ? b.name : "loop-" + b.id;
        this.quotaNanos = b.quotaNanos;
        this.stallThresholdNanos = b.stallThresholdNanos;
        this.stallReportIntervalNanos = b.stallReportIntervalNanos;
        this.spinNanos = b.spinNanos;
        this.taskBudget = b.taskBudget;
        this.inboxCapacity = b.inboxCapacity;
        this.closeTimeoutNanos = b.closeTimeoutNanos;
        this.clock = b.clock;
        this.parkerFactory = b.parkerFactory;
        this.threadFactory = b.threadFactory;
        this.uncaughtHandler = b.uncaughtHandler;
        this.stallListener = b.stallListener;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Duration quota() {
        return Duration.ofNanos(quotaNanos);
    }

    public Duration stallThreshold() {
        return Duration.ofNanos(stallThresholdNanos);
    }

    public Clock clock() {
        return clock;
    }

    /** Collects and checks the settings of a loop; not thread-safe. */
    public static final class Builder {
        private int id;
        private String name;
        private long quotaNanos = 500_000;
        private long stallThresholdNanos = 25_000_000;
        private long stallReportIntervalNanos = 1_000_000_000;
        private long spinNanos = 20_000;
        private int taskBudget = 16_384;
        private int inboxCapacity = 65_536;
        private long closeTimeoutNanos = 5_000_000_000L;
        private Clock clock = Clock.system();
        private Supplier<Parker> parkerFactory = ThreadParker::new;
        private ThreadFactory threadFactory;
        private BiConsumer<Loop, Throwable> uncaughtHandler = Loop::logUncaught;
        private Consumer<StallReport> stallListener = StallReport::log;

        private Builder() {
        }

        /** The loop's index, 0 or more; shown in every log line and report. */
        public Builder id(int id) {
            if (id < 0) {
                throw new IllegalArgumentException("loop id must be 0 or more, was " + id);
            }
            this.id = id;
            return this;
        }

        /** The loop thread's name; default {@code loop-<id>}. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("loop name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** How long tasks may run before the loop polls its sources again; default 500 µs. */
        public Builder quota(Duration quota) {
            this.quotaNanos = positive("quota", quota, "a loop with no quota could never run a task");
            return this;
        }

        /** A task running longer than this is reported as a stall; default 25 ms. */
        public Builder stallThreshold(Duration threshold) {
            this.stallThresholdNanos = positive("stall threshold", threshold, "every task would count as a stall");
            return this;
        }

        /** At most one stall report per loop per interval (every stall is still counted); default 1 s. */
        public Builder stallReportInterval(Duration interval) {
            Objects.requireNonNull(interval, "stall report interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("stall report interval must not be negative, was " + interval);
            }
            this.stallReportIntervalNanos = interval.toNanos();
            return this;
        }

        /** How long an idle loop keeps polling before it parks; default 20 µs, 0 parks at once. */
        public Builder spin(Duration spin) {
            Objects.requireNonNull(spin, "spin");
            if (spin.isNegative()) {
                throw new IllegalArgumentException("spin must not be negative, was " + spin);
            }
            this.spinNanos = spin.toNanos();
            return this;
        }

        /** Most tasks run in one phase before the loop polls its sources; default 16384. */
        public Builder taskBudget(int tasks) {
            if (tasks < 1) {
                throw new IllegalArgumentException("task budget must be at least 1, was " + tasks
                        + ": the loop could never run a task");
            }
            this.taskBudget = tasks;
            return this;
        }

        /** Capacity of the bounded inbox for tasks from other threads; default 65536. */
        public Builder inboxCapacity(int capacity) {
            if (capacity < 2 || capacity > (1 << 30)) {
                throw new IllegalArgumentException("inbox capacity must be 2..2^30, was " + capacity);
            }
            this.inboxCapacity = capacity;
            return this;
        }

        /** How long close waits for confined virtual threads to finish after interrupting them; default 5 s. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeoutNanos = positive("close timeout", timeout, "virtual threads need time to unwind");
            return this;
        }

        /** The clock for quota and timers; a {@link ManualClock} in tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How the loop parks when idle; an I/O backend parks in its selector. One parker per loop; a
         * parker that is also a {@link PollSource} is polled every iteration too.
         */
        public Builder parker(Supplier<Parker> factory) {
            this.parkerFactory = Objects.requireNonNull(factory, "parker factory");
            return this;
        }

        /** Makes the loop's platform thread, e.g. one that pins it to a CPU; default a plain named thread. */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "thread factory");
            return this;
        }

        /** Receives exceptions nobody observes; default logs them with the loop's id. */
        public Builder uncaughtHandler(BiConsumer<Loop, Throwable> handler) {
            this.uncaughtHandler = Objects.requireNonNull(handler, "uncaught handler");
            return this;
        }

        /** Receives stall reports (rate-limited); default logs them with the stack of the loop's thread. */
        public Builder stallListener(Consumer<StallReport> listener) {
            this.stallListener = Objects.requireNonNull(listener, "stall listener");
            return this;
        }

        public LoopConfig build() {
            return new LoopConfig(this);
        }

        private static long positive(String what, Duration d, String why) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d + ": " + why);
            }
            return d.toNanos();
        }
    }
}
