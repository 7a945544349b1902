package io.shardline.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * N loops started and closed together, indexed 0..n-1. Thread-safe: immutable after start; any thread
 * may read loops, take stats or close.
 *
 * <p>The shard runtime builds on this with pinning and the channel mesh; on its own it is the
 * simplest way to run one loop per core.
 */
public final class LoopGroup implements AutoCloseable {
    private final List<Loop> loops;

    private LoopGroup(List<Loop> loops) {
        this.loops = List.copyOf(loops);
    }

    /**
     * Starts {@code n} loops, loop i with {@code configFor.apply(i)}; returns once all run. If one
     * fails to start, those already started are closed.
     *
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
    public static LoopGroup start(int n, IntFunction<LoopConfig> configFor) {
        if (n < 1) {
            throw new IllegalArgumentException("a loop group needs at least 1 loop, was " + n);
        }
        List<Loop> started = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                started.add(Loop.start(configFor.apply(i)));
            }
        } catch (RuntimeException | Error e) {
            started.forEach(Loop::close);
            throw e;
        }
        return new LoopGroup(started);
    }

    /** Starts {@code n} loops with default settings and ids 0..n-1. */
    public static LoopGroup start(int n) {
        return start(n, i -> LoopConfig.builder().id(i).build());
    }

    public int size() {
        return loops.size();
    }

    /** Loop {@code i}; throws {@link IllegalArgumentException} naming the range if out of it. */
    public Loop get(int i) {
        if (i < 0 || i >= loops.size()) {
            throw new IllegalArgumentException("loop " + i + " does not exist: ids are 0.." + (loops.size() - 1));
        }
        return loops.get(i);
    }

    public List<Loop> loops() {
        return loops;
    }

    /** A snapshot of every loop's counters, by id. */
    public List<LoopStats> stats() {
        List<LoopStats> out = new ArrayList<>(loops.size());
        for (Loop l : loops) {
            out.add(l.stats());
        }
        return out;
    }

    /** Closes every loop (all asked first, so they wind down in parallel) and waits for each. */
    @Override
    public void close() {
        for (Loop l : loops) {
            l.requestClose();
        }
        for (Loop l : loops) {
            l.close();
        }
    }
}
