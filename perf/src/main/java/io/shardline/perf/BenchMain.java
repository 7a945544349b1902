package io.shardline.perf;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of {@code ./shardline bench <suite> [--quick]}: picks the suite and runs it. Each suite
 * lives in its own class ({@link CoreSuite}, {@link ShardSuite}, {@link EchoSuite}, {@link StorageSuite}, {@link KvSuite}, {@link KvFeaturesSuite}, {@link BrokerSuite}, {@link RouterSuite}, {@link HttpSuite}) and ends its output with
 * one {@code result: <suite> key=value ...} line.
 *
 * <p>Exit codes: 0 after a complete run, 1 if the run failed, 2 for an unknown suite or bad arguments
 * (with the usage on stderr).
 */
public final class BenchMain {
    static final String USAGE = """
            usage: shardline bench <suite> [--quick]

            suites:
              core     loop spawn-and-run, a chain of 10 continuations, timer schedule-and-cancel,
                       each against the JDK (CompletableFuture on a single-thread executor;
                       ScheduledThreadPoolExecutor)
              shard    cross-shard round-trip latency (ping-pong) and one-way throughput, one request
                       in flight and a window of 128, against the JDK (CompletableFuture.supplyAsync
                       to a single-thread executor and back)
              echo     TCP echo, requests/s and p50/p99 latency: Shardline on NIO and on io_uring against
                       Netty 4.2 on native epoll and on native io_uring: one server thread each,
                       50 connections, 64 B payload, load from a separate process
              storage  1 KiB appends to a SegmentedLog against a plain FileChannel writing the same bytes:
                       durable (always, 64 writers, group commit) against write + force per append, and
                       bulk (never, a window of 4096; extra row 16384) against sequential writes
                       without force; the log on its helper thread and on the loop's io_uring
              kv       Shardline kv against redis-server, both as processes of their own, driven by
                       redis-benchmark (50 clients): SET/GET on one key and on 1M random keys at -P 1 and
                       -P 16 (Shardline at its default shards and at --shards 1, persistence off), a row
                       per data-type family at -P 16, SET with AOF everysec against --fsync everysec;
                       then memory for 1M keys of 100 B (used_memory and RSS; live heap after a full GC,
                       off-heap and RSS). Needs redis-server and redis-benchmark (Debian: redis-server,
                       redis-tools)
              kv-features
                       Shardline kv (2 shards) against redis-server, side by side, load from raw RESP
                       connections in this JVM: pub/sub fan-out (messages/s delivered to 50 subscribers
                       of one channel, pipelined PUBLISH) and MULTI / SET / SET / EXEC on two keys of
                       different shards (transactions/s, each EXEC checked). Needs redis-server
              broker   Shardline's broker against Apache Kafka 4.3 (one KRaft node the suite starts in a JVM
                       of its own, default settings), both on the same disk, driven by the same
                       kafka-clients load in turns: producer records/s of 1 KiB at acks=1 and acks=all on
                       4 partitions (100k records a trial), the consumer reading them back, end-to-end
                       latency p50/p99 at 1000 records/s for 10 s; 3 rounds after a warm-up
              router   wrk -> reverse proxy -> two nginx upstreams answering a static "ok": Shardline's
                       router against nginx (proxy_pass, upstream keepalive, worker_processes auto) and
                       HAProxy (http-reuse always, nbthread = CPUs), requests/s and p50/p99, medians of
                       interleaved rounds (5 x 10 s each). Needs wrk, nginx and haproxy (Debian packages)
              http     TechEmpower plaintext and JSON: Shardline's HTTP layer against Netty 4.2's HTTP codec
                       (native epoll) and Vert.x 5, each in its own JVM (same flags and heap), one event loop
                       per CPU, driven by wrk (2 threads, 256 keep-alive connections): plaintext, plaintext
                       pipelined 16 deep, JSON. Needs wrk (Debian: wrk)

            options:
              --quick  smoke run, rough numbers: core 1 warm-up and 2 measurement iterations of
                       500 ms; shard a 300 ms warm-up and 3 trials of 200 ms per row;
                       echo 1 round of a 1 s warm-up + 2 s measured per server; and storage a
                       300 ms warm-up and 2 trials of 1 s (durable), 32 MiB and 2 x 128 MiB (bulk);
                       kv 1 round of a fifth of each row's requests and memory for 100k keys;
                       kv-features 2 rounds of 0.3 s settling + 1 s measured per row and server;
                       broker 1 round of 10k records a trial and 3 s end-to-end at 500 records/s
                       router 1 round of 3 s per proxy
                       http a 2 s warm-up and 1 round of 3 s per test and server
            """;

    private BenchMain() {
    }

    /** A suite's run; returns the process exit code. */
    interface Suite {
        int run(PrintStream out) throws Exception;
    }

    /** Settings every suite understands. */
    record Settings(boolean quick) {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help"))) {
            out.print(USAGE);
            return 0;
        }
        if (args.length == 0) {
            return usageError(err, "name a suite");
        }
        String name = args[0];
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        boolean quick = rest.remove("--quick");
        if (!rest.isEmpty()) {
            return usageError(err, "unknown argument" + (rest.size() > 1 ? "s" : "") + " " + String.join(" ", rest));
        }
        Settings settings = new Settings(quick);
        Suite suite = switch (name) {
            case "core" -> new CoreSuite(settings);
            case "shard" -> new ShardSuite(settings);
            case "echo" -> new EchoSuite(settings);
            case "storage" -> new StorageSuite(settings);
            case "kv" -> new KvSuite(settings);
            case "kv-features" -> new KvFeaturesSuite(settings);
            case "broker" -> new BrokerSuite(settings);
            case "router" -> new RouterSuite(settings);
            case "http" -> new HttpSuite(settings);
            default -> null;
        };
        if (suite == null) {
            return usageError(err, "unknown suite '" + name + "'");
        }
        try {
            return suite.run(out);
        } catch (Exception e) {
            err.println("bench " + name + " failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static int usageError(PrintStream err, String problem) {
        err.println("shardline bench: " + problem);
        err.print(USAGE);
        return 2;
    }
}
