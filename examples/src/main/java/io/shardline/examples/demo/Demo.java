package io.shardline.examples.demo;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.core.Timer;
import io.shardline.shard.Shard;
import io.shardline.shard.ShardRuntime;
import io.shardline.shard.ShardStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
 * {@code ./shardline demo}: starts N shards, has them do a map-reduce and cross-shard traffic, and
 * prints each shard's counters. Runs on the main thread; all the work happens on the shards.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start N shards, map-reduce over them, send messages between them, print per-shard counters.")
public final class Demo implements Callable<Integer> {
    private static final int CHUNK = 5_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--shards", paramLabel = "N", description = "shards to start (default: one per CPU)")
    int shards = Runtime.getRuntime().availableProcessors();

    @Option(names = "--limit", paramLabel = "M", description = "count primes below M (default: ${DEFAULT-VALUE})")
    int limit = 2_000_000;

    @Option(names = "--messages", paramLabel = "K", description = "messages each shard sends to random others (default: ${DEFAULT-VALUE})")
    int messages = 200_000;

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
        try (ShardRuntime rt = ShardRuntime.builder().shards(shards).start()) {
            System.out.printf("started %d shards on %d CPUs (%s)%n", rt.shards(),
                    Runtime.getRuntime().availableProcessors(), rt.shard(0).cpu() >= 0 ? "pinned" : "unpinned");

            long primes = rt.submitAsync(0, () -> Shard.current().mapReduceAsync(this::countMyPrimes, 0L, Long::sum))
                    .get(120, TimeUnit.SECONDS);
            System.out.printf("map-reduce: %,d primes below %,d, each shard counting its slice in %,d-number tasks%n",
                    primes, limit, CHUNK);

            long[] received = new long[rt.shards()]; // slot i written only on shard i
            List<CompletableFuture<Long>> senders = new ArrayList<>();
            for (int i = 0; i < rt.shards(); i++) {
                int me = i;
                senders.add(rt.submitAsync(i, () -> sendRandom(Shard.current(), received, me)));
            }
            long total = 0;
            for (var s : senders) {
                total += s.get(120, TimeUnit.SECONDS);
            }
            long delivered = rt.submitAsync(0, () -> Shard.current().mapReduce(
                    () -> received[Shard.current().id()], 0L, Long::sum)).get(10, TimeUnit.SECONDS);
            System.out.printf("cross-shard: %,d messages sent to random shards, %,d delivered and answered%n",
                    total, delivered);
            if (delivered != total) {
                System.err.println("lost messages: sent " + total + ", delivered " + delivered);
                return 1;
            }

            ticks(rt);
            printCounters(rt.stats());
        }
        System.out.printf("done in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return 0;
    }

    /** On each shard: its slice of [0, limit), split into small tasks so the loop stays responsive. */
    private Future<Long> countMyPrimes() {
        Shard shard = Shard.current();
        Loop loop = shard.loop();
        int n = shard.count();
        int from = (int) ((long) limit * shard.id() / n);
        int to = (int) ((long) limit * (shard.id() + 1) / n);
        List<Future<Long>> chunks = new ArrayList<>();
        for (int lo = from; lo < to; lo += CHUNK) {
            int a = lo;
            int b = Math.min(to, lo + CHUNK);
            chunks.add(loop.spawn(() -> primesIn(a, b)));
        }
        return Futures.all(chunks).map(list -> list.stream().mapToLong(Long::longValue).sum());
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
     * Sends {@code messages} requests from this shard to random shards, yielding whenever the task
     * quota is spent so the loop keeps serving its inbound messages. The mesh caps what is in flight
     * per pair; the rest wait in order instead of flooding a queue.
     */
    private Future<Long> sendRandom(Shard shard, long[] received, int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Future<Long>> replies = new ArrayList<>(messages);
        Promise<Long> done = new Promise<>(shard.loop());
        Runnable sender = new Runnable() {
            @Override
            public void run() {
                while (replies.size() < messages) {
                    int target = random.nextInt(shard.count());
                    replies.add(shard.submitTo(target, () -> ++received[Shard.current().id()]));
                    if (shard.loop().needsPreempt()) {
                        shard.loop().execute(this); // give the loop back; continue in the next quota
                        return;
                    }
                }
                Futures.all(replies).whenComplete((all, e) -> done.tryComplete(all == null ? 0L : (long) all.size(), e));
            }
        };
        sender.run();
        return done;
    }

    /** A periodic timer per shard, 5 ticks 2 ms apart. */
    private static void ticks(ShardRuntime rt) throws Exception {
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < rt.shards(); i++) {
            all.add(rt.submitAsync(i, () -> {
                Loop loop = Shard.current().loop();
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
        for (var f : all) {
            f.get(10, TimeUnit.SECONDS);
        }
        System.out.printf("timers: 5 periodic ticks fired on each of %d shards%n", rt.shards());
    }

    private static void printCounters(List<ShardStats> stats) {
        System.out.println();
        System.out.printf("%-6s %4s %10s %10s %8s %10s %9s %8s %10s %10s %7s%n",
                "shard", "cpu", "msgs out", "msgs in", "waits", "tasks", "polls", "wakeups", "busy ms", "parked ms", "stalls");
        for (ShardStats s : stats) {
            System.out.printf("%-6d %4s %10d %10d %8d %10d %9d %8d %10.1f %10.1f %7d%n",
                    s.shardId(), s.cpu() < 0 ? "-" : String.valueOf(s.cpu()), s.sent(), s.served(), s.waits(),
                    s.loop().tasksRun(), s.loop().polls(), s.loop().wakeups(), s.loop().busyNanos() / 1e6,
                    s.loop().parkedNanos() / 1e6, s.loop().stalls());
        }
    }
}
