package io.shardline.examples.demo;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import io.shardline.core.LoopGroup;
import io.shardline.core.LoopStats;
import io.shardline.core.Promise;
import io.shardline.core.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./shardline demo}: starts N loops, spreads work over them and prints each loop's counters.
 * Runs on the main thread; all loop work happens on the loops.
 *
 * <p>Three kinds of work: a prime count split into small tasks on every loop (a map-reduce), a ring
 * where each loop sends messages to the next through its inbox, and a periodic timer per loop.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start N loops, spread work over them, print per-loop counters.")
public final class Demo implements Callable<Integer> {
    private static final int CHUNK = 5_000;
    private static final int WINDOW = 1_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--shards", paramLabel = "N", description = "loops to start (default: one per CPU)")
    int shards = Runtime.getRuntime().availableProcessors();

    @Option(names = "--limit", paramLabel = "M", description = "count primes below M (default: ${DEFAULT-VALUE})")
    int limit = 2_000_000;

    @Option(names = "--messages", paramLabel = "K", description = "messages each loop sends to the next (default: ${DEFAULT-VALUE})")
    int messages = 100_000;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Demo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (shards < 1) {
            throw new ParameterException(spec.commandLine(), "--shards must be at least 1, was " + shards);
        }
        if (limit < 2 || messages < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 2 and --messages at least 0");
        }
        long t0 = System.nanoTime();
        try (LoopGroup group = LoopGroup.start(shards, i -> LoopConfig.builder().id(i).name("shard-" + i).build())) {
            System.out.printf("started %d loops (%d CPUs)%n", group.size(), Runtime.getRuntime().availableProcessors());
            long primes = countPrimes(group);
            System.out.printf("map-reduce: %d primes below %,d, counted in %d-number tasks on %d loops%n",
                    primes, limit, CHUNK, group.size());
            long delivered = ring(group);
            System.out.printf("ring: %,d messages passed loop i -> loop i+1, %,d delivered%n",
                    (long) messages * group.size(), delivered);
            ticks(group);
            printCounters(group.stats());
        }
        System.out.printf("done in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return 0;
    }

    private long countPrimes(LoopGroup group) throws Exception {
        int n = group.size();
        List<CompletableFuture<Long>> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Loop loop = group.get(i);
            int from = (int) ((long) limit * i / n);
            int to = (int) ((long) limit * (i + 1) / n);
            parts.add(loop.callAsync(() -> {
                List<Future<Long>> chunks = new ArrayList<>();
                for (int lo = from; lo < to; lo += CHUNK) {
                    int a = lo;
                    int b = Math.min(to, lo + CHUNK);
                    chunks.add(loop.spawn(() -> primesIn(a, b)));
                }
                return Future.all(chunks).map(list -> list.stream().mapToLong(Long::longValue).sum());
            }));
        }
        long total = 0;
        for (CompletableFuture<Long> part : parts) {
            total += part.get(60, TimeUnit.SECONDS);
        }
        return total;
    }

    private static long primesIn(int from, int to) {
        long count = 0;
        for (int x = Math.max(2, from); x < to; x++) {
            boolean prime = true;
            for (int d = 2; (long) d * d <= x; d++) {
                if (x % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                count++;
            }
        }
        return count;
    }

    /**
     * Each loop sends {@code messages} tasks to the next, in windows: the last task of a window is a
     * call whose reply releases the next window, so no inbox ever overflows and no loop ever blocks.
     */
    private long ring(LoopGroup group) throws Exception {
        int n = group.size();
        long[] received = new long[n]; // slot i is written only by loop i
        List<CompletableFuture<Integer>> senders = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Loop self = group.get(i);
            Loop target = group.get((i + 1) % n);
            senders.add(self.callAsync(() -> sendWindows(self, target, received, messages)));
        }
        for (CompletableFuture<Integer> s : senders) {
            s.get(60, TimeUnit.SECONDS);
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            int slot = i;
            total += group.get(i).call(() -> received[slot]).get(10, TimeUnit.SECONDS);
        }
        return total;
    }

    private static Future<Integer> sendWindows(Loop self, Loop target, long[] received, int remaining) {
        if (remaining == 0) {
            return Future.succeeded(0);
        }
        int slot = target.id();
        int window = Math.min(WINDOW, remaining);
        for (int m = 0; m < window - 1; m++) {
            target.execute(() -> received[slot]++);
        }
        // The inbox is FIFO per sender, so when this reply arrives the whole window has run.
        CompletableFuture<Long> ack = target.call(() -> ++received[slot]);
        return Future.fromCompletionStage(self, ack)
                .flatMap(v -> sendWindows(self, target, received, remaining - window));
    }

    /** A periodic timer per loop, 5 ticks 2 ms apart. */
    private static void ticks(LoopGroup group) throws Exception {
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (Loop loop : group.loops()) {
            all.add(loop.callAsync(() -> {
                Promise<Integer> p = new Promise<>(loop);
                int[] count = {0};
                Timer[] timer = new Timer[1];
                timer[0] = loop.schedulePeriodic(Duration.ofMillis(2), Duration.ofMillis(2), () -> {
                    if (++count[0] == 5) {
                        timer[0].cancel();
                        p.succeed(count[0]);
                    }
                });
                return p;
            }));
        }
        for (CompletableFuture<Integer> f : all) {
            f.get(10, TimeUnit.SECONDS);
        }
        System.out.printf("timers: 5 periodic ticks fired on each of %d loops%n", group.size());
    }

    private static void printCounters(List<LoopStats> stats) {
        System.out.println();
        System.out.printf("%-6s %10s %9s %8s %8s %9s %10s %10s %7s %7s%n",
                "loop", "tasks", "polls", "parks", "wakeups", "timers", "busy ms", "parked ms", "stalls", "errors");
        for (LoopStats s : stats) {
            System.out.printf("%-6d %10d %9d %8d %8d %9d %10.1f %10.1f %7d %7d%n",
                    s.loopId(), s.tasksRun(), s.polls(), s.parks(), s.wakeups(), s.timersFired(),
                    s.busyNanos() / 1e6, s.parkedNanos() / 1e6, s.stalls(), s.uncaught());
        }
    }
}
