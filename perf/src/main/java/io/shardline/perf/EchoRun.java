package io.shardline.perf;

import io.shardline.core.RunQueueTime;
import io.shardline.net.Net;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * One measurement of one echo server in the {@code echo} suite: the load generator's counts and
 * histogram, and over the same window the server threads' scheduler statistics (summed), the load
 * generator thread's, its loop passes, the GCs of this JVM and the server's own counters; the
 * transports both ran on. {@link #drive} makes one. Immutable; made and read on the suite's thread.
 */
record EchoRun(String server, String transport, String loadTransport, int round, long requests, long nanos,
               Histogram histogram, RunQueueTime.Sample serverThreads, RunQueueTime.Sample load, long passes,
               long gcs, String stats) {
    /** The load generator's own JVM: small fixed heap, serial GC (it has one CPU to itself). */
    private static final List<String> LOAD_JVM_FLAGS = List.of("-Xms256m", "-Xmx256m", "-XX:+UseSerialGC");

    double rps() {
        return requests * 1e9 / nanos;
    }

    /** The server threads' time on a CPU, in % of one CPU per thread; NaN if unknown. */
    double serverCpuPercent() {
        return serverThreads.known()
                ? 100.0 * serverThreads.onCpuNanos() / EchoSuite.SERVER_THREADS / nanos : Double.NaN;
    }

    /** The load generator thread's time on a CPU, in % of one CPU; NaN if unknown. */
    double loadCpuPercent() {
        return load.known() ? 100.0 * load.onCpuNanos() / nanos : Double.NaN;
    }

    /** The server threads' CPU time per request served, in us; NaN if unknown. */
    double serverMicrosPerRequest() {
        return serverThreads.known() ? serverThreads.onCpuNanos() / 1e3 / requests : Double.NaN;
    }

    /** The load generator thread's CPU time per request, in us; NaN if unknown. */
    double loadMicrosPerRequest() {
        return load.known() ? load.onCpuNanos() / 1e3 / requests : Double.NaN;
    }

    /** Echoes the load generator took per pass of its loop: how batched they arrived; NaN if unknown. */
    double requestsPerPass() {
        return passes > 0 ? (double) requests / passes : Double.NaN;
    }

    /** The largest share of the window that the server threads or the load generator waited for a CPU. */
    double waitedPercent() {
        double server = serverThreads.known()
                ? 100.0 * serverThreads.runQueueNanos() / EchoSuite.SERVER_THREADS / nanos : 0;
        double generator = load.known() ? 100.0 * load.runQueueNanos() / nanos : 0;
        return Math.max(server, generator);
    }

    double micros(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * Runs the load generator against {@code server} ({@code name} in the suite's rows, round
     * {@code round}) where {@code load} places it, for a warm-up and a measurement, and reads its result.
     */
    static EchoRun drive(String name, EchoServers.Server server, int round, LoadPlacement load, long warmupMillis,
                         long measureMillis) throws Exception {
        List<String> flags = new ArrayList<>(Jmh.RUNTIME_FLAGS); // the generator is a Shardline client
        flags.addAll(LOAD_JVM_FLAGS);
        // The generator's transport: the one this run asks for, else the runtime's default (io_uring where it can).
        String transport = System.getProperty(Net.TRANSPORT_PROPERTY);
        if (transport != null) {
            flags.add("-D" + Net.TRANSPORT_PROPERTY + "=" + transport);
        }
        String batch = System.getProperty(EchoLoad.PARK_BATCH_PROPERTY);
        if (batch != null) {
            flags.add("-D" + EchoLoad.PARK_BATCH_PROPERTY + "=" + batch);
        }
        Process p = BenchSupport.startJava(load.prefix(), flags, EchoLoad.class, List.of(
                Integer.toString(server.port()), Integer.toString(EchoSuite.CONNECTIONS),
                Integer.toString(EchoSuite.PAYLOAD), Long.toString(warmupMillis), Long.toString(measureMillis)),
                warmupMillis + measureMillis + 60_000);

        List<String> threadNames = IntStream.range(0, EchoSuite.SERVER_THREADS).mapToObj(server::threadName).toList();
        RunQueueTime.Sample threads0 = null;
        RunQueueTime.Sample threads = RunQueueTime.Sample.UNKNOWN;
        long gc0 = 0;
        String result = null;
        long gcs = 0;
        String stats = "";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals(EchoLoad.MEASURING)) {
                    threads0 = CpuUse.threads(threadNames);
                    gc0 = gcCount();
                    server.mark();
                } else if (line.startsWith(EchoLoad.RESULT)) {
                    if (threads0 != null) {
                        threads = CpuUse.threads(threadNames).since(threads0);
                        gcs = gcCount() - gc0;
                    }
                    stats = server.stats(Long.parseLong(field(line, "requests", "0")));
                    result = line;
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || result == null) {
            throw new IllegalStateException("the load generator against " + name + " (round " + round
                    + ") exited with " + exit + (result == null ? " and no result" : "") + "; its stderr is above");
        }
        long requests = Long.parseLong(field(result, "requests", "-1"));
        long nanos = Long.parseLong(field(result, "nanos", "-1"));
        String histogram = field(result, "histogram", null);
        if (requests <= 0 || nanos <= 0 || histogram == null) {
            throw new IllegalStateException("the load generator against " + name + " reported no requests: " + result);
        }
        RunQueueTime.Sample generator = new RunQueueTime.Sample(Long.parseLong(field(result, "cpu", "-1")),
                Long.parseLong(field(result, "waited", "-1")));
        return new EchoRun(name, server.transport(), field(result, "transport", "?"), round, requests, nanos,
                BenchSupport.decodeHistogram(histogram, "the load generator"), threads, generator,
                Long.parseLong(field(result, "passes", "-1")), gcs, stats);
    }

    /** The value of {@code key=...} in the load generator's result line, or {@code absent}. */
    private static String field(String resultLine, String key, String absent) {
        for (String field : resultLine.substring(EchoLoad.RESULT.length()).split(" ")) {
            if (field.startsWith(key + "=")) {
                return field.substring(key.length() + 1);
            }
        }
        return absent;
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }
}
