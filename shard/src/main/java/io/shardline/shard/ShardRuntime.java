package io.shardline.shard;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.LoopClosedException;
import io.shardline.core.LoopConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * N shards, each a loop on its own thread pinned to its own CPU, joined by a mesh of SPSC queues.
 * Thread-safe: built and closed from any thread; {@link #submit} is the way in from threads that are
 * not shards (it uses each loop's inbox, the only multi-producer path).
 *
 * <pre>{@code
 * try (ShardRuntime rt = ShardRuntime.builder().shards(4).start()) {
 *     long total = rt.submitAsync(0, () -> Shard.current().mapReduce(() -> 1L, 0L, Long::sum)).get();
 * }
 * }</pre>
 */
public final class ShardRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.shardline.shard");
    private static final AtomicBoolean WARNED_UNPINNED = new AtomicBoolean();

    private final Shard[] shards;
    private final Loop[] loops;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ShardRuntime(Builder b) {
        int n = b.shards;
        int[] cpus = b.placement();
        this.loops = new Loop[n];
        this.shards = new Shard[n];
        Mesh mesh = new Mesh(n, b.inflightPerPair);
        for (int i = 0; i < n; i++) {
            int id = i;
            LoopConfig.Builder cb = LoopConfig.builder().id(i).name("shard-" + i);
            b.loopSettings.accept(cb);
            cb.threadFactory(body -> Thread.ofPlatform().name("shard-" + id).unstarted(() -> {
                pin(id, cpus);
                body.run();
            }));
            loops[i] = new Loop(cb.build());
        }
        for (int i = 0; i < n; i++) {
            MeshEndpoint endpoint = new MeshEndpoint(i, loops, mesh, b.inflightPerPair);
            shards[i] = new Shard(i, this, loops[i], endpoint);
            loops[i].putService(Shard.class, shards[i]);
            loops[i].register(endpoint);
            loops[i].onClose(endpoint::failAll);
        }
    }

    private void pin(int id, int[] cpus) {
        if (cpus == null) {
            return;
        }
        String failure = Pinning.pinCurrentThread(cpus[id]);
        if (failure == null) {
            shards[id].cpu = cpus[id];
        } else if (WARNED_UNPINNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "could not pin shard-" + id + " to CPU " + cpus[id] + " ("
                    + failure + "); shards run unpinned");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How many shards there are. */
    public int shards() {
        return shards.length;
    }

    /** Shard {@code id}; its calls are confined to its own thread. */
    public Shard shard(int id) {
        checkShard(id);
        return shards[id];
    }

    /**
     * Runs {@code fn} on shard {@code shard} from any thread, typically one outside the runtime.
     * If the runtime stops first, the future fails with {@link LoopClosedException}.
     */
    public <T> CompletableFuture<T> submit(int shard, Callable<T> fn) {
        checkShard(shard);
        return loops[shard].call(fn);
    }

    /** Like {@link #submit}, for a function that returns a future on that shard. */
    public <T> CompletableFuture<T> submitAsync(int shard, Supplier<? extends Future<T>> fn) {
        checkShard(shard);
        return loops[shard].callAsync(fn);
    }

    /** Runs {@code fn} on every shard from any thread; results in shard order. */
    public <T> CompletableFuture<List<T>> submitToAll(Callable<T> fn) {
        List<CompletableFuture<T>> all = new ArrayList<>(shards.length);
        for (int i = 0; i < shards.length; i++) {
            all.add(submit(i, fn));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    }

    /** Like {@link #submitToAll}, for a function that returns a future on each shard (a log's close). */
    public <T> CompletableFuture<List<T>> submitToAllAsync(Supplier<? extends Future<T>> fn) {
        List<CompletableFuture<T>> all = new ArrayList<>(shards.length);
        for (int i = 0; i < shards.length; i++) {
            all.add(submitAsync(i, fn));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    }

    /**
     * Starts one instance of a service per shard, created on its shard by {@code factory}, in shard
     * order; returns once all exist. Call from outside the runtime.
     */
    public <S> Sharded<S> sharded(Function<Shard, S> factory) {
        return Sharded.start(this, factory);
    }

    /** Every shard's counters, by id; any thread. */
    public List<ShardStats> stats() {
        List<ShardStats> out = new ArrayList<>(shards.length);
        for (Shard s : shards) {
            out.add(s.stats());
        }
        return out;
    }

    /**
     * Stops every shard: new calls are refused, calls in flight complete with their result or with a
     * {@link LoopClosedException} that names the stopped shard, and every shard thread has ended when
     * this returns. Idempotent; any thread but a shard's own.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Loop l : loops) {
            l.requestClose();
        }
        for (Loop l : loops) {
            l.close();
        }
    }

    private void start() {
        int started = 0;
        try {
            for (Loop l : loops) {
                l.start();
                started++;
            }
        } catch (RuntimeException | Error e) {
            for (int i = 0; i < started; i++) {
                loops[i].close();
            }
            throw e;
        }
    }

    private void checkShard(int id) {
        if (id < 0 || id >= shards.length) {
            throw new IllegalArgumentException("shard " + id + " does not exist: shard ids are 0.." + (shards.length - 1));
        }
    }

    /** Collects and checks a runtime's settings; not thread-safe. */
    public static final class Builder {
        private int shards = Runtime.getRuntime().availableProcessors();
        private int[] cpus;
        private boolean pin = true;
        private int inflightPerPair = 128;
        private Consumer<LoopConfig.Builder> loopSettings = b -> { };

        private Builder() {
        }

        /** Number of shards, at least 1; default one per available CPU. */
        public Builder shards(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("a runtime needs at least 1 shard, was " + n);
            }
            this.shards = n;
            return this;
        }

        /** The number of shards the runtime will have, as set so far. */
        public int shardCount() {
            return shards;
        }

        /**
         * Pins shard i to {@code cpus[i]} (one CPU per shard, as many CPUs as shards). Without it, shard
         * i goes to CPU i when there are at least as many CPUs as shards, and runs unpinned otherwise.
         */
        public Builder cpus(int... cpus) {
            int available = Runtime.getRuntime().availableProcessors();
            for (int c : cpus) {
                if (c < 0 || c >= available) {
                    throw new IllegalArgumentException("CPU " + c + " does not exist: this machine has CPUs 0.."
                            + (available - 1));
                }
            }
            this.cpus = cpus.clone();
            return this;
        }

        /** Whether to pin shard threads to CPUs at all; default true. */
        public Builder pin(boolean pin) {
            this.pin = pin;
            return this;
        }

        /**
         * Requests one shard may have in flight to one other shard before further ones wait (Seastar's
         * {@code smp_service_group}); default 128. Also sizes the mesh: each pair's request queue and reply
         * queue hold this many each.
         */
        public Builder inflightPerPair(int cap) {
            if (cap < 1 || cap > (1 << 20)) {
                throw new IllegalArgumentException("in-flight cap per pair must be 1..1048576, was " + cap);
            }
            this.inflightPerPair = cap;
            return this;
        }

        /**
         * Adjusts every shard loop's settings (quota, stall threshold, spin, parker...); ids and names
         * are the runtime's. Calls add up: later ones run after earlier ones.
         */
        public Builder loop(Consumer<LoopConfig.Builder> settings) {
            this.loopSettings = this.loopSettings.andThen(Objects.requireNonNull(settings, "loop settings"));
            return this;
        }

        int[] placement() {
            if (!pin) {
                return null;
            }
            if (cpus != null) {
                if (cpus.length != shards) {
                    throw new IllegalArgumentException("cpus lists " + cpus.length + " CPUs for " + shards
                            + " shards: give one CPU per shard");
                }
                return cpus;
            }
            int available = Runtime.getRuntime().availableProcessors();
            if (shards > available) {
                if (WARNED_UNPINNED.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.WARNING, shards + " shards on " + available
                            + " CPUs: shards run unpinned");
                }
                return null;
            }
            int[] order = new int[shards];
            Arrays.setAll(order, i -> i);
            return order;
        }

        /** Starts every shard; returns once all run. */
        public ShardRuntime start() {
            ShardRuntime rt = new ShardRuntime(this);
            rt.start();
            return rt;
        }
    }
}
