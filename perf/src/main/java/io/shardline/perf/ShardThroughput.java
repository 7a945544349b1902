package io.shardline.perf;

import io.shardline.shard.Shard;
import io.shardline.shard.ShardRuntime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One-way throughput: one thread sends requests to another as fast as it can, keeping a window of
 * {@code window} requests in flight, and counts the replies; requests/s is replies divided by the time
 * from the first send to the last reply. Work flows one way (the sender asks, the other side runs a
 * trivial function); each reply only frees a place in the window, and the next request goes out from
 * that reply's continuation.
 *
 * <ul>
 *   <li>window 1 ("unbatched"): one request in flight, each sent when the previous reply arrives, so
 *       nothing can be batched: every request pays a full hand-off each way (the round trip, untimed).
 *   <li>window W ("batched"; the suite uses the mesh's per-pair in-flight cap, 128): many in flight, so
 *       the receiver drains its queue in batches and the wake-up and fence costs are shared.
 * </ul>
 *
 * <p>{@link Shardline}: {@code Shard.submitTo(to, ECHO).whenComplete(...)} from shard {@code from}.
 * {@link Jdk}: {@code CompletableFuture.supplyAsync(ECHO, B).whenCompleteAsync(..., A)} from a task on
 * single-thread executor A. A trial stops sending once its time is up (checked every 1024 replies) and
 * ends when the last reply is in.
 */
final class ShardThroughput {
    private static final int CLOCK_CHECK_MASK = 1023;

    private ShardThroughput() {
    }

    /** A trial's outcome: requests answered and the time from the first send to the last reply. */
    record Rate(long requests, long nanos) {
        double perSecond() {
            return requests * 1e9 / nanos;
        }
    }

    /** The windowed sender; its state is touched only on the sending thread. */
    private abstract static class Window implements BiConsumer<Integer, Throwable> {
        final int window;
        private long sent;
        private long replies;
        private long start;
        private long deadline;
        private boolean stopping;
        private CompletableFuture<Rate> done;

        Window(int window) {
            if (window < 1) {
                throw new IllegalArgumentException("window must be at least 1, was " + window);
            }
            this.window = window;
        }

        /** On the sending thread: sends the first window; replies keep it full until time is up. */
        final void begin(long nanos, CompletableFuture<Rate> result) {
            done = result;
            sent = 0;
            replies = 0;
            stopping = false;
            start = System.nanoTime();
            deadline = start + nanos;
            for (int i = 0; i < window; i++) {
                sent++;
                send();
            }
        }

        abstract void send();

        /** On the sending thread, when the last reply is in, before the result is handed over. */
        void finished() {
        }

        @Override
        public final void accept(Integer value, Throwable failure) {
            if (failure != null) {
                stopping = true;
                done.completeExceptionally(failure);
                return;
            }
            replies++;
            if (!stopping) {
                if ((replies & CLOCK_CHECK_MASK) != 0 || System.nanoTime() - deadline < 0) {
                    sent++;
                    send();
                    return;
                }
                stopping = true;
            }
            if (replies == sent) {
                Rate rate = new Rate(replies, System.nanoTime() - start);
                finished();
                done.complete(rate);
            }
        }
    }

    /** Shard {@code from} sends to shard {@code to} of a running runtime. */
    static final class Shardline extends Window {
        private final ShardRuntime runtime;
        private final int from;
        private final int to;
        private Shard shard;
        private long parksAtStart;
        private long parks;

        Shardline(ShardRuntime runtime, int from, int to, int window) {
            super(window);
            this.runtime = runtime;
            this.from = from;
            this.to = to;
        }

        /** From outside the runtime: one trial of {@code nanos}. */
        Rate run(long nanos) throws Exception {
            CompletableFuture<Rate> result = new CompletableFuture<>();
            runtime.submit(from, () -> {
                shard = Shard.current();
                parksAtStart = ShardRoundTrip.parks(runtime);
                begin(nanos, result);
                return null;
            }).get(10, TimeUnit.SECONDS);
            return result.get(ShardRoundTrip.timeoutNanos(nanos), TimeUnit.NANOSECONDS);
        }

        /** Loop parks during the last trial, from its first send to its last reply; 0 if the loops spun. */
        long parksDuringLastTrial() {
            return parks;
        }

        @Override
        void send() {
            shard.submitTo(to, ShardRoundTrip.ECHO).whenComplete(this);
        }

        @Override
        void finished() {
            parks = ShardRoundTrip.parks(runtime) - parksAtStart;
        }
    }

    /** Single-thread executor {@code a} sends to single-thread executor {@code b}. */
    static final class Jdk extends Window {
        private final ExecutorService a;
        private final ExecutorService b;

        Jdk(ExecutorService a, ExecutorService b, int window) {
            super(window);
            this.a = a;
            this.b = b;
        }

        /** From outside the executors: one trial of {@code nanos}. */
        Rate run(long nanos) throws Exception {
            CompletableFuture<Rate> result = new CompletableFuture<>();
            a.execute(() -> begin(nanos, result));
            return result.get(ShardRoundTrip.timeoutNanos(nanos), TimeUnit.NANOSECONDS);
        }

        @Override
        void send() {
            CompletableFuture.supplyAsync(ShardRoundTrip.ECHO_SUPPLIER, b).whenCompleteAsync(this, a);
        }
    }
}
